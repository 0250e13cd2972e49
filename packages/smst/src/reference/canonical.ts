/**
 * Structure-free root computation (spec §3.1): a leaf sits at the shallowest depth where it is
 * alone, every level in between is a one-child inner node. It shares no code path with the
 * structural core except the digest primitives, which makes it a useful second oracle.
 */
import { InvalidInputError } from '../errors.js';
import { MAX_DEPTH, PATH_SIZE, PLACEHOLDER, bitAt } from '../bytes.js';
import { innerDigestOf, leafDigestOf } from './nodes.js';

export interface CanonicalLeaf {
  path: Uint8Array;
  /** V = value ‖ u64be(weight) ‖ u64be(1). */
  payload: Uint8Array;
}

export function canonicalRoot(leaves: readonly CanonicalLeaf[]): Uint8Array {
  for (const leaf of leaves) {
    if (!(leaf.path instanceof Uint8Array) || leaf.path.length !== PATH_SIZE) {
      throw new InvalidInputError('path must be 32 bytes');
    }
    if (!(leaf.payload instanceof Uint8Array) || leaf.payload.length < 16) {
      throw new InvalidInputError('payload must be at least 16 bytes');
    }
  }
  return new Uint8Array(subtreeDigest(leaves, 0));
}

function subtreeDigest(leaves: readonly CanonicalLeaf[], depth: number): Uint8Array {
  if (leaves.length === 0) return PLACEHOLDER;
  if (leaves.length === 1) return leafDigestOf(leaves[0]!.path, leaves[0]!.payload);
  // Two leaves still together after all 256 bits means the caller gave the same path twice.
  if (depth === MAX_DEPTH) throw new InvalidInputError('duplicate path in leaf set');
  const left: CanonicalLeaf[] = [];
  const right: CanonicalLeaf[] = [];
  for (const leaf of leaves) (bitAt(leaf.path, depth) === 0 ? left : right).push(leaf);
  return innerDigestOf(subtreeDigest(left, depth + 1), subtreeDigest(right, depth + 1));
}
