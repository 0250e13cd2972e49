/**
 * What the two relay signatures cover (protocol.md §2.2 and §3.1). Both are computed on the canonical
 * re-encoding of the message as decoded, never on the bytes received: Go verifiers unmarshal and
 * re-marshal before hashing, so unknown fields a client added are not covered.
 */
import { sha256 } from '../sha256.js';
import { RelayRequest, RelayResponse } from '../wire/index.js';
import { assertRelayMessage } from './assert-message.js';

const EMPTY = new Uint8Array(0);

/** Canonical bytes of the request with `meta.signature` removed; everything else stays. */
export function relayRequestSignableBytes(request: RelayRequest): Uint8Array {
  assertRelayMessage('relay request', request);
  const meta = request.meta ?? { sessionHeader: undefined, signature: EMPTY, supplierOperatorAddress: '' };
  return RelayRequest.marshal({ ...request, meta: { ...meta, signature: EMPTY } });
}

/** The 32-byte message of the request's ring signature. */
export function relayRequestSignableHash(request: RelayRequest): Uint8Array {
  return sha256(relayRequestSignableBytes(request));
}

/**
 * Canonical bytes of the response with `meta.supplier_operator_signature` removed and, when
 * `payloadHash` is present (even with length 0, as Go keeps a non-nil empty slice), the payload removed.
 */
export function relayResponseSignableBytes(response: RelayResponse): Uint8Array {
  assertRelayMessage('relay response', response);
  const meta = response.meta ?? { sessionHeader: undefined, supplierOperatorSignature: EMPTY };
  const payload = response.payloadHash !== undefined ? EMPTY : response.payload;
  return RelayResponse.marshal({ ...response, payload, meta: { ...meta, supplierOperatorSignature: EMPTY } });
}

/** The 32-byte hash the supplier signs (its key hashes it once more inside ECDSA, §3.2). */
export function relayResponseSignableHash(response: RelayResponse): Uint8Array {
  return sha256(relayResponseSignableBytes(response));
}
