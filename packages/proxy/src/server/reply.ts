/**
 * Writing relay replies the way the Go relay miner does: always HTTP 200 with Content-Length and
 * Connection: close; errors as an unsigned RelayResponse carrying relay_miner_error (protocol.md §9).
 */
import type { ServerResponse } from 'node:http';
import { RelayResponse, SessionHeader, goStringToBytes, type RelayRequest } from '@relayminer/protocol';
import type { RelayError } from '../types.js';

const EMPTY = new Uint8Array(0);

export function writeReply(res: ServerResponse, body: Uint8Array): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(200, { 'Content-Length': body.length, Connection: 'close' });
  res.end(body);
}

/** The canonical bytes of an error reply; the request's header when it was decoded, else an empty one. */
export function errorReplyBytes(error: RelayError, request: RelayRequest | undefined): Uint8Array {
  return RelayResponse.marshal({
    meta: { sessionHeader: request?.meta?.sessionHeader ?? SessionHeader.fromPartial({}), supplierOperatorSignature: EMPTY },
    // Go's []byte(err.Error()): client bytes echoed in the message come back exactly as received.
    payload: goStringToBytes(error.message),
    relayMinerError: { codespace: error.codespace, code: error.code, description: error.description, message: error.message },
    payloadHash: undefined,
  });
}
