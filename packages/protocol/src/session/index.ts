export type {
  SessionGridParamsInput,
  GracePeriodParamsInput,
  ProofWindowOffsetsInput,
  ClaimProofWindowParamsInput,
  SharedSessionParamsInput,
  ComputeUnitPricingParamsInput,
} from './shared-params.js';
export {
  sessionStartHeight,
  sessionEndHeight,
  sessionNumber,
  isSessionStartHeight,
  isSessionEndHeight,
  nextSessionStartHeight,
} from './session-grid.js';
export {
  sessionGracePeriodEndHeight,
  isSessionGracePeriodElapsed,
  claimWindowOpenHeight,
  claimWindowCloseHeight,
  proofWindowOpenHeight,
  proofWindowCloseHeight,
  earliestSupplierClaimCommitHeight,
  earliestSupplierProofCommitHeight,
  proofRequirementSeedBlockHeight,
  sessionEndToProofWindowCloseBlocks,
  settlementHeight,
  numPendingSessions,
  sessionLifecycleHeights,
} from './session-windows.js';
export type { SessionLifecycleHeights } from './session-windows.js';
export { sessionIdPreimage, sessionIdFromPreimage, computeSessionId } from './session-id.js';
export type { SessionIdInput } from './session-id.js';
export {
  supplierWeightSeed,
  supplierSelectionWeight,
  sortSuppliersBySelectionWeight,
  selectSessionSuppliers,
} from './supplier-selection.js';
export type { SupplierCandidate } from './supplier-selection.js';
