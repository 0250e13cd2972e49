/**
 * The mining stage of the relay miner: served relays in, mined relays out, in the order served.
 * Relays are batched so a batch is hashed in one WASM call and looks its sessions up at most once.
 */
import { Observable, tap, type Subscriber } from 'rxjs';
import type { ServedRelay } from '@relayminer/proxy';
import type { MinerError } from './errors.js';
import { MiningLookupError } from './errors.js';
import { batchUpTo } from './batch-up-to.js';
import { DROP_REASONS, mineBatch, servedRelayProblem, type DropReason, type MinedRelay, type RelayVerdict } from './mine-batch.js';
import { MiningParamsCache, miningParamsKey, type MiningParams, type MiningParamsSource } from './mining-params.js';

/** A relay the miner dropped, and why; given to `onDrop` so no drop goes unexplained. */
export interface DroppedRelay {
  readonly relay: ServedRelay;
  readonly reason: DropReason;
  readonly error: MinerError;
}

export interface MinerDependencies extends MiningParamsSource {
  /** Called for every dropped relay. Must not throw (a throw is ignored). */
  readonly onDrop?: (drop: DroppedRelay) => void;
}

export interface MinerOptions {
  /** Largest batch hashed in one call. Default 64; 1 mines one relay at a time. */
  readonly batchSize?: number;
  /** Longest a relay waits for its batch to fill. Default 5 ms; 0: only until the current event-loop turn ends. */
  readonly batchWaitMs?: number;
  /** (service, session start) pairs whose parameters are kept. Default 1024. */
  readonly paramsCacheSize?: number;
}

export interface MinerStats {
  readonly received: number;
  readonly mined: number;
  readonly notMinable: number;
  readonly dropped: Readonly<Record<DropReason, number>>;
}

/**
 * An Observable of mined relays with the counters of every subscription to it. Each subscription
 * runs its own pipeline over the served relays, so subscribe once (or `share()`).
 */
export class MinedRelays extends Observable<MinedRelay> {
  constructor(
    subscribe: (subscriber: Subscriber<MinedRelay>) => () => void,
    private readonly counters: { received: number; mined: number; notMinable: number; dropped: Record<DropReason, number> },
  ) {
    super(subscribe);
  }

  stats(): MinerStats {
    return { ...this.counters, dropped: { ...this.counters.dropped } };
  }
}

export function minedRelays(servedRelays$: Observable<ServedRelay>, deps: MinerDependencies, options: MinerOptions = {}): MinedRelays {
  const batchSize = options.batchSize ?? 64;
  const batchWaitMs = options.batchWaitMs ?? 5;
  const cache = new MiningParamsCache(deps, options.paramsCacheSize ?? 1024);
  const counters = {
    received: 0,
    mined: 0,
    notMinable: 0,
    dropped: Object.fromEntries(DROP_REASONS.map((r) => [r, 0])) as Record<DropReason, number>,
  };

  const record = (batch: readonly ServedRelay[], verdicts: readonly RelayVerdict[]): MinedRelay[] => {
    const mined: MinedRelay[] = [];
    verdicts.forEach((verdict, i) => {
      const onSettled = batch[i]!.onSettled;
      if (verdict.kind === 'mined') {
        counters.mined++;
        mined.push(onSettled ? { ...verdict.relay, onSettled } : verdict.relay);
        return;
      }
      // Nothing to keep: the proxy holding this reply may send it now.
      onSettled?.();
      if (verdict.kind === 'not_minable') {
        counters.notMinable++;
      } else {
        counters.dropped[verdict.reason]++;
        try {
          deps.onDrop?.({ relay: batch[i]!, reason: verdict.reason, error: verdict.error });
        } catch {
          // A faulty observer must not stop mining; the drop is counted either way.
        }
      }
    });
    return mined;
  };

  /**
   * Starts what a batch needs and returns how to finish it: at once when every session of the batch
   * is known (nothing awaited), otherwise after its lookups settled.
   */
  const prepare = (batch: ServedRelay[]): (() => MinedRelay[]) | Promise<() => MinedRelay[]> => {
    const problems = batch.map(servedRelayProblem);
    const known = new Map<string, MiningParams | MiningLookupError>();
    const missing = new Map<string, { serviceId: string; start: bigint }>();
    batch.forEach((served, i) => {
      if (problems[i] !== undefined) return;
      const { serviceId, sessionStartBlockHeight: start } = served.request.meta!.sessionHeader!;
      const key = miningParamsKey(serviceId, start);
      if (known.has(key) || missing.has(key)) return;
      const params = cache.peek(serviceId, start);
      if (params !== undefined) known.set(key, params);
      else missing.set(key, { serviceId, start });
    });
    const paramsOf = (serviceId: string, start: bigint) => known.get(miningParamsKey(serviceId, start))!;
    const finish = () => record(batch, mineBatch(batch, paramsOf, problems));
    if (missing.size === 0) return finish;
    const lookups = [...missing].map(async ([key, { serviceId, start }]) => {
      try {
        known.set(key, await cache.load(serviceId, start));
      } catch (err) {
        known.set(key, err instanceof MiningLookupError ? err : new MiningLookupError(serviceId, start, String(err), { cause: err }));
      }
    });
    return Promise.all(lookups).then(() => finish);
  };

  return new MinedRelays((subscriber) => {
    // Batches wait here, in order, while an earlier one waits on a lookup. A loop rather than
    // concatMap: concatMap drains a backlog of synchronous batches by recursion, and a burst of
    // thousands of relays behind one lookup overflowed the stack.
    const queue: ServedRelay[][] = [];
    let head = 0;
    let waiting = false;
    let sourceDone = false;
    // A source error waits until every relay received before it has been mined or counted.
    let sourceError: { err: unknown } | undefined;
    const emit = (mined: MinedRelay[]): void => {
      for (const relay of mined) subscriber.next(relay);
    };
    const drain = (): void => {
      while (!waiting && head < queue.length && !subscriber.closed) {
        const batch = queue[head]!;
        queue[head++] = undefined as never;
        const ready = prepare(batch);
        if (typeof ready === 'function') {
          emit(ready());
          continue;
        }
        waiting = true;
        ready
          .then((finish) => {
            waiting = false;
            emit(finish());
            drain();
          })
          .catch((err: unknown) => subscriber.error(err));
      }
      if (head === queue.length) {
        queue.length = 0;
        head = 0;
      }
      if (!waiting && sourceDone && head === queue.length) {
        if (sourceError) subscriber.error(sourceError.err);
        else subscriber.complete();
      }
    };
    const run = (fn: () => void) => {
      try {
        fn();
      } catch (err) {
        subscriber.error(err);
      }
    };
    const subscription = servedRelays$
      .pipe(
        tap(() => counters.received++),
        batchUpTo(batchSize, batchWaitMs),
      )
      .subscribe({
        next: (batch) => run(() => (queue.push(batch), drain())),
        error: (err) => run(() => ((sourceError = { err }), (sourceDone = true), drain())),
        complete: () => run(() => ((sourceDone = true), drain())),
      });
    return () => subscription.unsubscribe();
  }, counters);
}
