/**
 * Grace period and claim/proof window heights of the session containing `height` (any block of
 * the session, usually its end height E). The chain resolves these with the shared params at E.
 * Like Go, the helpers add their offsets to the session end even when that end is 0 (height ≤ 0).
 */
import { assertInt64, assertPositiveUint64, assertUint64 } from './integer-checks.js';
import {
  readWindowOffsets,
  type ClaimProofWindowParamsInput,
  type GracePeriodParamsInput,
  type ProofWindowOffsetsInput,
  type SessionGridParamsInput,
  type SharedSessionParamsInput,
} from './shared-params.js';
import {
  isSessionEndHeight,
  isSessionStartHeight,
  nextSessionStartHeight,
  sessionEndHeight,
  sessionNumber,
  sessionStartHeight,
} from './session-grid.js';

export function sessionGracePeriodEndHeight(params: GracePeriodParamsInput, height: bigint): bigint {
  assertUint64('gracePeriodEndOffsetBlocks', params.gracePeriodEndOffsetBlocks);
  return sessionEndHeight(params, height) + params.gracePeriodEndOffsetBlocks;
}

/** True once `currentHeight` is past the grace period of the session containing `height`. */
export function isSessionGracePeriodElapsed(params: GracePeriodParamsInput, height: bigint, currentHeight: bigint): boolean {
  assertInt64('currentHeight', currentHeight);
  return currentHeight > sessionGracePeriodEndHeight(params, height);
}

export function claimWindowOpenHeight(params: SessionGridParamsInput & Pick<ProofWindowOffsetsInput, 'claimWindowOpenOffsetBlocks'>, height: bigint): bigint {
  assertUint64('claimWindowOpenOffsetBlocks', params.claimWindowOpenOffsetBlocks);
  // The extra block lets relays served in the session's last block still reach the tree.
  return sessionEndHeight(params, height) + params.claimWindowOpenOffsetBlocks + 1n;
}

export function claimWindowCloseHeight(
  params: SessionGridParamsInput & Pick<ProofWindowOffsetsInput, 'claimWindowOpenOffsetBlocks' | 'claimWindowCloseOffsetBlocks'>,
  height: bigint,
): bigint {
  assertUint64('claimWindowCloseOffsetBlocks', params.claimWindowCloseOffsetBlocks);
  return claimWindowOpenHeight(params, height) + params.claimWindowCloseOffsetBlocks;
}

export function proofWindowOpenHeight(
  params: SessionGridParamsInput & Omit<ProofWindowOffsetsInput, 'proofWindowCloseOffsetBlocks'>,
  height: bigint,
): bigint {
  assertUint64('proofWindowOpenOffsetBlocks', params.proofWindowOpenOffsetBlocks);
  return claimWindowCloseHeight(params, height) + params.proofWindowOpenOffsetBlocks;
}

export function proofWindowCloseHeight(params: ClaimProofWindowParamsInput, height: bigint): bigint {
  assertUint64('proofWindowCloseOffsetBlocks', params.proofWindowCloseOffsetBlocks);
  return proofWindowOpenHeight(params, height) + params.proofWindowCloseOffsetBlocks;
}

/**
 * The first block a supplier may commit its claim in. The chain's per-supplier random offset is
 * disabled at the pinned commit, so this is the claim window open height for every supplier.
 */
export function earliestSupplierClaimCommitHeight(
  params: SessionGridParamsInput & Pick<ProofWindowOffsetsInput, 'claimWindowOpenOffsetBlocks'>,
  height: bigint,
): bigint {
  return claimWindowOpenHeight(params, height);
}

/** Proof counterpart of earliestSupplierClaimCommitHeight (= proof window open height). */
export function earliestSupplierProofCommitHeight(
  params: SessionGridParamsInput & Omit<ProofWindowOffsetsInput, 'proofWindowCloseOffsetBlocks'>,
  height: bigint,
): bigint {
  return proofWindowOpenHeight(params, height);
}

/** The block whose hash seeds the proof path and the proof-requirement sample. */
export function proofRequirementSeedBlockHeight(
  params: SessionGridParamsInput & Omit<ProofWindowOffsetsInput, 'proofWindowCloseOffsetBlocks'>,
  height: bigint,
): bigint {
  return earliestSupplierProofCommitHeight(params, height) - 1n;
}

/** cwo + cwc + pwo + pwc: blocks from a session's end to its proof window close. */
export function sessionEndToProofWindowCloseBlocks(params: ProofWindowOffsetsInput): bigint {
  const p = readWindowOffsets(params);
  return p.claimWindowOpenOffsetBlocks + p.claimWindowCloseOffsetBlocks + p.proofWindowOpenOffsetBlocks + p.proofWindowCloseOffsetBlocks;
}

/** Height whose EndBlocker settles the session containing `height` (Go's GetSettlementSessionEndHeight). */
export function settlementHeight(params: ClaimProofWindowParamsInput, height: bigint): bigint {
  return sessionEndToProofWindowCloseBlocks(params) + sessionEndHeight(params, height) + 1n;
}

/** Sessions still unsettled at any time: ceil(sessionEndToProofWindowCloseBlocks / N). */
export function numPendingSessions(params: Pick<SessionGridParamsInput, 'numBlocksPerSession'> & ProofWindowOffsetsInput): bigint {
  const tail = sessionEndToProofWindowCloseBlocks(params);
  const n = params.numBlocksPerSession;
  assertPositiveUint64('numBlocksPerSession', n);
  return (tail + n - 1n) / n;
}

export interface SessionLifecycleHeights {
  sessionNumber: bigint;
  sessionStartHeight: bigint;
  sessionEndHeight: bigint;
  isSessionStartHeight: boolean;
  isSessionEndHeight: boolean;
  nextSessionStartHeight: bigint;
  gracePeriodEndHeight: bigint;
  claimWindowOpenHeight: bigint;
  claimWindowCloseHeight: bigint;
  proofWindowOpenHeight: bigint;
  proofWindowCloseHeight: bigint;
  earliestSupplierClaimCommitHeight: bigint;
  earliestSupplierProofCommitHeight: bigint;
  proofRequirementSeedBlockHeight: bigint;
  sessionEndToProofWindowCloseBlocks: bigint;
  settlementHeight: bigint;
  numPendingSessions: bigint;
}

/** Every grid and window height of the session containing `height`, in one object. */
export function sessionLifecycleHeights(params: SharedSessionParamsInput, height: bigint): SessionLifecycleHeights {
  return {
    sessionNumber: sessionNumber(params, height),
    sessionStartHeight: sessionStartHeight(params, height),
    sessionEndHeight: sessionEndHeight(params, height),
    isSessionStartHeight: isSessionStartHeight(params, height),
    isSessionEndHeight: isSessionEndHeight(params, height),
    nextSessionStartHeight: nextSessionStartHeight(params, height),
    gracePeriodEndHeight: sessionGracePeriodEndHeight(params, height),
    claimWindowOpenHeight: claimWindowOpenHeight(params, height),
    claimWindowCloseHeight: claimWindowCloseHeight(params, height),
    proofWindowOpenHeight: proofWindowOpenHeight(params, height),
    proofWindowCloseHeight: proofWindowCloseHeight(params, height),
    earliestSupplierClaimCommitHeight: earliestSupplierClaimCommitHeight(params, height),
    earliestSupplierProofCommitHeight: earliestSupplierProofCommitHeight(params, height),
    proofRequirementSeedBlockHeight: proofRequirementSeedBlockHeight(params, height),
    sessionEndToProofWindowCloseBlocks: sessionEndToProofWindowCloseBlocks(params),
    settlementHeight: settlementHeight(params, height),
    numPendingSessions: numPendingSessions(params),
  };
}
