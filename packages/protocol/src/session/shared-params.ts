/**
 * Structural views of the chain's shared `Params` (ts-proto, forceLong=bigint, camelCase): a
 * decoded params message can be passed straight in. Each function asks only for what it reads.
 */
import { assertPositiveUint64, assertUint64 } from './integer-checks.js';

export interface SessionGridParamsInput {
  numBlocksPerSession: bigint;
  /** First block of the current grid epoch; 0 (or absent) means the genesis grid. */
  sessionGridAnchorHeight?: bigint;
  /** Session number at the anchor; values below 1 are treated as 1, as the chain does. */
  sessionNumberAtAnchor?: bigint;
}

export interface GracePeriodParamsInput extends SessionGridParamsInput {
  gracePeriodEndOffsetBlocks: bigint;
}

export interface ProofWindowOffsetsInput {
  claimWindowOpenOffsetBlocks: bigint;
  claimWindowCloseOffsetBlocks: bigint;
  proofWindowOpenOffsetBlocks: bigint;
  proofWindowCloseOffsetBlocks: bigint;
}

export interface ClaimProofWindowParamsInput extends SessionGridParamsInput, ProofWindowOffsetsInput {}

/** Everything the session lifecycle helpers read. */
export interface SharedSessionParamsInput extends GracePeriodParamsInput, ProofWindowOffsetsInput {}

/** The pricing part of shared params (taken at the session start height). */
export interface ComputeUnitPricingParamsInput {
  computeUnitsToTokensMultiplier: bigint;
  computeUnitCostGranularity: bigint;
}

export interface ResolvedGrid {
  numBlocksPerSession: bigint;
  anchorHeight: bigint;
  numberAtAnchor: bigint;
}

export function readGridParams(params: SessionGridParamsInput): ResolvedGrid {
  // Go divides by num_blocks_per_session: zero would panic there, so it is an argument error here.
  assertPositiveUint64('numBlocksPerSession', params.numBlocksPerSession);
  const anchorHeight = params.sessionGridAnchorHeight ?? 0n;
  const numberAtAnchor = params.sessionNumberAtAnchor ?? 0n;
  assertUint64('sessionGridAnchorHeight', anchorHeight);
  assertUint64('sessionNumberAtAnchor', numberAtAnchor);
  return { numBlocksPerSession: params.numBlocksPerSession, anchorHeight, numberAtAnchor };
}

export function readWindowOffsets(params: ProofWindowOffsetsInput): ProofWindowOffsetsInput {
  assertUint64('claimWindowOpenOffsetBlocks', params.claimWindowOpenOffsetBlocks);
  assertUint64('claimWindowCloseOffsetBlocks', params.claimWindowCloseOffsetBlocks);
  assertUint64('proofWindowOpenOffsetBlocks', params.proofWindowOpenOffsetBlocks);
  assertUint64('proofWindowCloseOffsetBlocks', params.proofWindowCloseOffsetBlocks);
  return params;
}
