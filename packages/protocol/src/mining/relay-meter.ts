/**
 * The relay miner's per-session rate limit (pkg/relayer/proxy/relay_meter.go as described in
 * spec §7): an application's stake is split between the suppliers of a session and the sessions
 * that may still be unsettled, and each served relay consumes its uPOKT cost from that share.
 */
import { InvalidArgumentError } from '../errors.js';
import { assertPositiveUint64, assertUint64 } from '../session/integer-checks.js';
import { numPendingSessions } from '../session/session-windows.js';
import type { ComputeUnitPricingParamsInput, ProofWindowOffsetsInput } from '../session/shared-params.js';

/** floor(computeUnitsPerRelay · CUTTM / granularity), with the pricing params at the session start. */
export function relayCostUpokt(computeUnitsPerRelay: bigint, pricingParams: ComputeUnitPricingParamsInput): bigint {
  assertUint64('computeUnitsPerRelay', computeUnitsPerRelay);
  assertUint64('computeUnitsToTokensMultiplier', pricingParams.computeUnitsToTokensMultiplier);
  assertPositiveUint64('computeUnitCostGranularity', pricingParams.computeUnitCostGranularity);
  return (computeUnitsPerRelay * pricingParams.computeUnitsToTokensMultiplier) / pricingParams.computeUnitCostGranularity;
}

/**
 * Sessions an application's stake must still cover: the unsettled ones (ceil(tail / N)) plus the
 * current one.
 */
export function relayMeterPendingSessions(params: { numBlocksPerSession: bigint } & ProofWindowOffsetsInput): bigint {
  return numPendingSessions(params) + 1n;
}

/**
 * Most uPOKT one supplier may serve an application in one session:
 * floor(floor(stake / numSuppliersPerSession) / pendingSessions), shared params at the session end.
 */
export function relayMeterMaxUpokt(
  appStakeUpokt: bigint,
  numSuppliersPerSession: bigint,
  sessionEndParams: { numBlocksPerSession: bigint } & ProofWindowOffsetsInput,
): bigint {
  assertUint64('appStakeUpokt', appStakeUpokt);
  assertPositiveUint64('numSuppliersPerSession', numSuppliersPerSession);
  return appStakeUpokt / numSuppliersPerSession / relayMeterPendingSessions(sessionEndParams);
}

export interface RelayMeterState {
  maxUpokt: bigint;
  consumedUpokt: bigint;
}

export interface RelayMeterOutcome {
  /** True when this relay would exceed the session's share: it must not be mined. */
  overServicing: boolean;
  /** Consumption after the relay (unchanged when over-servicing). */
  consumedUpokt: bigint;
}

/** One metering step: the relay fits iff consumed + cost ≤ max, and then it is charged. */
export function meterRelay(state: RelayMeterState, relayCost: bigint): RelayMeterOutcome {
  if (state === null || typeof state !== 'object') throw new InvalidArgumentError('relay meter state must be an object');
  assertUint64('maxUpokt', state.maxUpokt);
  assertUint64('consumedUpokt', state.consumedUpokt);
  assertUint64('relayCost', relayCost);
  const next = state.consumedUpokt + relayCost;
  if (next <= state.maxUpokt) return { overServicing: false, consumedUpokt: next };
  return { overServicing: true, consumedUpokt: state.consumedUpokt };
}

/** Reverses an optimistic charge for a relay that turned out not to be rewardable. */
export function refundRelay(state: RelayMeterState, relayCost: bigint): RelayMeterState {
  assertUint64('consumedUpokt', state.consumedUpokt);
  assertUint64('relayCost', relayCost);
  const consumedUpokt = state.consumedUpokt >= relayCost ? state.consumedUpokt - relayCost : 0n;
  return { maxUpokt: state.maxUpokt, consumedUpokt };
}
