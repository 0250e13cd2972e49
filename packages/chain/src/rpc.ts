/**
 * The CometBFT JSON-RPC calls this package makes, over cosmjs `Comet38Client` on HTTP. Its only job is to
 * put a deadline on each call and to turn cosmjs' untyped throws (`Error(JSON.stringify(rpcError))`,
 * fetch failures) into ChainRpcError / ChainTimeoutError, so the layers above can decide what to retry.
 */
import { Comet38Client, HttpClient, type Comet38Client as CometClientType } from '@cosmjs/tendermint-rpc';
import { ChainError, ChainRpcError, ChainTimeoutError } from './errors.js';
import { withTimeout } from './retry.js';

type Comet = CometClientType;
export type AbciQueryResult = Awaited<ReturnType<Comet['abciQuery']>>;
export type BlockResult = Awaited<ReturnType<Comet['block']>>;
export type StatusResult = Awaited<ReturnType<Comet['status']>>;
export type BroadcastSyncResult = Awaited<ReturnType<Comet['broadcastTxSync']>>;
export type TxResult = Awaited<ReturnType<Comet['tx']>>;

/** Turns whatever cosmjs threw into a ChainRpcError, keeping the JSON-RPC code and data when present. */
export function toRpcError(method: string, error: unknown): ChainError {
  if (error instanceof ChainError) return error;
  const text = error instanceof Error ? error.message : String(error);
  try {
    const parsed = JSON.parse(text) as { code?: unknown; message?: unknown; data?: unknown };
    if (parsed && typeof parsed === 'object' && typeof parsed.code === 'number') {
      const data = typeof parsed.data === 'string' ? parsed.data : undefined;
      const message = `${typeof parsed.message === 'string' ? parsed.message : 'JSON-RPC error'}${data ? `: ${data}` : ''}`;
      return new ChainRpcError(method, message, parsed.code, data, { cause: error });
    }
  } catch {
    // not a JSON-RPC error object: a transport failure
  }
  return new ChainRpcError(method, text, undefined, undefined, { cause: error });
}

export class CometRpc {
  private readonly client: Comet;

  constructor(
    readonly url: string,
    private readonly timeoutMs: number,
  ) {
    // HttpClient aborts the fetch itself after timeoutMs; withTimeout below is the outer guarantee.
    this.client = Comet38Client.create(new HttpClient(url, timeoutMs));
  }

  private async call<T>(method: string, run: (c: Comet) => Promise<T>): Promise<T> {
    try {
      return await withTimeout(`${method} @ ${this.url}`, this.timeoutMs, run(this.client));
    } catch (error) {
      // fetch's own AbortSignal deadline usually fires first; it is the same timeout, so say so.
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new ChainTimeoutError(`${method} @ ${this.url}`, this.timeoutMs);
      }
      throw toRpcError(method, error);
    }
  }

  status(): Promise<StatusResult> {
    return this.call('status', (c) => c.status());
  }

  abciQuery(path: string, data: Uint8Array): Promise<AbciQueryResult> {
    return this.call('abci_query', (c) => c.abciQuery({ path, data, prove: false }));
  }

  block(height?: number): Promise<BlockResult> {
    return this.call('block', (c) => c.block(height));
  }

  broadcastTxSync(tx: Uint8Array): Promise<BroadcastSyncResult> {
    return this.call('broadcast_tx_sync', (c) => c.broadcastTxSync({ tx }));
  }

  tx(hash: Uint8Array): Promise<TxResult> {
    return this.call('tx', (c) => c.tx({ hash, prove: false }));
  }

  disconnect(): void {
    this.client.disconnect();
  }
}

/** CometBFT answers `tx` for an unknown hash with a JSON-RPC error whose data reads "tx (<HEX>) not found". */
export function isTxNotFound(error: unknown): boolean {
  return error instanceof ChainRpcError && /not found/i.test(`${error.data ?? ''} ${error.message}`);
}

/** The mempool already holds these exact bytes: a rebroadcast that is harmless. */
export function isTxAlreadyInCache(error: unknown): boolean {
  return error instanceof ChainRpcError && /already exists in cache/i.test(`${error.data ?? ''} ${error.message}`);
}
