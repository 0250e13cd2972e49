/**
 * gRPC unary queries carried over CometBFT `abci_query` (path = full method name, data = protobuf request).
 * We call `abci_query` ourselves instead of cosmjs `QueryClient.queryAbci` because the latter folds every
 * non-zero code into a plain Error, and the miner must tell NotFound and Unimplemented apart.
 */
import { ChainDecodeError, ChainQueryError, NotFoundError, UnimplementedQueryError } from '../errors.js';
import { retrying, type RetryPolicy } from '../retry.js';
import type { CometRpc } from '../rpc.js';

/** The part of a generated codec the querier uses (every `@relayminer/protocol` message has it). */
export interface MessageCodec<T> {
  marshal(message: T): Uint8Array;
  unmarshal(bytes: Uint8Array): T;
}

const SDK_NOT_FOUND = 38;
const GRPC_CODE_RE = /rpc error: code = (\w+)/;

/** Maps a non-zero `abci_query` answer to the most specific error class. */
export function classifyQueryFailure(path: string, code: number, codespace: string, log: string): ChainQueryError {
  const grpcCode = GRPC_CODE_RE.exec(log)?.[1];
  if (grpcCode === 'NotFound' || (grpcCode === undefined && codespace === 'sdk' && code === SDK_NOT_FOUND)) {
    return new NotFoundError(path, code, codespace, grpcCode, log);
  }
  // A node that predates a method has no route for it ("unknown query path"); a gRPC server says Unimplemented.
  if (grpcCode === 'Unimplemented' || /unknown query path/i.test(log)) {
    return new UnimplementedQueryError(path, code, codespace, grpcCode, log);
  }
  return new ChainQueryError(path, code, codespace, grpcCode, log);
}

export class AbciQuerier {
  constructor(
    private readonly rpc: CometRpc,
    private readonly policy: RetryPolicy,
  ) {}

  /** Raw bytes of the response; throws ChainQueryError (or a subclass) on a non-zero code. */
  async raw(path: string, request: Uint8Array, options: { once?: boolean } = {}): Promise<Uint8Array> {
    const policy = options.once ? { ...this.policy, attempts: 1 } : this.policy;
    return retrying(policy, async () => {
      const res = await this.rpc.abciQuery(path, request);
      if (res.code) throw classifyQueryFailure(path, res.code, res.codespace ?? '', res.log ?? '');
      return res.value;
    });
  }

  async query<Req, Res>(path: string, reqCodec: MessageCodec<Req>, request: Req, resCodec: MessageCodec<Res>, options?: { once?: boolean }): Promise<Res> {
    const bytes = await this.raw(path, reqCodec.marshal(request), options);
    try {
      return resCodec.unmarshal(bytes);
    } catch (error) {
      throw new ChainDecodeError(path, `response did not decode: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    }
  }
}
