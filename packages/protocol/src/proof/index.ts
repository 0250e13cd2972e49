export { GO_RAND_COOKED } from './go-rand-cooked.js';
export { GoRandSource } from './go-rand-source.js';
export { goBinaryUvarint, goBinaryVarint } from './go-varint.js';
export type { GoVarintResult } from './go-varint.js';
export { seededRandomSeed, seededFloat64, seededInt63 } from './seeded-random.js';
export type { SeededRandomSeed } from './seeded-random.js';
export { proofPath } from './proof-path.js';
export {
  proofRequirement,
  proofRequirementSampleValue,
  proofRequirementThresholdUpokt,
} from './proof-requirement.js';
export type {
  ProofRequirementDecisionReason,
  ProofRequirementInput,
  ProofRequirementDecision,
  ProofParamsInput,
} from './proof-requirement.js';
