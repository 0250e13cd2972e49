/**
 * A key-value store for trie nodes (key = 48-byte digest, value = node preimage).
 *
 * Reads are synchronous because a trie resolves nodes in the middle of an update or a proof walk;
 * writes are one atomic batch per commit, so a crash leaves either the old or the new trie.
 */
export interface KVStore {
  getSync(key: Uint8Array): Uint8Array | undefined;
  /** Apply deletions then puts atomically. */
  write(dels: Uint8Array[], puts: [key: Uint8Array, value: Uint8Array][]): Promise<void>;
  /** Every entry, sorted by key bytes (for dumps and tests). */
  entries(): AsyncIterable<[Uint8Array, Uint8Array]>;
  close(): Promise<void>;
}
