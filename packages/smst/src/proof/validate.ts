/**
 * The structural checks Go runs before compacting, decompacting or verifying a proof (spec
 * §9.1–9.4). Both Go's errors and the inputs on which Go would panic throw BadProofError, so a
 * caller only has one failure mode to handle. No check beyond Go's is added: extra strictness
 * would change verdicts relative to the chain.
 */
import { BadProofError } from '../errors.js';
import { bytesEqual, DIGEST_SIZE, flipBit, getBit, MAX_DEPTH, PATH_SIZE } from '../bytes.js';
import { hashSerialization } from './digest.js';
import type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from './types.js';

/** leaf prefix + path: the shortest NonMembershipLeafData that can be parsed. */
const MIN_LEAF_DATA = 1 + PATH_SIZE;
/** Depth and flipped bits are at most 256, i.e. two big-endian bytes. */
const MAX_COMPACT_INT_BYTES = 2;

function isIntIn(n: number, lo: number, hi: number): boolean {
  return Number.isInteger(n) && n >= lo && n <= hi;
}

export function validateProof(proof: SparseMerkleProof): void {
  const sideNodes = proof.sideNodes;
  if (sideNodes.length > MAX_DEPTH) {
    throw new BadProofError(`too many side nodes: got ${sideNodes.length} but max is ${MAX_DEPTH}`);
  }
  const leafData = proof.nonMembershipLeafData;
  if (leafData !== null && leafData.length < MIN_LEAF_DATA) {
    throw new BadProofError(`invalid non-membership leaf data size: got ${leafData.length} but min is ${MIN_LEAF_DATA}`);
  }
  // Side-node sizes are only enforced together with SiblingData; without it the verifier pads or
  // truncates them (spec §12 item 12), and that leniency is part of Go's verdicts.
  if (proof.siblingData === null || sideNodes.length === 0) return;
  const siblingHash = hashSerialization(proof.siblingData);
  for (const node of sideNodes) {
    if (node.length !== DIGEST_SIZE) {
      throw new BadProofError(`invalid side node size: got ${node.length} but want ${DIGEST_SIZE}`);
    }
  }
  if (!bytesEqual(sideNodes[0]!, siblingHash)) {
    throw new BadProofError('invalid sibling data hash: sibling data does not hash to the first side node');
  }
}

function popcount(bytes: Uint8Array): number {
  let n = 0;
  for (let b of bytes) {
    while (b) {
      n += b & 1;
      b >>= 1;
    }
  }
  return n;
}

export function validateCompactProof(proof: SparseCompactMerkleProof): void {
  const n = proof.numSideNodes;
  if (!isIntIn(n, 0, MAX_DEPTH)) {
    throw new BadProofError(`invalid number of side nodes: got ${n}, min is 0 and max is ${MAX_DEPTH}`);
  }
  const mask = proof.bitMask ?? new Uint8Array(0);
  const maskLen = Math.ceil(n / 8);
  if (mask.length !== maskLen) {
    throw new BadProofError(`invalid bit mask length: got ${mask.length} want ${maskLen}`);
  }
  // Padding bits past n count as placeholders here, exactly like Go; a proof that sets them then
  // runs out of side nodes while decompacting, which decompactProof reports.
  const expected = n - popcount(mask);
  if (n > 0 && proof.sideNodes.length !== expected) {
    throw new BadProofError(`invalid number of side nodes: got ${proof.sideNodes.length} want ${expected}`);
  }
}

export function validateClosestProof(proof: SparseMerkleClosestProof): void {
  if (proof.path.length !== PATH_SIZE) {
    throw new BadProofError(`invalid path length: got ${proof.path.length}, want ${PATH_SIZE}`);
  }
  const depth = proof.depth;
  if (!isIntIn(depth, 0, MAX_DEPTH)) {
    throw new BadProofError(`invalid depth: got ${depth}, outside of [0, ${MAX_DEPTH}]`);
  }
  proof.flippedBits.forEach((b, i) => {
    if (!isIntIn(b, 0, depth)) {
      throw new BadProofError(`invalid flipped bit index ${i}: got ${b}, outside of [0, ${depth}]`);
    }
  });
  const working = new Uint8Array(proof.path);
  for (const b of proof.flippedBits) {
    // b == 256 is allowed by the range check above but lies outside a 32-byte path (Go panics).
    if (b >= MAX_DEPTH) throw new BadProofError(`flipped bit ${b} lies outside the path`);
    flipBit(working, b);
  }
  if (proof.closestPath.length * 8 < depth) {
    throw new BadProofError(`closest path of ${proof.closestPath.length} bytes is shorter than depth ${depth}`);
  }
  for (let i = 0; i < depth; i++) {
    if (getBit(working, i) !== getBit(proof.closestPath, i)) {
      throw new BadProofError(`invalid closest path (not equal at bit: ${i})`);
    }
  }
  if (proof.closestProof === null) throw new BadProofError('closest proof is missing');
  try {
    validateProof(proof.closestProof);
  } catch (e) {
    throw new BadProofError(`invalid closest proof: ${(e as Error).message}`);
  }
}

export function validateCompactClosestProof(proof: SparseCompactMerkleClosestProof): void {
  if (proof.path.length !== PATH_SIZE) {
    throw new BadProofError(`invalid path length: got ${proof.path.length}, want ${PATH_SIZE}`);
  }
  if (proof.depth.length > MAX_COMPACT_INT_BYTES) {
    throw new BadProofError(`invalid depth: got ${proof.depth.length} bytes but max is ${MAX_COMPACT_INT_BYTES}`);
  }
  proof.flippedBits.forEach((b, i) => {
    if (b.length > MAX_COMPACT_INT_BYTES) {
      throw new BadProofError(`invalid compressed flipped bit index ${i}: got length ${b.length}, max is ${MAX_COMPACT_INT_BYTES}`);
    }
  });
  if (proof.closestProof === null) throw new BadProofError('closest proof is missing');
  try {
    validateCompactProof(proof.closestProof);
  } catch (e) {
    throw new BadProofError(`invalid closest proof: ${(e as Error).message}`);
  }
}
