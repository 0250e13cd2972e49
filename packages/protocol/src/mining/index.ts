export {
  BASE_RELAY_DIFFICULTY_TARGET_INT,
  relayDifficultyTargetInt,
  relayDifficultyMultiplier,
} from './difficulty-multiplier.js';
export type { ExactRatio } from './difficulty-multiplier.js';
export { numEstimatedComputeUnits, numEstimatedRelays, claimedUpokt, claimedUpoktWithParams } from './claim-pricing.js';
export {
  relayCostUpokt,
  relayMeterPendingSessions,
  relayMeterMaxUpokt,
  meterRelay,
  refundRelay,
} from './relay-meter.js';
export type { RelayMeterState, RelayMeterOutcome } from './relay-meter.js';
