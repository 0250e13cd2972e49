/**
 * The relay miner configuration after parsing and defaulting (protocol.md §8): the Go relay miner's
 * YAML, plus `served_relays_overflow`, `keys_file`, `reply_after_persist` and `wal_fsync`, which exist
 * because this implementation has a bounded served-relay stream with a choice of overflow policy, no
 * Cosmos keyring, and a relay log whose durability the operator chooses.
 */

/** pocket.shared.RPCType values the `Rpc-Type` request header carries. */
export const RpcType = Object.freeze({ GRPC: 1, WEBSOCKET: 2, JSON_RPC: 3, REST: 4, COMET_BFT: 5 } as const);
export type RpcType = (typeof RpcType)[keyof typeof RpcType];

export interface BackendAuthentication {
  readonly username: string;
  /** Secret: never log it. */
  readonly password: string;
}

/** Where and how a service's requests are forwarded. */
export interface BackendServiceConfig {
  readonly backendUrl: URL;
  readonly authentication: BackendAuthentication | undefined;
  /** Set on every backend request, overriding the client's headers of the same name. */
  readonly headers: ReadonlyMap<string, string>;
  readonly forwardPocketHeaders: boolean;
}

export interface SupplierServiceEntry {
  readonly serviceId: string;
  /** As written; `http:` or `ws:`. */
  readonly listenUrl: URL;
  /** `host:port` the server listens on (the listen URL's authority). */
  readonly listenAddress: string;
  readonly signingKeyNames: readonly string[];
  readonly requestTimeoutSeconds: number;
  /** This entry's own limit; the server of its listen address uses the first entry's (see `servers`). */
  readonly maxBodySizeBytes: number;
  readonly xForwardedHostLookup: boolean;
  readonly serviceConfig: BackendServiceConfig;
  /** Chosen by the request's integer `Rpc-Type` header; absent types fall back to `serviceConfig`. */
  readonly rpcTypeServiceConfigs: ReadonlyMap<RpcType, BackendServiceConfig>;
}

/** One listening server: every supplier entry that shares a listen address. */
export interface RelayServerConfig {
  readonly listenAddress: string;
  /** Of the first supplier entry on this address, as Go does. */
  readonly maxBodySizeBytes: number;
  readonly serviceIds: readonly string[];
}

export interface EndpointConfig {
  readonly enabled: boolean;
  /** `host:port`; '' when not given. */
  readonly addr: string;
}

export type ServedRelaysOverflow = 'backpressure' | 'drop';

export interface PocketNodeConfig {
  readonly queryNodeRpcUrl: string;
  readonly queryNodeGrpcUrl: string;
  readonly txNodeRpcUrl: string;
}

export interface RelayMinerConfig {
  readonly defaultSigningKeyNames: readonly string[];
  readonly defaultRequestTimeoutSeconds: number;
  readonly defaultMaxBodySizeBytes: number;
  /** Absolute or as written; the legacy in-memory forms are mapped to `$HOME/.pocket/smt`. */
  readonly smtStorePath: string;
  readonly disableSmtPersistence: boolean;
  readonly enableOverServicing: boolean;
  readonly enableEagerRelayRequestValidation: boolean;
  readonly servedRelaysBufferSize: number;
  readonly servedRelaysOverflow: ServedRelaysOverflow;
  /**
   * `reply_after_persist` (default true): a rewardable relay's reply is sent only once the relay is in
   * the relay log, so a crash can lose no relay a client got an answer for. False replies first (as Go).
   */
  readonly replyAfterPersist: boolean;
  /** `wal_fsync` (default false): fsync each relay-log group commit, to survive power loss too. */
  readonly walFsync: boolean;
  readonly miningPipelineBufferSize: number;
  /** Resolved: 0 in the YAML means the number of CPUs. */
  readonly miningWorkers: number;
  /** Resolved against the config file's folder when the config was read from a file. */
  readonly keysFile: string | undefined;
  readonly pocketNode: PocketNodeConfig;
  readonly suppliers: readonly SupplierServiceEntry[];
  readonly servers: readonly RelayServerConfig[];
  /** Every key name any supplier entry signs with, deduplicated, in first-seen order. */
  readonly signingKeyNames: readonly string[];
  readonly metrics: EndpointConfig;
  readonly pprof: EndpointConfig;
  readonly ping: EndpointConfig;
}

export const CONFIG_DEFAULTS = Object.freeze({
  defaultRequestTimeoutSeconds: 10,
  defaultMaxBodySize: '20MB',
  servedRelaysBufferSize: 1000,
  miningPipelineBufferSize: 50,
  servedRelaysOverflow: 'drop' as ServedRelaysOverflow,
  replyAfterPersist: true,
});
