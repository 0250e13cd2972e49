/**
 * Ring-signature verification on worker threads. The bLSAG check is pure computation and the largest
 * cost left on the relay server's main thread, so running it elsewhere lets another core take it.
 * Each worker owns its own RingVerifier (WASM engine and point cache), so a ring is always sent to
 * the same worker, where its keys are already decoded. Rings cross once and are then named by slot;
 * a job is the slot, the 32-byte hash and the signature, and jobs of one event-loop turn share one
 * message, since cloning an object graph per relay would cost more than it saves. When workers
 * cannot start (or die) verification happens in-process, so serving never depends on them.
 */
import { availableParallelism } from 'node:os';
import { RingVerifier, type RelayRingVerdict } from '@relayminer/protocol';
import { WorkerLane, protocolBuildUrl, type LaneCodec } from '../workers/worker-lane.js';

/** Verifies a relay's ring signature against the app's ring, possibly elsewhere. */
export interface AsyncRingVerifier {
  verifyRelay(hash32: Uint8Array, signature: Uint8Array, ring: readonly Uint8Array[]): Promise<RelayRingVerdict>;
}

/** The in-process verifier behind the async interface. */
export function inProcessRingVerifier(verifier: RingVerifier = new RingVerifier()): AsyncRingVerifier {
  return { verifyRelay: (hash, signature, ring) => Promise.resolve(verifier.verifyRelay(hash, signature, ring)) };
}

const HASH = 32;
const KEY_IMAGE = 33;
/** A job on the wire: ring slot (u32), signature length (u32), hash, signature. */
const JOB_HEAD = 8 + HASH;
/** A verdict on the wire: code (u8), ring size (u16), key image. */
const VERDICT = 3 + KEY_IMAGE;
const OK = 0;
const INVALID = 1;
/** Any other failure: recomputed in-process for its message (most stop before the costly loop). */
const EXPLAIN = 2;
/** Rings each worker remembers; older ones are forgotten and re-sent if they come back. */
const MAX_RINGS = 1024;

const INVALID_MESSAGE = 'ring signature does not verify';

/**
 * Evaluated as CommonJS inside each worker. The common failure, a signature that does not verify,
 * answers INVALID; the others (undecodable, a foreign key, and rarer ones) answer EXPLAIN so the
 * main thread can reproduce the exact message without strings crossing back.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const rings = [];
import(workerData.protocolUrl).then(({ RingVerifier }) => {
  const verifier = new RingVerifier();
  parentPort.on('message', (msg) => {
    if (msg.ring !== undefined) { rings[msg.slot] = msg.ring; return; }
    const view = new DataView(msg.buffer, msg.byteOffset, msg.byteLength);
    const verdicts = [];
    for (let at = 0; at < msg.length; ) {
      const slot = view.getUint32(at);
      const sigLen = view.getUint32(at + 4);
      const hash = msg.subarray(at + 8, at + ${JOB_HEAD});
      const sig = msg.subarray(at + ${JOB_HEAD}, at + ${JOB_HEAD} + sigLen);
      at += ${JOB_HEAD} + sigLen;
      verdicts.push(verifier.verifyRelay(hash, sig, rings[slot] || []));
    }
    const out = new Uint8Array(verdicts.length * ${VERDICT});
    for (let i = 0; i < verdicts.length; i++) {
      const v = verdicts[i];
      const at = i * ${VERDICT};
      if (v.ok) {
        out[at] = ${OK};
        out[at + 1] = v.ringSize >> 8;
        out[at + 2] = v.ringSize & 0xff;
        out.set(v.keyImage, at + 3);
      } else {
        out[at] = v.message === ${JSON.stringify(INVALID_MESSAGE)} ? ${INVALID} : ${EXPLAIN};
      }
    }
    parentPort.postMessage(out, [out.buffer]);
  });
});
`;

interface Job {
  readonly hash: Uint8Array;
  readonly signature: Uint8Array;
  readonly ring: readonly Uint8Array[];
  readonly ringKey: string;
  readonly resolve: (v: RelayRingVerdict) => void;
}

const INVALID_VERDICT: RelayRingVerdict = { ok: false, reason: 'invalid_signature', message: INVALID_MESSAGE };

/** One lane's encoding: a ring crosses once per lane, is then named by its slot, and the least recently used slot is reused. */
class VerifyCodec implements LaneCodec<Job> {
  /** Ring key to slot, in recency order so the oldest can be forgotten. */
  private readonly ringSlots = new Map<string, number>();

  encode(batch: readonly Job[], post: (message: unknown) => void): Uint8Array<ArrayBuffer> {
    let size = 0;
    for (const job of batch) size += JOB_HEAD + job.signature.length;
    const bytes = new Uint8Array(size);
    const view = new DataView(bytes.buffer);
    let at = 0;
    for (const job of batch) {
      view.setUint32(at, this.slotOf(job, post));
      view.setUint32(at + 4, job.signature.length);
      bytes.set(job.hash, at + 8);
      bytes.set(job.signature, at + JOB_HEAD);
      at += JOB_HEAD + job.signature.length;
    }
    return bytes;
  }

  settle(batch: readonly Job[], verdicts: Uint8Array): void {
    for (let i = 0; i < batch.length; i++) batch[i]!.resolve(verdictAt(verdicts, i, batch[i]!));
  }

  private slotOf(job: Job, post: (message: unknown) => void): number {
    let slot = this.ringSlots.get(job.ringKey);
    if (slot !== undefined) {
      this.ringSlots.delete(job.ringKey);
      this.ringSlots.set(job.ringKey, slot);
      return slot;
    }
    if (this.ringSlots.size < MAX_RINGS) slot = this.ringSlots.size;
    else {
      // Messages arrive in order, so batches already sent still see the slot's old ring.
      const [oldest, reused] = this.ringSlots.entries().next().value as [string, number];
      this.ringSlots.delete(oldest);
      slot = reused;
    }
    this.ringSlots.set(job.ringKey, slot);
    post({ slot, ring: job.ring.map((k) => new Uint8Array(k)) });
    return slot;
  }
}

/** Shared by the fallback and the failure explanations. */
const local = new RingVerifier();

function verdictAt(verdicts: Uint8Array, i: number, job: Job): RelayRingVerdict {
  const at = i * VERDICT;
  switch (verdicts[at]) {
    case OK:
      return { ok: true, ringSize: (verdicts[at + 1]! << 8) | verdicts[at + 2]!, keyImage: verdicts.slice(at + 3, at + VERDICT) };
    case INVALID:
      return INVALID_VERDICT;
    default:
      // Undecodable or foreign: the in-process check stops before the expensive loop and says why.
      return local.verifyRelay(job.hash, job.signature, job.ring);
  }
}

/** A ring's identity regardless of order: the sorted hex of its keys. Cached per ring array. */
const ringKeys = new WeakMap<readonly Uint8Array[], string>();
function ringKeyOf(ring: readonly Uint8Array[]): string {
  let key = ringKeys.get(ring);
  if (key === undefined) {
    key = ring
      .map((k) => Buffer.from(k.buffer, k.byteOffset, k.byteLength).toString('hex'))
      .sort()
      .join(',');
    ringKeys.set(ring, key);
  }
  return key;
}

/** FNV-1a over the ring key: the same ring always lands on the same worker. */
function workerIndex(key: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h >>> 0) % n;
}

export class WorkerPoolRingVerifier implements AsyncRingVerifier {
  private readonly workers: WorkerLane<Job>[] = [];

  constructor(protocolUrl: string, size: number) {
    for (let i = 0; i < size; i++) {
      const worker: WorkerLane<Job> = new WorkerLane(WORKER_SOURCE, protocolUrl, new VerifyCodec(), (orphans) => this.retire(worker, orphans));
      this.workers.push(worker);
    }
  }

  verifyRelay(hash: Uint8Array, signature: Uint8Array, ring: readonly Uint8Array[]): Promise<RelayRingVerdict> {
    if (
      this.workers.length === 0 ||
      !(hash instanceof Uint8Array) ||
      hash.length !== HASH ||
      !(signature instanceof Uint8Array) ||
      !Array.isArray(ring) ||
      !ring.every((k) => k instanceof Uint8Array)
    ) {
      // Odd inputs get the in-process verdict rather than a wire format for them.
      return Promise.resolve(local.verifyRelay(hash, signature, ring));
    }
    const ringKey = ringKeyOf(ring);
    const worker = this.workers[workerIndex(ringKey, this.workers.length)]!;
    return new Promise((resolve) => worker.submit({ hash, signature, ring, ringKey, resolve }));
  }

  /** A dead worker's jobs are verified here rather than failed; its rings move to the others. */
  private retire(worker: WorkerLane<Job>, orphans: Job[]): void {
    const i = this.workers.indexOf(worker);
    if (i >= 0) this.workers.splice(i, 1);
    for (const job of orphans) job.resolve(local.verifyRelay(job.hash, job.signature, job.ring));
  }
}

/**
 * A worker-pool verifier of `size` workers (default: one per core beyond the main thread, at least
 * one, at most 4; RELAYMINER_VERIFY_WORKERS overrides), or the in-process one when that is 0 or the
 * workers cannot be started.
 */
export function createRingVerifyWorkers(size?: number): AsyncRingVerifier {
  const configured = process.env.RELAYMINER_VERIFY_WORKERS;
  const n = size ?? (configured !== undefined && configured !== '' ? Number(configured) : Math.max(1, Math.min(4, availableParallelism() - 1)));
  if (!(n >= 1)) return inProcessRingVerifier(local);
  try {
    return new WorkerPoolRingVerifier(protocolBuildUrl(), Math.floor(n));
  } catch {
    return inProcessRingVerifier(local);
  }
}
