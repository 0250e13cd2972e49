/**
 * The relay client's inputs and outputs: it plays an application (or its delegated gateway) sending
 * ring-signed relays to one supplier's relay miner, and checks every answer the way a gateway must.
 */
import type { ChainClient } from '@relayminer/chain';

export interface RelayClientOptions {
  /** CometBFT RPC of the chain (sessions, rings and supplier keys are read from it). */
  rpcUrl: string;
  /** The relay miner's relay server URL for this service. */
  relayUrl: string;
  serviceId: string;
  appPrivateKey: Uint8Array;
  /** Sign as this delegated gateway instead of the application itself. */
  gatewayPrivateKey?: Uint8Array;
  /** The supplier to address; default: the first supplier of each session. */
  supplierOperatorAddress?: string;
  /**
   * The HTTP body of relay `i`, wrapped in a POKTHTTPRequest envelope (POST, JSON);
   * default: a JSON-RPC `eth_blockNumber` with id `i`.
   */
  payload?: (i: number) => Uint8Array;
  /** Relays to send; `Infinity` sends until `signal` aborts. */
  count: number;
  /** Relays in flight at once. */
  concurrency: number;
  /** Cap on the start rate (relays per second, across all workers); default: as fast as answers come. */
  ratePerSecond?: number;
  /** Per-relay deadline (ms); default 10 000. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Verify supplier signatures against this key instead of the supplier's key on chain (key pinning). */
  supplierPublicKey?: Uint8Array;
  /** Chain id; default: read from the node's `/status`. */
  chainId?: string;
  /** Reuse an already connected chain client (not closed by sendRelays). */
  chain?: ChainClient;
  /** Called after each relay settles, in completion order. */
  onRelay?: (outcome: RelayOutcome) => void;
}

export interface RelayOutcome {
  /** Index of the relay (0-based, in send order). */
  index: number;
  ok: boolean;
  /** Why it failed (a key of `RelayClientReport.errors`); undefined when ok. */
  reason?: string;
  latencyMs: number;
  /** Session the request was signed for (undefined when no session could be read). */
  sessionId?: string;
  sessionEndHeight?: bigint;
}

export interface RelayClientReport {
  sent: number;
  /** Answered by the supplier with a response whose supplier signature verified and backend status < 500. */
  ok: number;
  failed: number;
  /**
   * Failures by reason: `relay_miner_error:<codespace>:<code>`, `http_<status>`, `bad_signature`,
   * `undecodable_response`, `backend_status_<code>`, `session_mismatch`, `network:<code>`, `session_lookup`, `supplier_key_unknown`, `no_supplier_in_session`.
   */
  errors: Record<string, number>;
  latencyMs: { p50: number; p90: number; p99: number };
  relaysPerSecond: number;
  /** Session ids relays were signed for, in the order first used. */
  sessions: string[];
}
