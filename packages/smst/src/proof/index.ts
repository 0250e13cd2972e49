export type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from './types.js';
export {
  compactClosestProof,
  compactProof,
  decompactClosestProof,
  decompactProof,
  getValueHash,
} from './compact.js';
export {
  gobHeader,
  marshalSparseCompactMerkleClosestProof,
  marshalSparseCompactMerkleProof,
  marshalSparseMerkleClosestProof,
  marshalSparseMerkleProof,
  unmarshalSparseCompactMerkleClosestProof,
  unmarshalSparseCompactMerkleProof,
  unmarshalSparseMerkleClosestProof,
  unmarshalSparseMerkleProof,
} from './gob.js';
export {
  checkClosestProofBytes,
  hashSerialization,
  verifyClosestProof,
  verifyCompactClosestProof,
  verifyCompactSumProof,
  verifySumProof,
  type ClosestProofCheck,
  type ClosestProofStage,
  type PathHasherKind,
  type VerifyOptions,
} from './verify.js';
