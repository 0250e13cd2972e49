/**
 * What a gateway makes of the relay miner's answer: only a response signed by the addressed supplier,
 * for the session it was asked about, counts; everything else is a failure with a countable reason.
 */
import { POKTHTTPResponse, RelayResponse, verifyRelayResponseSignature } from '@relayminer/protocol';

export interface ReplyVerdict {
  ok: boolean;
  /** Failure reason, a key of the report's error counts. */
  reason?: string;
}

/** `supplierPublicKey` undefined: the chain has no key for the supplier (only an error reply can then be judged). */
export function judgeRelayReply(httpStatus: number, body: Uint8Array, expectedSessionId: string, supplierPublicKey: Uint8Array | undefined): ReplyVerdict {
  if (httpStatus !== 200) return { ok: false, reason: `http_${httpStatus}` };
  let response: RelayResponse;
  try {
    response = RelayResponse.unmarshal(body);
  } catch {
    return { ok: false, reason: 'undecodable_response' };
  }
  const error = response.relayMinerError;
  if (error) return { ok: false, reason: `relay_miner_error:${error.codespace || 'unknown'}:${error.code}` };
  if (!supplierPublicKey) return { ok: false, reason: 'supplier_key_unknown' };
  if (!verifyRelayResponseSignature(response, supplierPublicKey)) return { ok: false, reason: 'bad_signature' };
  // the signature covers the header, so a signed answer for another session is the supplier's mistake, not a forgery
  if (response.meta?.sessionHeader?.sessionId !== expectedSessionId) return { ok: false, reason: 'session_mismatch' };
  let statusCode: number;
  try {
    statusCode = POKTHTTPResponse.unmarshal(response.payload).statusCode;
  } catch {
    return { ok: false, reason: 'undecodable_response' };
  }
  // the relay miner does not mine relays its backend failed, so neither do we count them as served
  if (statusCode >= 500) return { ok: false, reason: `backend_status_${statusCode}` };
  return { ok: true };
}
