/**
 * What a claim is worth (x/proof Claim.GetNumEstimatedComputeUnits / GetNumEstimatedRelays /
 * GetClaimeduPOKT). Every step is exact rational arithmetic with a single floor at the end, as
 * Go's big.Rat does it; rounding the multiplier or the estimated compute units first would give
 * a different amount.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertPositiveUint64, assertUint64 } from '../session/integer-checks.js';
import { relayDifficultyMultiplier } from './difficulty-multiplier.js';

/**
 * floor(sum · (2^256 − 1) / int(target)). Returned exactly; note that Go converts this to a
 * uint64, so above 2^64 − 1 the chain's value is undefined (the claimed uPOKT is unaffected).
 */
export function numEstimatedComputeUnits(rootSum: bigint, targetHash: Uint8Array): bigint {
  assertUint64('rootSum', rootSum);
  const m = relayDifficultyMultiplier(targetHash);
  return (rootSum * m.num) / m.den;
}

/**
 * Estimated relays = estimatedComputeUnits / (sum / count) with integer divisions; 0 when the
 * claim has no relays or less than one compute unit per relay.
 */
export function numEstimatedRelays(rootSum: bigint, rootCount: bigint, targetHash: Uint8Array): bigint {
  assertUint64('rootSum', rootSum);
  assertUint64('rootCount', rootCount);
  if (rootCount === 0n) return 0n;
  const computeUnitsPerRelay = rootSum / rootCount;
  if (computeUnitsPerRelay === 0n) return 0n;
  return numEstimatedComputeUnits(rootSum, targetHash) / computeUnitsPerRelay;
}

/**
 * floor(sum · (2^256 − 1) · CUTTM / (int(target) · granularity)): the uPOKT a claim is worth
 * (pricing params and target taken at the session start height).
 */
export function claimedUpokt(
  rootSum: bigint,
  targetHash: Uint8Array,
  computeUnitsToTokensMultiplier: bigint,
  computeUnitCostGranularity: bigint,
): bigint {
  assertUint64('rootSum', rootSum);
  assertUint64('computeUnitsToTokensMultiplier', computeUnitsToTokensMultiplier);
  assertPositiveUint64('computeUnitCostGranularity', computeUnitCostGranularity);
  const m = relayDifficultyMultiplier(targetHash);
  return (rootSum * m.num * computeUnitsToTokensMultiplier) / (m.den * computeUnitCostGranularity);
}

/** claimedUpokt with the pricing fields of a shared params message. */
export function claimedUpoktWithParams(
  rootSum: bigint,
  targetHash: Uint8Array,
  params: { computeUnitsToTokensMultiplier: bigint; computeUnitCostGranularity: bigint },
): bigint {
  if (params === null || typeof params !== 'object') throw new InvalidArgumentError('shared params must be an object');
  return claimedUpokt(rootSum, targetHash, params.computeUnitsToTokensMultiplier, params.computeUnitCostGranularity);
}
