/**
 * FIFO mempool plus CometBFT's seen-tx cache. The cache is what makes a second broadcast of identical bytes
 * fail with "tx already exists in cache" while the tx is pending or after it was committed; txs that fail
 * CheckTx or recheck, or that are evicted, leave the cache so they can be sent again.
 */
export interface MempoolEntry {
  tx: Uint8Array;
  hash: string;
  /** First height this tx may be included at (delayInclusion pushes it out). */
  notBefore: number;
}

export class Mempool {
  private entries: MempoolEntry[] = [];
  private readonly cache = new Set<string>();

  get size(): number {
    return this.entries.length;
  }

  seen(hash: string): boolean {
    return this.cache.has(hash);
  }

  add(entry: MempoolEntry): void {
    this.entries.push(entry);
    this.cache.add(entry.hash);
  }

  /** Removes and returns, in arrival order, the txs allowed into block `height` (at most `cap`). */
  takeFor(height: number, cap: number): MempoolEntry[] {
    const taken: MempoolEntry[] = [];
    const kept: MempoolEntry[] = [];
    for (const e of this.entries) {
      if (taken.length < cap && e.notBefore <= height) taken.push(e);
      else kept.push(e);
    }
    this.entries = kept;
    return taken;
  }

  /** Moves a pending tx's earliest height; false when the tx is not pending. */
  postpone(hash: string, notBefore: number): boolean {
    const e = this.entries.find((x) => x.hash === hash);
    if (!e) return false;
    e.notBefore = Math.max(e.notBefore, notBefore);
    return true;
  }

  pending(): readonly MempoolEntry[] {
    return this.entries;
  }

  /** Drops a pending tx and forgets it, so identical bytes are accepted again. */
  evict(hash: string): boolean {
    const before = this.entries.length;
    this.entries = this.entries.filter((e) => e.hash !== hash);
    this.cache.delete(hash);
    return this.entries.length !== before;
  }
}
