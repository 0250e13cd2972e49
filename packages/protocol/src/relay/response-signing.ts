/** The supplier's side of a relay response: payload hash and signature (protocol.md §3). */
import { sha256 } from '../sha256.js';
import { signSupplierHash, verifySupplierHash } from '../keys/index.js';
import type { RelayResponse } from '../wire/index.js';
import { assertRelayMessage } from './assert-message.js';
import { relayResponseSignableHash } from './signable-bytes.js';

/** A copy of `response` with `payloadHash = sha256(payload)`. */
export function setPayloadHash(response: RelayResponse): RelayResponse {
  assertRelayMessage('relay response', response);
  return { ...response, payloadHash: sha256(response.payload) };
}

/**
 * A copy of `response` as the miner returns it: payload hash set, then signed by the supplier operator
 * key over the signable hash (which, with the hash present, no longer covers the payload itself).
 */
export function signRelayResponse(response: RelayResponse, privateKey: Uint8Array): RelayResponse {
  const hashed = setPayloadHash(response);
  const signature = signSupplierHash(privateKey, relayResponseSignableHash(hashed));
  const meta = hashed.meta ?? { sessionHeader: undefined, supplierOperatorSignature: signature };
  return { ...hashed, meta: { ...meta, supplierOperatorSignature: signature } };
}

/**
 * Whether the response carries a valid signature by `publicKey33` (33-byte compressed) over its
 * signable hash, under the cosmos-sdk rules (64 bytes, low S). It does not check that `payloadHash`
 * matches the payload: that is a separate question for the client.
 */
export function verifyRelayResponseSignature(response: RelayResponse, publicKey33: Uint8Array): boolean {
  assertRelayMessage('relay response', response);
  const signature = response.meta?.supplierOperatorSignature;
  if (signature === undefined || signature.length === 0) return false;
  return verifySupplierHash(publicKey33, relayResponseSignableHash(response), signature);
}
