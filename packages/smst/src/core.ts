/**
 * The contract between `SparseMerkleSumTrie` (the public API) and a trie core.
 *
 * Two cores implement it: the WASM core from `smt-wasm` (the fast one) and the plain TypeScript
 * reference core (`reference/`), used as a differential oracle and as the benchmark baseline.
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
 */

/** Handle of a leaf whose payload is not held by the caller (e.g. loaded from a store). */
export const NO_HANDLE = 0xffffffff;

export interface LeafRef {
  /** 32-byte leaf path. */
  path: Uint8Array;
  /** 48-byte leaf digest: H(00 ‖ path ‖ V) ‖ u64be(weight) ‖ u64be(1). It is the leaf's store key. */
  digest: Uint8Array;
  /** The handle given to `update`, or NO_HANDLE. */
  handle: number;
}

/** How a node serialises: leaves need their payload from the caller; other nodes come complete. */
export type NodeEncoding =
  | { kind: 'leaf'; leaf: LeafRef } // preimage = 00 ‖ path ‖ V
  | { kind: 'node'; preimage: Uint8Array }; // inner (01 …, 113 bytes) or extension (02 …, 99 bytes)

/** A proof as the core sees it: the caller turns it into a SparseMerkleProof. */
export interface CoreProof {
  /** 48-byte digests, index 0 = deepest level (the Go order). Empty sides are 48 zero bytes. */
  sideNodes: Uint8Array[];
  /** The walk ended on a leaf whose path differs from the queried one. */
  nonMembershipLeaf: LeafRef | null;
  /** The last sibling object of the walk, when it is not empty. */
  sibling: NodeEncoding | null;
}

export interface CoreClosestProof {
  flippedBits: number[];
  depth: number;
  /** The leaf found; null only for an empty trie. */
  leaf: LeafRef | null;
  /** Membership proof of `leaf` (nonMembershipLeaf is always null). */
  proof: CoreProof;
}

export interface CommitSet {
  /** Digests of previously persisted nodes replaced or modified since the last commit, to delete first. */
  orphans: Uint8Array[];
  /** Every node not yet persisted, children before parents; key = digest, value = encoding. */
  nodes: { digest: Uint8Array; encoding: NodeEncoding }[];
}

/**
 * Loads the preimage of a persisted node by its 48-byte digest (synchronously), or returns
 * undefined when the store has no such entry. May throw; the core must then leave the trie as
 * it was before the call that needed the node.
 */
export type NodeLoader = (digest: Uint8Array) => Uint8Array | undefined;

export interface SmstCore {
  /** Insert or replace the leaf at `path` (32 bytes) with payload V (≥ 16 bytes). */
  update(path: Uint8Array, payload: Uint8Array, handle: number): void;
  /** Remove the leaf at `path`; false (and no change at all) when there is none. */
  delete(path: Uint8Array): boolean;
  /** The leaf at `path`, or null. */
  get(path: Uint8Array): LeafRef | null;
  /** 48-byte root digest (48 zeros when empty). Hashes dirty nodes lazily, in batches where it can. */
  root(): Uint8Array;
  prove(path: Uint8Array): CoreProof;
  /** Go's ProveClosest walk (spec §8.2). */
  proveClosest(path: Uint8Array): CoreClosestProof;
  /**
   * Everything a Go Commit() would write, then marks it persisted. Afterwards every leaf's handle
   * is NO_HANDLE (its payload now lives in the store) and the orphan list is empty.
   */
  commit(): CommitSet;
  /** Forget the current trie and start from a persisted root (lazily loaded through the loader). */
  import(root: Uint8Array): void;
  /** The loader used to resolve persisted nodes; required before touching an imported trie. */
  setLoader(loader: NodeLoader): void;
  /** Release native memory. The core is unusable afterwards. */
  dispose(): void;
}
