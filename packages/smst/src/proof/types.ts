/**
 * Proof shapes, field for field the Go structs of the chain's SMST library. `null` stands for a Go
 * nil slice / nil pointer; after a gob round trip empty slices come back as null too.
 */

export interface SparseMerkleProof {
  /** 48-byte digests, index 0 = deepest level. */
  sideNodes: Uint8Array[];
  nonMembershipLeafData: Uint8Array | null;
  siblingData: Uint8Array | null;
}

export interface SparseCompactMerkleProof {
  /** The side nodes that are not the empty placeholder, in order. */
  sideNodes: Uint8Array[];
  nonMembershipLeafData: Uint8Array | null;
  /** Bit i (MSB first) set ⇔ side node i is the placeholder; ceil(numSideNodes / 8) bytes. */
  bitMask: Uint8Array | null;
  numSideNodes: number;
  siblingData: Uint8Array | null;
}

export interface SparseMerkleClosestProof {
  path: Uint8Array;
  flippedBits: number[];
  depth: number;
  closestPath: Uint8Array;
  /** The closest leaf's payload V = value ‖ u64be(weight) ‖ u64be(1), or null (empty trie). */
  closestValueHash: Uint8Array | null;
  closestProof: SparseMerkleProof | null;
}

export interface SparseCompactMerkleClosestProof {
  path: Uint8Array;
  /** Each flipped bit as minimal big-endian bytes. */
  flippedBits: Uint8Array[];
  /** Depth as minimal big-endian bytes ([0x00] for 0). */
  depth: Uint8Array;
  closestPath: Uint8Array;
  closestValueHash: Uint8Array | null;
  closestProof: SparseCompactMerkleProof | null;
}
