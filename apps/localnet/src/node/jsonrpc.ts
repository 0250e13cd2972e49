/** JSON-RPC 2.0 envelope handling shared by the HTTP and websocket transports. */
import { internalError, invalidRequest, methodNotFound, RpcError } from './errors.js';
import type { Json } from './json.js';
import type { MethodHandler } from './methods.js';
import type { Params } from './params.js';

export type RpcId = number | string;

export interface RpcRequest {
  id: RpcId | undefined;
  method: string;
  params: Params;
}

export type RpcReply = { jsonrpc: '2.0'; id: RpcId; result: Json } | { jsonrpc: '2.0'; id: RpcId; error: ReturnType<RpcError['toJSON']> };

export function errorReply(id: RpcId, err: RpcError): RpcReply {
  return { jsonrpc: '2.0', id, error: err.toJSON() };
}

export function resultReply(id: RpcId, result: Json): RpcReply {
  return { jsonrpc: '2.0', id, result };
}

/** Validates the envelope; throws RpcError (-32600) for anything that is not a 2.0 request. */
export function readRequest(raw: unknown): RpcRequest {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw invalidRequest('request must be an object');
  const r = raw as Record<string, unknown>;
  if (r.jsonrpc !== '2.0') throw invalidRequest('jsonrpc must be "2.0"');
  if (typeof r.method !== 'string') throw invalidRequest('method must be a string');
  const id = r.id;
  if (id !== undefined && typeof id !== 'number' && typeof id !== 'string') throw invalidRequest('id must be a number or a string');
  const params = r.params ?? {};
  // Positional params are legal JSON-RPC but no client of ours sends them; CometBFT maps them by order.
  if (typeof params !== 'object' || params === null || Array.isArray(params)) throw invalidRequest('params must be a named object');
  return { id: id as RpcId | undefined, method: r.method, params: params as Params };
}

/** Runs one method and wraps the outcome; never throws. */
export async function invoke(methods: Record<string, MethodHandler>, req: RpcRequest): Promise<RpcReply> {
  const id = req.id ?? -1;
  const handler = Object.hasOwn(methods, req.method) ? methods[req.method] : undefined;
  if (!handler) return errorReply(id, methodNotFound());
  try {
    return resultReply(id, await handler(req.params));
  } catch (err) {
    if (err instanceof RpcError) return errorReply(id, err);
    return errorReply(id, internalError(err instanceof Error ? err.message : String(err)));
  }
}
