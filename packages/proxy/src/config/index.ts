export { ConfigError } from './config-error.js';
export { parseBodySize } from './body-size.js';
export { loadRelayMinerConfig, parseRelayMinerConfig } from './load-relay-miner-config.js';
export type { ParseRelayMinerConfigOptions } from './load-relay-miner-config.js';
export { RpcType, CONFIG_DEFAULTS } from './relay-miner-config.js';
export type {
  RelayMinerConfig,
  SupplierServiceEntry,
  BackendServiceConfig,
  BackendAuthentication,
  RelayServerConfig,
  EndpointConfig,
  PocketNodeConfig,
  ServedRelaysOverflow,
} from './relay-miner-config.js';
