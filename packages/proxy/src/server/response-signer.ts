/**
 * Signs relay responses on worker threads. The ECDSA signature needs no I/O, so moving it off the main
 * thread lets a second core work while the main one parses and writes HTTP. Hashing stays on the main
 * thread (a few microseconds); only the 32-byte hash to sign and the key's slot cross over, and jobs
 * of one event-loop turn share one message, because a postMessage with a cloned object graph costs
 * more than the signature it carries. When workers cannot start (or die) the signer signs inline, so
 * serving never depends on them.
 */
import { availableParallelism } from 'node:os';
import { relayResponseSignableHash, setPayloadHash, signSupplierHash, type RelayResponse, type SessionHeader } from '@relayminer/protocol';
import { WorkerLane, protocolBuildUrl, type LaneCodec } from '../workers/worker-lane.js';

/** What a signature adds to an unsigned response. */
export interface ResponseSignature {
  readonly payloadHash: Uint8Array;
  readonly signature: Uint8Array;
}

export interface ResponseSigner {
  sign(header: SessionHeader, payload: Uint8Array, supplier: string, privateKey: Uint8Array): Promise<ResponseSignature>;
}

interface Job {
  readonly supplier: string;
  readonly payloadHash: Uint8Array;
  readonly signableHash: Uint8Array;
  readonly privateKey: Uint8Array;
  readonly resolve: (s: ResponseSignature) => void;
  readonly reject: (e: Error) => void;
}

const HASH = 32;
const SIG = 64;
/** A job on the wire: the key's slot in the worker, then the 32-byte signable hash. */
const JOB_BYTES = 4 + HASH;

/**
 * Evaluated as CommonJS inside each worker. A batch is one byte array of jobs (so structured cloning
 * costs one copy, not one object graph per relay); the answer is one array of 64-byte signatures, or
 * zeros where signing failed, in job order.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const keys = [];
import(workerData.protocolUrl).then(({ signSupplierHash }) => {
  parentPort.on('message', (msg) => {
    if (msg.key !== undefined) { keys[msg.slot] = msg.key; return; }
    const jobs = msg;
    const n = jobs.length / ${JOB_BYTES};
    const view = new DataView(jobs.buffer, jobs.byteOffset, jobs.byteLength);
    const out = new Uint8Array(n * ${SIG});
    for (let i = 0; i < n; i++) {
      try {
        const at = i * ${JOB_BYTES};
        out.set(signSupplierHash(keys[view.getUint32(at)], jobs.subarray(at + 4, at + ${JOB_BYTES})), i * ${SIG});
      } catch {}
    }
    parentPort.postMessage(out, [out.buffer]);
  });
});
`;

/** The part of signRelayResponse that needs no secret: the payload hash and the hash to sign. */
function prepare(header: SessionHeader, payload: Uint8Array): { payloadHash: Uint8Array; signableHash: Uint8Array } {
  const hashed = setPayloadHash({ meta: { sessionHeader: header, supplierOperatorSignature: new Uint8Array(0) }, payload, relayMinerError: undefined });
  return { payloadHash: hashed.payloadHash!, signableHash: relayResponseSignableHash(hashed) };
}

/** One lane's encoding: a key crosses once per lane and is then named by its slot. */
class SigningCodec implements LaneCodec<Job> {
  private readonly keySlots = new Map<string, number>();

  encode(batch: readonly Job[], post: (message: unknown) => void): Uint8Array<ArrayBuffer> {
    const bytes = new Uint8Array(batch.length * JOB_BYTES);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      let slot = this.keySlots.get(job.supplier);
      if (slot === undefined) {
        slot = this.keySlots.size;
        this.keySlots.set(job.supplier, slot);
        post({ slot, key: job.privateKey });
      }
      view.setUint32(i * JOB_BYTES, slot);
      bytes.set(job.signableHash, i * JOB_BYTES + 4);
    }
    return bytes;
  }

  settle(batch: readonly Job[], signatures: Uint8Array): void {
    for (let i = 0; i < batch.length; i++) {
      const job = batch[i]!;
      const signature = signatures.slice(i * SIG, (i + 1) * SIG);
      if (signature.every((b) => b === 0)) job.reject(new Error('signing failed'));
      else job.resolve({ payloadHash: job.payloadHash, signature });
    }
  }
}

function signInline(job: Pick<Job, 'payloadHash' | 'signableHash' | 'privateKey'>): ResponseSignature {
  return { payloadHash: job.payloadHash, signature: signSupplierHash(job.privateKey, job.signableHash) };
}

/** The single-core path: sign where we are. */
const inlineSigner: ResponseSigner = {
  sign: (header, payload, _supplier, privateKey) => {
    try {
      return Promise.resolve(signInline({ ...prepare(header, payload), privateKey }));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  },
};

class WorkerPoolSigner implements ResponseSigner {
  private readonly workers: WorkerLane<Job>[] = [];

  constructor(protocolUrl: string, size: number) {
    for (let i = 0; i < size; i++) {
      const worker: WorkerLane<Job> = new WorkerLane(WORKER_SOURCE, protocolUrl, new SigningCodec(), (orphans) => this.retire(worker, orphans));
      this.workers.push(worker);
    }
  }

  sign(header: SessionHeader, payload: Uint8Array, supplier: string, privateKey: Uint8Array): Promise<ResponseSignature> {
    const worker = this.leastBusy();
    if (worker === undefined) return inlineSigner.sign(header, payload, supplier, privateKey);
    let prepared;
    try {
      prepared = prepare(header, payload);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return new Promise((resolve, reject) => worker.submit({ supplier, ...prepared, privateKey, resolve, reject }));
  }

  private leastBusy(): WorkerLane<Job> | undefined {
    let best: WorkerLane<Job> | undefined;
    for (const w of this.workers) if (w.alive && (best === undefined || w.pending < best.pending)) best = w;
    return best;
  }

  /** A dead worker's jobs are signed here rather than failed. */
  private retire(worker: WorkerLane<Job>, orphans: Job[]): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    for (const job of orphans) {
      try {
        job.resolve(signInline(job));
      } catch (error) {
        job.reject(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}

let shared: ResponseSigner | undefined;

/**
 * The process's signer: one worker per core beyond the main thread (at most 4), or inline signing
 * on a single core or when RELAYMINER_SIGN_WORKERS=0.
 */
export function sharedResponseSigner(): ResponseSigner {
  if (shared !== undefined) return shared;
  const configured = process.env.RELAYMINER_SIGN_WORKERS;
  const size = configured !== undefined && configured !== '' ? Number(configured) : Math.min(4, availableParallelism() - 1);
  if (!(size >= 1)) return (shared = inlineSigner);
  try {
    shared = new WorkerPoolSigner(protocolBuildUrl(), Math.floor(size));
  } catch {
    shared = inlineSigner;
  }
  return shared;
}

/** The response a signature completes, field for field what signRelayResponse returns. */
export function signedResponse(header: SessionHeader, payload: Uint8Array, s: ResponseSignature): RelayResponse {
  return { meta: { sessionHeader: header, supplierOperatorSignature: s.signature }, payload, relayMinerError: undefined, payloadHash: s.payloadHash };
}
