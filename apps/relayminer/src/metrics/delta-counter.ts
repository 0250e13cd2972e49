/**
 * Prometheus counters fed from running totals that another package keeps (the proxy's and the
 * miner's `stats()`): on each scrape the counter moves by how much the total grew since the last one.
 * A total that goes down (two counters read a moment apart) is held at its high-water mark, so a
 * counter never decreases.
 */
import type { Counter } from 'prom-client';

export class DeltaCounter<L extends string> {
  private readonly seen = new Map<string, number>();

  constructor(private readonly counter: Counter<L>) {}

  /** Sets the counter of `labels` to `total` (only ever upwards). */
  update(labels: Partial<Record<L, string | number>>, total: number): void {
    const id = JSON.stringify(labels);
    const last = this.seen.get(id) ?? 0;
    if (total > last) {
      this.counter.inc(labels, total - last);
      this.seen.set(id, total);
    } else if (!this.seen.has(id)) {
      // exposes the series at 0, so dashboards see it before the first event
      this.counter.inc(labels, 0);
      this.seen.set(id, 0);
    }
  }
}
