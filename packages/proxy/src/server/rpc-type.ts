/**
 * Picks the backend of a service from the request's `Rpc-Type` header (protocol.md §11): an integer
 * RPCType selects the matching `rpc_type_service_configs` entry, anything else is an internal error, and
 * an integer without an entry falls back to `service_config`.
 */
import { proxyErrors } from './relay-errors.js';
import type { RpcTypeName } from './options.js';

/** pocket.shared.RPCType values by their YAML key. */
const RPC_TYPE_NAMES: Readonly<Record<number, RpcTypeName>> = { 1: 'grpc', 2: 'websocket', 3: 'json_rpc', 4: 'rest', 5: 'comet_bft' };

export const WEBSOCKET_RPC_TYPE = 2;

/** The RPCType of the header value, undefined when absent; throws `relayer_proxy` 5 when not an integer. */
export function parseRpcType(value: string | string[] | undefined): number | undefined {
  if (value === undefined) return undefined;
  const text = Array.isArray(value) ? value[0] ?? '' : value;
  // Go's strconv.Atoi: optional sign, decimal digits, no spaces.
  if (!/^[+-]?\d{1,18}$/.test(text)) throw proxyErrors.internal('invalid Rpc-Type header');
  return Number(text);
}

export function rpcTypeName(rpcType: number): RpcTypeName | undefined {
  return RPC_TYPE_NAMES[rpcType];
}
