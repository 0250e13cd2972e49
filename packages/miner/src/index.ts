export { minedRelays, MinedRelays, type DroppedRelay, type MinerDependencies, type MinerOptions, type MinerStats } from './mined-relays.js';
export { mineBatch, servedRelayProblem, DROP_REASONS, type MinedRelay, type DropReason, type RelayVerdict, type MiningParamsLookup } from './mine-batch.js';
export {
  MiningParamsCache,
  miningParamsFromChain,
  miningParamsKey,
  type MiningParams,
  type MiningParamsSource,
  type MiningQueryClient,
} from './mining-params.js';
export { batchUpTo } from './batch-up-to.js';
export { relayRequestProblem, relayResponseProblem } from './validate-relay.js';
export { MinerError, InvalidRelayError, MiningLookupError } from './errors.js';
