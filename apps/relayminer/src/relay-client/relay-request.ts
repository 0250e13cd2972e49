/**
 * A RelayRequest as a gateway sends it: the HTTP call wrapped in a POKTHTTPRequest envelope, addressed
 * to one supplier of the session, ring-signed over the application's ring.
 */
import { POKTHTTPRequest, RelayRequest, relayRequestSignableHash, type RingSigner, type SessionHeader } from '@relayminer/protocol';

const encoder = new TextEncoder();

/** A JSON-RPC `eth_blockNumber` call with id `i`: what an EVM gateway sends most. */
export function ethBlockNumberBody(i: number): Uint8Array {
  return encoder.encode(`{"jsonrpc":"2.0","id":${i},"method":"eth_blockNumber","params":[]}`);
}

/** The POKTHTTPRequest envelope of a JSON POST; the supplier uses only the URL's path and query. */
export function jsonPostEnvelope(body: Uint8Array): Uint8Array {
  return POKTHTTPRequest.marshal({
    method: 'POST',
    header: { 'Content-Type': { key: 'Content-Type', values: ['application/json'] } },
    url: 'http://relay-client/',
    bodyBz: body,
  });
}

export interface RelayRequestInput {
  header: SessionHeader;
  supplierOperatorAddress: string;
  /** The serialized POKTHTTPRequest. */
  payload: Uint8Array;
  signer: RingSigner;
  ring: readonly Uint8Array[];
}

/** The serialized, ring-signed RelayRequest. */
export function signedRelayRequest(input: RelayRequestInput): Uint8Array {
  const unsigned: RelayRequest = {
    meta: { sessionHeader: input.header, signature: new Uint8Array(0), supplierOperatorAddress: input.supplierOperatorAddress },
    payload: input.payload,
  };
  const signature = input.signer.sign(relayRequestSignableHash(unsigned), input.ring);
  return RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta!, signature } });
}
