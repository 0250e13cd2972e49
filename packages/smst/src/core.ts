/**
 * The contract between `SparseMerkleSumTrie` (the public API) and a trie core.
 *
 * Two cores implement it: the WASM core of `smt-wasm` (the fast one, where the contract's types
 * are declared, since this package depends on it) and the plain TypeScript reference core
 * (`reference/`), used as a differential oracle and as the benchmark baseline.
 *
 * A core deals only in paths (32 bytes), leaf payloads V = value ‖ u64be(weight) ‖ u64be(1),
 * 48-byte digests and node preimages. It reproduces the Go library's in-memory structure
 * (leaves, inner nodes, extension nodes, one-child inner nodes left behind by deletes) so that
 * proof SiblingData and committed store contents are byte-identical to the chain's library.
 *
 * A core does not have to keep leaf payloads: it keeps each leaf's path, digest and the opaque
 * `handle` its caller gave. Whenever bytes of a leaf are needed (leaf preimage in a commit,
 * sibling data, non-membership data, closest value) the core returns a `LeafRef` and the caller
 * resolves the payload (from its own value arena, an external lookup, or the node store).
 *
 * - `update(path, payload, handle)` inserts or replaces; `delete(path)` returns false (and changes
 *   nothing) when absent; `root()` hashes dirty nodes lazily, in batches.
 * - `commit()` returns everything a Go Commit() would write (orphans to delete first, then every
 *   unpersisted node, children before parents) and marks it persisted; afterwards every leaf
 *   handle is NO_HANDLE (its payload now lives in the store).
 * - `import(root)` starts from a persisted root; nodes resolve lazily through the loader, which
 *   may throw: the core then leaves the trie as it was before the call that needed the node.
 */
export {
  NO_HANDLE,
  type LeafRef,
  type NodeEncoding,
  type CoreProof,
  type CoreClosestProof,
  type CommitSet,
  type NodeLoader,
  type SmstCore,
} from 'smt-wasm';
