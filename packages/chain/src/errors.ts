/**
 * Every error this package throws or reports is a ChainError. `code` is stable and machine-readable so
 * callers can branch without parsing messages. Messages name the endpoint method, query path or config
 * key involved and never carry key material or raw signed bytes.
 */
export class ChainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A configuration value is missing or malformed; `key` is the config key as the operator wrote it. */
export class ChainConfigError extends ChainError {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super('invalid_config', `${key}: ${message}`);
  }
}

/**
 * The node could not be reached or answered outside the JSON-RPC contract (socket error, HTTP status,
 * malformed reply, JSON-RPC error object). `rpcCode`/`data` are copied from a JSON-RPC error when there
 * was one, e.g. -32603 with data "tx already exists in cache".
 */
export class ChainRpcError extends ChainError {
  constructor(
    readonly method: string,
    message: string,
    readonly rpcCode?: number,
    readonly data?: string,
    options?: { cause?: unknown },
  ) {
    super('rpc_error', `${method}: ${message}`, options);
  }
}

/** One attempt took longer than its deadline. Retried by the query layer; reported after the last attempt. */
export class ChainTimeoutError extends ChainError {
  constructor(
    readonly operation: string,
    readonly timeoutMs: number,
  ) {
    super('timeout', `${operation}: no answer within ${timeoutMs} ms`);
  }
}

/**
 * The node answered an `abci_query` with a non-zero code. The SDK maps gRPC status codes to ABCI codes in
 * codespace "sdk" (38 NotFound, 18 InvalidArgument/FailedPrecondition, 4 Unauthenticated, 6 everything
 * else) and keeps the gRPC name in the log as `rpc error: code = <Name> desc = …`; both are exposed.
 */
export class ChainQueryError extends ChainError {
  constructor(
    readonly path: string,
    readonly abciCode: number,
    readonly codespace: string,
    readonly grpcCode: string | undefined,
    readonly log: string,
    code = 'query_failed',
  ) {
    super(code, `${path}: code ${abciCode}${codespace ? ` (${codespace})` : ''}${grpcCode ? ` ${grpcCode}` : ''}: ${log}`);
  }
}

/** gRPC NotFound (ABCI 38): the object does not exist. Methods that model absence return null instead. */
export class NotFoundError extends ChainQueryError {
  constructor(path: string, abciCode: number, codespace: string, grpcCode: string | undefined, log: string) {
    super(path, abciCode, codespace, grpcCode, log, 'not_found');
  }
}

/** The node does not know the query path (older chain version) or answered gRPC Unimplemented. */
export class UnimplementedQueryError extends ChainQueryError {
  constructor(path: string, abciCode: number, codespace: string, grpcCode: string | undefined, log: string) {
    super(path, abciCode, codespace, grpcCode, log, 'unimplemented');
  }
}

/** The response bytes did not decode, or a field the miner depends on was absent. */
export class ChainDecodeError extends ChainError {
  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super('decode_failed', `${path}: ${message}`, options);
  }
}

/** The configured chain id differs from the node's `node_info.network`. */
export class ChainIdMismatchError extends ChainError {
  constructor(
    readonly expected: string,
    readonly actual: string,
  ) {
    super('chain_id_mismatch', `node reports chain id ${JSON.stringify(actual)}, configured ${JSON.stringify(expected)}`);
  }
}

/** The block watcher saw no block for too long, or lost its socket; reported on `BlockWatcher.issues$`. */
export class BlockWatcherError extends ChainError {
  constructor(
    readonly reason: 'stalled' | 'socket_lost' | 'subscription_error' | 'backfill_failed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`watcher_${reason}`, message, options);
  }
}

/** A transaction could not be built or signed locally (bad message, missing account, no pubkey…). */
export class TxBuildError extends ChainError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('tx_build_failed', message, options);
  }
}

/** The client was closed while work was pending. */
export class ChainClientClosedError extends ChainError {
  constructor(what: string) {
    super('closed', `${what} is closed`);
  }
}
