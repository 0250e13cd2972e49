/**
 * One worker thread fed in batches: the mechanics the signing and the ring-verification pools share.
 * Jobs submitted in one turn of the event loop cross in one byte-array message (cloning an object
 * graph per relay would cost more than the work it carries), the worker answers batches in order, and
 * when it dies the jobs it held go back to the pool as orphans. An idle lane never keeps the process
 * alive. What a batch looks like on the wire is the codec's business.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

export interface LaneCodec<J> {
  /** The batch as one byte array; `post` sends setup the worker needs first (messages arrive in order). */
  encode(batch: readonly J[], post: (message: unknown) => void): Uint8Array<ArrayBuffer>;
  /** Settles every job of a batch from the worker's answer to it. */
  settle(batch: readonly J[], answer: Uint8Array): void;
}

export class WorkerLane<J> {
  /** Batches sent and not answered yet, oldest first: the worker answers in order. */
  private readonly inFlight: J[][] = [];
  private readonly worker: Worker;
  private queued: J[] = [];
  private flushScheduled = false;
  /** Jobs submitted and not answered yet. */
  pending = 0;
  alive = true;

  /** `source`: CommonJS evaluated in the worker, which finds the protocol build at `workerData.protocolUrl`. */
  constructor(source: string, protocolUrl: string, private readonly codec: LaneCodec<J>, onDeath: (orphans: J[]) => void) {
    this.worker = new Worker(source, { eval: true, workerData: { protocolUrl } });
    this.worker.on('message', (answer: Uint8Array) => {
      const batch = this.inFlight.shift();
      if (batch === undefined) return;
      this.pending -= batch.length;
      codec.settle(batch, answer);
    });
    const die = (): void => {
      if (!this.alive) return;
      this.alive = false;
      const orphans = [...this.inFlight.flat(), ...this.queued];
      this.inFlight.length = 0;
      this.queued = [];
      onDeath(orphans);
    };
    this.worker.on('error', die);
    this.worker.on('exit', die);
    // After the listeners: adding a 'message' listener refs the worker again.
    this.worker.unref();
  }

  submit(job: J): void {
    this.queued.push(job);
    this.pending++;
    // Flushed after this turn of the event loop, so what arrived together crosses together.
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.alive || this.queued.length === 0) return;
    const batch = this.queued;
    this.queued = [];
    const bytes = this.codec.encode(batch, (message) => this.worker.postMessage(message));
    this.inFlight.push(batch);
    this.worker.postMessage(bytes, [bytes.buffer]);
  }
}

/** The protocol build the main thread uses, for workers to import (resolved here, once). */
export function protocolBuildUrl(): string {
  return pathToFileURL(createRequire(import.meta.url).resolve('@relayminer/protocol')).href;
}
