export { startRelayServers, RelayServerConfigError } from './relay-server.js';
export type { RelayServers, ListeningRelayServer } from './relay-server.js';
export type { RelayServerOptions, RelayRequestDone, ServiceOptions, BackendOptions, RpcTypeName, ServedBufferOverflow, SessionResolver } from './options.js';
export type { RelayServerStats, DropReason } from './relay-stats.js';
export { relayServerOptionsFromConfig } from './options-from-config.js';
export type { RelayServerRuntime } from './options-from-config.js';
export { listenOn } from './listen.js';
