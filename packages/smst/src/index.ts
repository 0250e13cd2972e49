export { SparseMerkleSumTrie, type TrieOptions, type LeafValue, ROOT_SIZE, PATH_SIZE, EMPTY_ROOT } from './trie.js';
export * from './errors.js';
export * from './proof/index.js';
export type { KVStore } from './store/types.js';
export { MemoryStore } from './store/memory.js';
export { LevelStore } from './store/level.js';
export { ReferenceSmstCore, canonicalRoot } from './reference/core.js';
export { NO_HANDLE, type SmstCore, type LeafRef, type NodeEncoding, type CoreProof, type CoreClosestProof, type CommitSet } from './core.js';
export { sha256 } from './hash.js';
