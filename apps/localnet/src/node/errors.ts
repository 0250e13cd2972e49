/**
 * Typed errors of the node. `RpcError` carries exactly what goes on the wire as a JSON-RPC error object,
 * so a handler can throw it anywhere and the transport layer turns it into the reply CometBFT would send.
 */

export class RpcError extends Error {
  constructor(
    readonly code: number,
    /** The JSON-RPC `message`, e.g. "Internal error"; the specific reason goes in `data`. */
    readonly rpcMessage: string,
    readonly data?: string,
  ) {
    super(data === undefined ? rpcMessage : `${rpcMessage}: ${data}`);
    this.name = 'RpcError';
  }

  toJSON(): { code: number; message: string; data?: string } {
    return this.data === undefined
      ? { code: this.code, message: this.rpcMessage }
      : { code: this.code, message: this.rpcMessage, data: this.data };
  }
}

/** CometBFT reports most handler failures as -32603 "Internal error" with the reason in `data`. */
export function internalError(reason: string): RpcError {
  return new RpcError(-32603, 'Internal error', reason);
}

export function invalidParams(reason: string): RpcError {
  return new RpcError(-32602, 'Invalid params', reason);
}

export function methodNotFound(): RpcError {
  return new RpcError(-32601, 'Method not found');
}

export function parseError(reason: string): RpcError {
  return new RpcError(-32700, 'Parse error', reason);
}

export function invalidRequest(reason: string): RpcError {
  return new RpcError(-32600, 'Invalid Request', reason);
}

/** A query string handed to `subscribe` or `tx_search` that our small parser does not accept. */
export class QuerySyntaxError extends Error {
  constructor(
    readonly query: string,
    reason: string,
  ) {
    super(`bad query ${JSON.stringify(query)}: ${reason}`);
    this.name = 'QuerySyntaxError';
  }
}

/** `waitFor`/`advanceUntil` gave up before the predicate held. */
export class WaitTimeoutError extends Error {
  constructor(what: string) {
    super(what);
    this.name = 'WaitTimeoutError';
  }
}

/** The handle was used after `stop()`. */
export class LocalnetStoppedError extends Error {
  constructor() {
    super('localnet has been stopped');
    this.name = 'LocalnetStoppedError';
  }
}
