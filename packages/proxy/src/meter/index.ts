export { ChainRelayMeter } from './chain-relay-meter.js';
export type { ChainRelayMeterOptions, RelayMeterQueries, SessionMeterSnapshot } from './chain-relay-meter.js';
