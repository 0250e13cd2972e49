/**
 * Groups values into arrays of at most `maxCount`, emitting a partial group `maxWaitMs` after its
 * first value, or, with `maxWaitMs` 0, once the current turn of the event loop is over (what arrived
 * together goes together, and a lone value waits for nothing else). Unlike rxjs bufferTime, no timer
 * runs (and no empty array is emitted) while idle, so an idle miner costs nothing.
 */
import { Observable, type OperatorFunction } from 'rxjs';

export function batchUpTo<T>(maxCount: number, maxWaitMs: number): OperatorFunction<T, T[]> {
  if (!Number.isInteger(maxCount) || maxCount < 1) throw new RangeError('maxCount must be an integer >= 1');
  if (!(maxWaitMs >= 0)) throw new RangeError('maxWaitMs must be >= 0');
  return (source) =>
    new Observable<T[]>((subscriber) => {
      let batch: T[] = [];
      let timer: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | undefined;
      const cancel = (): void => {
        if (timer === undefined) return;
        if (maxWaitMs === 0) clearImmediate(timer as ReturnType<typeof setImmediate>);
        else clearTimeout(timer as ReturnType<typeof setTimeout>);
        timer = undefined;
      };
      const flush = (): void => {
        cancel();
        if (batch.length === 0) return;
        const out = batch;
        batch = [];
        subscriber.next(out);
      };
      const subscription = source.subscribe({
        next(value) {
          batch.push(value);
          if (batch.length >= maxCount) flush();
          else if (timer === undefined) timer = maxWaitMs === 0 ? setImmediate(flush) : setTimeout(flush, maxWaitMs);
        },
        error(err) {
          // Relays already received are still mined before the error propagates.
          flush();
          subscriber.error(err);
        },
        complete() {
          flush();
          subscriber.complete();
        },
      });
      return () => {
        cancel();
        subscription.unsubscribe();
      };
    });
}
