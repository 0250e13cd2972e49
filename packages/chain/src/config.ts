/**
 * Chain client configuration. Keys follow the relay miner YAML (`pocket_node.*`) and the Go miner's
 * command-line flags (`--chain-id`, `--gas-prices`, `--gas-adjustment`, `--fees`) in snake_case, so a
 * config file section can be passed through unchanged.
 */
import { ChainConfigError } from './errors.js';

export interface ChainClientConfig {
  /** Must equal the node's `status.node_info.network`; checked on connect. */
  chain_id: string;
  /** CometBFT RPC for queries, `/block` and the websocket. Defaults to `tx_node_rpc_url`, as in the Go miner. */
  query_node_rpc_url?: string;
  /**
   * Accepted and recorded, never dialled: cosmjs speaks only CometBFT JSON-RPC, and every gRPC query method
   * is reachable through `abci_query` with the same protobuf bytes.
   */
  query_node_grpc_url?: string;
  /** CometBFT RPC used for `broadcast_tx_sync`, `tx` and simulation. */
  tx_node_rpc_url: string;
  /** Websocket base URL; derived from `query_node_rpc_url` (http→ws, https→wss) when absent. */
  query_node_ws_url?: string;
  /** One coin, e.g. `0.000001upokt` or `1upokt`. Fee = ceil(gas limit × price). Default `1upokt`. */
  gas_prices?: string;
  /** Multiplier on simulated gas (applied once). Default 1.5. */
  gas_adjustment?: number;
  /** Fixed fee such as `2000upokt`; replaces `gas_limit × gas_prices`. Gas is still simulated unless `gas_limit` is set. */
  fees?: string;
  /** Fixed gas limit; skips simulation. */
  gas_limit?: number;
  /** Per-attempt deadline for queries and RPC calls. Default 4000 ms (Go miner). */
  query_timeout_ms?: number;
  /** Attempts per query, including the first. Default 5. `Claim` is always tried once. */
  query_max_attempts?: number;
  /** First retry delay; doubles per attempt up to `query_backoff_max_ms`. Defaults 250 / 4000 ms. */
  query_backoff_initial_ms?: number;
  query_backoff_max_ms?: number;
  /** Expected time between blocks, used by the stall watchdog. Default 60000 ms (Shannon mainnet). */
  block_interval_ms?: number;
  /** Reconnect when no block arrived within this many block intervals. Default 3. */
  stall_blocks?: number;
  /** Websocket reconnect backoff bounds. Defaults 500 / 15000 ms. */
  ws_reconnect_initial_ms?: number;
  ws_reconnect_max_ms?: number;
  /** Rebroadcasts of an unconfirmed tx while its window is open. Default 2 (Go miner). */
  max_rebroadcasts?: number;
}

export interface GasPrice {
  /** Price as an exact fraction: `numerator / denominator` units of `denom` per gas. */
  readonly numerator: bigint;
  readonly denominator: bigint;
  readonly denom: string;
}

export interface FixedCoin {
  readonly amount: bigint;
  readonly denom: string;
}

export interface ResolvedChainClientConfig {
  readonly chainId: string;
  readonly queryRpcUrl: string;
  readonly queryWsUrl: string;
  readonly queryGrpcUrl: string | undefined;
  readonly txRpcUrl: string;
  readonly gasPrice: GasPrice;
  readonly gasAdjustment: number;
  readonly fixedFee: FixedCoin | undefined;
  readonly gasLimit: bigint | undefined;
  readonly queryTimeoutMs: number;
  readonly queryMaxAttempts: number;
  readonly queryBackoffInitialMs: number;
  readonly queryBackoffMaxMs: number;
  readonly blockIntervalMs: number;
  readonly stallBlocks: number;
  readonly wsReconnectInitialMs: number;
  readonly wsReconnectMaxMs: number;
  readonly maxRebroadcasts: number;
}

const COIN_RE = /^(\d+(?:\.\d+)?)([a-zA-Z][a-zA-Z0-9/:._-]{1,127})$/;

/** Parses `<decimal><denom>` into an exact fraction; no floating point touches fee amounts. */
export function parseGasPrice(key: string, text: string): GasPrice {
  const m = COIN_RE.exec(text.trim());
  if (!m) throw new ChainConfigError(key, `expected one coin such as "0.000001upokt", got ${JSON.stringify(text)}`);
  const [whole, frac = ''] = m[1]!.split('.');
  const denominator = 10n ** BigInt(frac.length);
  const numerator = BigInt(whole! + frac);
  return { numerator, denominator, denom: m[2]! };
}

export function parseFixedCoin(key: string, text: string): FixedCoin {
  const m = COIN_RE.exec(text.trim());
  if (!m || m[1]!.includes('.')) throw new ChainConfigError(key, `expected an integer coin such as "2000upokt", got ${JSON.stringify(text)}`);
  return { amount: BigInt(m[1]!), denom: m[2]! };
}

function checkUrl(key: string, value: unknown, schemes: readonly string[]): string {
  if (typeof value !== 'string' || value.length === 0) throw new ChainConfigError(key, 'required URL is missing');
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ChainConfigError(key, `not a URL: ${JSON.stringify(value)}`);
  }
  if (!schemes.includes(url.protocol.slice(0, -1))) {
    throw new ChainConfigError(key, `scheme must be one of ${schemes.join(', ')}, got ${JSON.stringify(url.protocol)}`);
  }
  // cosmjs appends "/websocket" and posts to the URL as given; a trailing slash would double up.
  return value.replace(/\/+$/, '');
}

function positiveInt(key: string, value: unknown, fallback: number, min = 1): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ChainConfigError(key, `expected an integer ≥ ${min}, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** Validates and fills defaults. Throws ChainConfigError naming the first bad key. */
export function resolveChainClientConfig(input: ChainClientConfig): ResolvedChainClientConfig {
  if (input === null || typeof input !== 'object') throw new ChainConfigError('pocket_node', 'expected an object');
  if (typeof input.chain_id !== 'string' || input.chain_id.trim() === '') throw new ChainConfigError('chain_id', 'required');
  const txRpcUrl = checkUrl('tx_node_rpc_url', input.tx_node_rpc_url, ['http', 'https']);
  const queryRpcUrl =
    input.query_node_rpc_url === undefined ? txRpcUrl : checkUrl('query_node_rpc_url', input.query_node_rpc_url, ['http', 'https']);
  const queryGrpcUrl =
    input.query_node_grpc_url === undefined ? undefined : checkUrl('query_node_grpc_url', input.query_node_grpc_url, ['http', 'https', 'tcp', 'grpc', 'grpcs']);
  const queryWsUrl =
    input.query_node_ws_url === undefined
      ? queryRpcUrl.replace(/^http/, 'ws')
      : checkUrl('query_node_ws_url', input.query_node_ws_url, ['ws', 'wss']).replace(/\/websocket$/, '');

  const gasPrice = parseGasPrice('gas_prices', input.gas_prices ?? '1upokt');
  let gasAdjustment = 1.5;
  if (input.gas_adjustment !== undefined) {
    if (typeof input.gas_adjustment !== 'number' || !Number.isFinite(input.gas_adjustment) || input.gas_adjustment < 1) {
      throw new ChainConfigError('gas_adjustment', `expected a number ≥ 1, got ${JSON.stringify(input.gas_adjustment)}`);
    }
    gasAdjustment = input.gas_adjustment;
  }
  const fixedFee = input.fees === undefined ? undefined : parseFixedCoin('fees', input.fees);
  const gasLimit = input.gas_limit === undefined ? undefined : BigInt(positiveInt('gas_limit', input.gas_limit, 0));

  const queryBackoffInitialMs = positiveInt('query_backoff_initial_ms', input.query_backoff_initial_ms, 250);
  const queryBackoffMaxMs = positiveInt('query_backoff_max_ms', input.query_backoff_max_ms, 4000);
  if (queryBackoffMaxMs < queryBackoffInitialMs) throw new ChainConfigError('query_backoff_max_ms', 'must be ≥ query_backoff_initial_ms');
  const wsReconnectInitialMs = positiveInt('ws_reconnect_initial_ms', input.ws_reconnect_initial_ms, 500);
  const wsReconnectMaxMs = positiveInt('ws_reconnect_max_ms', input.ws_reconnect_max_ms, 15000);
  if (wsReconnectMaxMs < wsReconnectInitialMs) throw new ChainConfigError('ws_reconnect_max_ms', 'must be ≥ ws_reconnect_initial_ms');

  return Object.freeze({
    chainId: input.chain_id,
    queryRpcUrl,
    queryWsUrl,
    queryGrpcUrl,
    txRpcUrl,
    gasPrice,
    gasAdjustment,
    fixedFee,
    gasLimit,
    queryTimeoutMs: positiveInt('query_timeout_ms', input.query_timeout_ms, 4000),
    queryMaxAttempts: positiveInt('query_max_attempts', input.query_max_attempts, 5),
    queryBackoffInitialMs,
    queryBackoffMaxMs,
    blockIntervalMs: positiveInt('block_interval_ms', input.block_interval_ms, 60000),
    stallBlocks: positiveInt('stall_blocks', input.stall_blocks, 3),
    wsReconnectInitialMs,
    wsReconnectMaxMs,
    maxRebroadcasts: positiveInt('max_rebroadcasts', input.max_rebroadcasts, 2, 0),
  });
}
