/**
 * The bounded buffer between the relay handlers and whoever mines served relays (Go's
 * `served_relays_buffer_size` channel).
 *
 * Relays are handed to subscribers off the request path: `offer` only queues, and a drain scheduled
 * with setImmediate emits the queue in batches, so a slow synchronous subscriber (hashing, tree
 * updates) shows up as a growing queue instead of slower replies. Without a subscriber relays wait in
 * the queue, so none are lost while the miner starts up.
 *
 * When the queue is full:
 * - `drop`: the relay is not queued; the caller counts it and refunds the meter (as Go, which drops
 *   from mining but has already replied to the client).
 * - `backpressure`: handlers call `reserve` before they write a reply and wait until a slot is free,
 *   so clients see slower replies while the miner is behind, and gateways throttle themselves. The
 *   wait is bounded by the caller's deadline; a handler that could not reserve still replies and its
 *   relay is dropped (counted as `buffer_full`), so a stalled miner never stalls serving for good.
 */
import { Observable, Subject } from 'rxjs';
import type { ServedRelay } from '../types.js';
import type { ServedBufferOverflow } from './options.js';

const DRAIN_BATCH = 512;

/** A slot held for a relay whose reply is being written; exactly one of commit or release must follow. */
export interface BufferReservation {
  commit(relay: ServedRelay): void;
  release(): void;
}

export class ServedRelayBuffer {
  private readonly queue: ServedRelay[] = [];
  private head = 0;
  private reserved = 0;
  private readonly waiters: Array<() => void> = [];
  private readonly subject = new Subject<ServedRelay>();
  private subscribers = 0;
  private drainScheduled = false;
  private closed = false;

  readonly relays: Observable<ServedRelay>;

  constructor(
    readonly size: number,
    readonly overflow: ServedBufferOverflow,
  ) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError('served relay buffer size must be a positive integer');
    this.relays = new Observable<ServedRelay>((subscriber) => {
      const inner = this.subject.subscribe(subscriber);
      this.subscribers++;
      this.scheduleDrain();
      return () => {
        inner.unsubscribe();
        this.subscribers--;
      };
    });
  }

  /** Relays queued and not yet handed to subscribers. */
  get length(): number {
    return this.queue.length - this.head;
  }

  private get free(): number {
    return this.size - this.length - this.reserved;
  }

  /** Queues a relay when there is room; false when it has to be dropped. */
  offer(relay: ServedRelay): boolean {
    if (this.closed || this.free <= 0) return false;
    this.push(relay);
    return true;
  }

  /**
   * Waits (until `deadline`, a Date.now() value) for a free slot and holds it. Resolves undefined when
   * none freed up in time.
   */
  async reserve(deadline: number): Promise<BufferReservation | undefined> {
    while (this.free <= 0) {
      if (this.closed) return undefined;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          const i = this.waiters.indexOf(wake);
          if (i >= 0) this.waiters.splice(i, 1);
          resolve();
        }, remaining);
        const wake = (): void => {
          clearTimeout(timer);
          resolve();
        };
        this.waiters.push(wake);
      });
    }
    this.reserved++;
    let done = false;
    return {
      commit: (relay) => {
        if (done) return;
        done = true;
        this.reserved--;
        if (this.closed) return;
        this.push(relay);
      },
      release: () => {
        if (done) return;
        done = true;
        this.reserved--;
        this.wakeWaiters();
      },
    };
  }

  close(): void {
    this.closed = true;
    this.wakeWaiters();
    this.subject.complete();
  }

  private push(relay: ServedRelay): void {
    this.queue.push(relay);
    this.scheduleDrain();
  }

  private scheduleDrain(): void {
    if (this.drainScheduled || this.subscribers === 0 || this.length === 0) return;
    this.drainScheduled = true;
    setImmediate(() => this.drain());
  }

  private drain(): void {
    this.drainScheduled = false;
    let emitted = 0;
    while (this.subscribers > 0 && this.length > 0 && emitted < DRAIN_BATCH) {
      const relay = this.queue[this.head]!;
      this.queue[this.head++] = undefined as unknown as ServedRelay;
      emitted++;
      this.subject.next(relay);
    }
    // Compact occasionally instead of shifting on every emit.
    if (this.head > 1024 && this.head * 2 > this.queue.length) {
      this.queue.splice(0, this.head);
      this.head = 0;
    }
    if (emitted > 0) this.wakeWaiters();
    this.scheduleDrain();
  }

  private wakeWaiters(): void {
    const waiters = this.waiters.splice(0, Math.max(this.free, this.closed ? this.waiters.length : 0));
    for (const wake of waiters) wake();
  }
}
