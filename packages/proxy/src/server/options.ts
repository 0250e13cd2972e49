/**
 * What the relay servers need to run. Shaped after the relay miner YAML (protocol.md §8) so the config
 * loader can map onto it field by field, with durations and sizes already resolved to numbers.
 */
import type { SessionHeader, pocket } from '@relayminer/protocol';
import type { RelayAuthenticator, RelayMeter, SupplierKeyRing } from '../types.js';

/** One backend: `service_config` or an entry of `rpc_type_service_configs`. */
export interface BackendOptions {
  /** `backend_url`; its path and query are merged into every forwarded request. */
  readonly url: string;
  readonly basicAuth?: { readonly username: string; readonly password: string };
  /** Set on every backend request, overriding what the client sent. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Add the Pocket-* headers describing the relay's session. */
  readonly forwardPocketHeaders?: boolean;
}

/** Keys of `rpc_type_service_configs` (lower case), chosen by the request's integer `Rpc-Type` header. */
export type RpcTypeName = 'grpc' | 'websocket' | 'json_rpc' | 'rest' | 'comet_bft';

/** One `suppliers[]` entry: a service served on a listen address. */
export interface ServiceOptions {
  readonly serviceId: string;
  /** `http://host:port`; entries with the same listen URL share one server. Port 0 picks a free port. */
  readonly listenUrl: string;
  readonly backend: BackendOptions;
  readonly rpcTypeBackends?: Partial<Record<RpcTypeName, BackendOptions>>;
  readonly requestTimeoutMs: number;
  /** Request and response body limit; as in Go only the first entry of a listen URL counts. */
  readonly maxBodyBytes: number;
}

export type ServedBufferOverflow = 'drop' | 'backpressure';

/** Looks up the session a WebSocket bridge serves; `ChainQueryClient` (chain.query) fits as is. */
export interface SessionResolver {
  getSession(applicationAddress: string, serviceId: string, blockHeight: bigint): Promise<pocket.session.Session>;
}

/** One HTTP relay as it ended, for metrics. Service and supplier are absent when the request never named them. */
export interface RelayRequestDone {
  readonly serviceId?: string;
  readonly supplierOperatorAddress?: string;
  /** `codespace:code` of the error reply; absent when the relay was served. */
  readonly errorKey?: string;
  readonly durationMs: number;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

export interface RelayServerOptions {
  readonly suppliers: readonly ServiceOptions[];
  readonly keyRing: SupplierKeyRing;
  readonly authenticator: RelayAuthenticator;
  readonly meter: RelayMeter;
  /** `enable_eager_relay_request_validation`: validate every request before serving it. */
  readonly eagerValidation: boolean;
  /** `enable_over_servicing`: serve (never mine) relays beyond the app's budget instead of rejecting. */
  readonly overServicing: boolean;
  /**
   * `reply_after_persist`: hold each reply until whoever consumes `servedRelays()` calls the relay's
   * `onSettled` (the relay is stored, or known not to be kept). Lazy validation then runs before the
   * reply, with its usual outcome: a relay that fails it is answered and not kept. Without a consumer
   * calling `onSettled`, replies wait for the request deadline. Default false.
   */
  readonly replyAfterPersist?: boolean;
  readonly currentHeight: () => bigint;
  /** Whether a relay of this session can still be rewarded (current < claim window open, §4.4). */
  readonly rewardable: (header: SessionHeader) => boolean;
  readonly servedBuffer: {
    /** `served_relays_buffer_size`. */
    readonly size: number;
    /**
     * When the buffer is full: `drop` the relay from mining (counted, meter refunded), or
     * `backpressure`: hold the client's reply until a slot frees up (see served-relay-buffer.ts).
     */
    readonly overflow: ServedBufferOverflow;
  };
  readonly ping?: { readonly enabled: boolean; readonly addr: string };
  /**
   * Enables WebSocket relays (protocol.md §11): the handshake names only app and service, so the
   * session comes from here. Without it every WebSocket handshake is refused with `relayer_proxy` 3.
   */
  readonly sessionResolver?: SessionResolver;
  /**
   * How often an open WebSocket bridge asks `rewardable` whether its session's claim window opened
   * (it also asks on every frame). 1000 ms by default.
   */
  readonly bridgeCheckIntervalMs?: number;
  /** Told once per HTTP relay, after its reply is written: for per-request metrics. Must not throw. */
  readonly onRequestDone?: (done: RelayRequestDone) => void;
  /** Told about failures no client reply reports (lazy validation, late writes). Never gets key material. */
  readonly onBackgroundError?: (error: Error) => void;
}
