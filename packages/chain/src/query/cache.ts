/**
 * Promise caches for chain reads. A value is cached as its pending promise, so concurrent relays asking
 * for the same session share one RPC; a rejected promise is dropped so the next caller tries again.
 */
export class PromiseCache<V> {
  private readonly entries = new Map<string, Promise<V>>();

  /** @param maxEntries oldest-inserted entries are evicted past this size (insertion order ≈ height order here). */
  constructor(private readonly maxEntries = Infinity) {}

  get size(): number {
    return this.entries.size;
  }

  getOrLoad(key: string, load: () => Promise<V>): Promise<V> {
    const hit = this.entries.get(key);
    if (hit) {
      // refresh recency so a bounded cache keeps what is still being read
      this.entries.delete(key);
      this.entries.set(key, hit);
      return hit;
    }
    const pending = load();
    this.entries.set(key, pending);
    pending.catch(() => {
      if (this.entries.get(key) === pending) this.entries.delete(key);
    });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
    return pending;
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Entries that stay valid for one session only (the Go miner's `WithSessionCountCacheClearFn(1)`). */
export class SessionScopedCache<V> extends PromiseCache<V> {}
