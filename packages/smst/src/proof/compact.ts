/**
 * Compaction replaces placeholder side nodes by one bit each and closest-proof integers by minimal
 * big-endian bytes (spec §8.3). Every function validates its input first, like Go, and throws
 * BadProofError on anything Go would reject or panic on.
 */
import { BadProofError } from '../errors.js';
import { bytesEqual, minBigEndian, PLACEHOLDER, readBigEndian, TRAILER_SIZE } from '../bytes.js';
import type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from './types.js';
import {
  validateClosestProof,
  validateCompactClosestProof,
  validateCompactProof,
  validateProof,
} from './validate.js';

const copyOrNull = (b: Uint8Array | null): Uint8Array | null => (b === null ? null : new Uint8Array(b));

function maskBit(mask: Uint8Array, i: number): boolean {
  return ((mask[i >> 3]! >> (7 - (i & 7))) & 1) === 1;
}

export function compactProof(proof: SparseMerkleProof): SparseCompactMerkleProof {
  validateProof(proof);
  const n = proof.sideNodes.length;
  const bitMask = new Uint8Array(Math.ceil(n / 8));
  const sideNodes: Uint8Array[] = [];
  proof.sideNodes.forEach((node, i) => {
    if (bytesEqual(node, PLACEHOLDER)) bitMask[i >> 3]! |= 1 << (7 - (i & 7));
    else sideNodes.push(new Uint8Array(node));
  });
  return {
    sideNodes,
    nonMembershipLeafData: copyOrNull(proof.nonMembershipLeafData),
    bitMask,
    numSideNodes: n,
    siblingData: copyOrNull(proof.siblingData),
  };
}

export function decompactProof(proof: SparseCompactMerkleProof): SparseMerkleProof {
  validateCompactProof(proof);
  const mask = proof.bitMask ?? new Uint8Array(0);
  const sideNodes: Uint8Array[] = [];
  let next = 0;
  for (let i = 0; i < proof.numSideNodes; i++) {
    if (maskBit(mask, i)) {
      sideNodes.push(new Uint8Array(PLACEHOLDER));
      continue;
    }
    const node = proof.sideNodes[next++];
    // Reachable only when bit-mask padding bits are set (they were counted as placeholders by
    // the validation); Go indexes past its slice here and panics.
    if (node === undefined) throw new BadProofError('bit mask padding bits set: not enough side nodes to decompact');
    sideNodes.push(new Uint8Array(node));
  }
  return {
    sideNodes,
    nonMembershipLeafData: copyOrNull(proof.nonMembershipLeafData),
    siblingData: copyOrNull(proof.siblingData),
  };
}

export function compactClosestProof(proof: SparseMerkleClosestProof): SparseCompactMerkleClosestProof {
  validateClosestProof(proof);
  return {
    path: new Uint8Array(proof.path),
    flippedBits: proof.flippedBits.map(minBigEndian),
    depth: minBigEndian(proof.depth),
    closestPath: new Uint8Array(proof.closestPath),
    closestValueHash: copyOrNull(proof.closestValueHash),
    closestProof: compactProof(proof.closestProof!),
  };
}

export function decompactClosestProof(proof: SparseCompactMerkleClosestProof): SparseMerkleClosestProof {
  validateCompactClosestProof(proof);
  return {
    path: new Uint8Array(proof.path),
    flippedBits: proof.flippedBits.map(readBigEndian),
    depth: readBigEndian(proof.depth),
    closestPath: new Uint8Array(proof.closestPath),
    closestValueHash: copyOrNull(proof.closestValueHash),
    closestProof: decompactProof(proof.closestProof!),
  };
}

/**
 * The closest leaf's raw value, i.e. ClosestValueHash without its weight/count trailer (what
 * poktroll decodes as the Relay); null when the proof carries no value.
 */
export function getValueHash(proof: SparseMerkleClosestProof | SparseCompactMerkleClosestProof): Uint8Array | null {
  const v = proof.closestValueHash;
  if (v === null) return null;
  if (v.length < TRAILER_SIZE) {
    throw new BadProofError(`closest value hash of ${v.length} bytes is shorter than its ${TRAILER_SIZE}-byte trailer`);
  }
  return new Uint8Array(v.subarray(0, v.length - TRAILER_SIZE));
}
