/**
 * "Is a proof required for this claim?" (x/proof ProofRequirementForClaim): THRESHOLD when the
 * claim is worth at least the threshold, else PROBABILISTIC when the claim's seeded sample is
 * ≤ the proof request probability, else NOT_REQUIRED. The miner must decide exactly as the chain
 * does: a proof it skips is slashed, a proof it sends needlessly is rejected.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertBytes, assertUint64 } from '../session/integer-checks.js';
import { claimedUpokt } from '../mining/claim-pricing.js';
import { seededFloat64 } from './seeded-random.js';

export type ProofRequirementDecisionReason = 'NOT_REQUIRED' | 'PROBABILISTIC' | 'THRESHOLD';

export interface ProofRequirementInput {
  /** sha256 of the canonical Claim bytes (status PENDING, so field 4 absent). */
  claimHash: Uint8Array;
  /** Header hash of the proof requirement seed block (earliest proof commit height − 1). */
  proofSeedBlockHash: Uint8Array;
  /** Sum of the claim's SMST root. */
  rootSum: bigint;
  /** Relay difficulty target of the service at the session start height. */
  targetHash: Uint8Array;
  /** Shared params at the session start height. */
  computeUnitsToTokensMultiplier: bigint;
  computeUnitCostGranularity: bigint;
  /** Proof params (live): threshold amount in uPOKT and request probability in [0, 1]. */
  proofRequirementThresholdUpokt: bigint;
  proofRequestProbability: number;
}

export interface ProofRequirementDecision {
  reason: ProofRequirementDecisionReason;
  required: boolean;
  claimedUpokt: bigint;
  /** SeededFloat64(claimHash ‖ proofSeedBlockHash), always computed (also when the threshold decides). */
  sample: number;
}

/** The claim's proof-requirement sample: Go's SeededFloat64(claimHash, proofSeedBlockHash). */
export function proofRequirementSampleValue(claimHash: Uint8Array, proofSeedBlockHash: Uint8Array): number {
  assertBytes('claimHash', claimHash, 32);
  assertBytes('proofSeedBlockHash', proofSeedBlockHash);
  return seededFloat64(claimHash, proofSeedBlockHash);
}

function assertProbability(p: unknown): asserts p is number {
  if (typeof p !== 'number' || Number.isNaN(p) || p < 0 || p > 1)
    throw new InvalidArgumentError(`proofRequestProbability must be a number in [0, 1], got ${String(p)}`);
}

export function proofRequirement(input: ProofRequirementInput): ProofRequirementDecision {
  if (input === null || typeof input !== 'object') throw new InvalidArgumentError('proof requirement input must be an object');
  assertUint64('proofRequirementThresholdUpokt', input.proofRequirementThresholdUpokt);
  assertProbability(input.proofRequestProbability);
  const claimed = claimedUpokt(input.rootSum, input.targetHash, input.computeUnitsToTokensMultiplier, input.computeUnitCostGranularity);
  const sample = proofRequirementSampleValue(input.claimHash, input.proofSeedBlockHash);
  if (claimed >= input.proofRequirementThresholdUpokt) return { reason: 'THRESHOLD', required: true, claimedUpokt: claimed, sample };
  if (sample <= input.proofRequestProbability) return { reason: 'PROBABILISTIC', required: true, claimedUpokt: claimed, sample };
  return { reason: 'NOT_REQUIRED', required: false, claimedUpokt: claimed, sample };
}

/** The part of a decoded proof `Params` message the decision reads. */
export interface ProofParamsInput {
  proofRequestProbability: number;
  proofRequirementThreshold?: { denom: string; amount: string } | undefined;
}

/**
 * The threshold amount of proof params as a bigint. The chain compares it as a uPOKT coin (and
 * panics on a missing coin or another denom), so both are argument errors here.
 */
export function proofRequirementThresholdUpokt(params: ProofParamsInput): bigint {
  const coin = params?.proofRequirementThreshold;
  if (!coin) throw new InvalidArgumentError('proof params carry no proofRequirementThreshold');
  if (coin.denom !== 'upokt') throw new InvalidArgumentError(`proofRequirementThreshold denom must be "upokt", got ${JSON.stringify(coin.denom)}`);
  if (typeof coin.amount !== 'string' || !/^[0-9]+$/.test(coin.amount))
    throw new InvalidArgumentError(`proofRequirementThreshold amount is not a non-negative integer: ${JSON.stringify(coin.amount)}`);
  return BigInt(coin.amount);
}
