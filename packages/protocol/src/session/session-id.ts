/**
 * Session ids (x/session session hydrator): lowercase hex of
 * sha3_256(blockHash(start) ‖ "." ‖ serviceId ‖ "." ‖ applicationAddress ‖ "." ‖ LE64(start)).
 * The un-hashed preimage is also what supplier selection weights are derived from.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { concatBytes, toHex, u64le, utf8ToBytes } from '../bytes.js';
import { assertBytes, assertInt64, assertString } from './integer-checks.js';

export interface SessionIdInput {
  /** Header hash of block `sessionStartHeight`; empty for heights ≤ 0 (the chain stores none). */
  blockHashAtSessionStart: Uint8Array;
  serviceId: string;
  applicationAddress: string;
  sessionStartHeight: bigint;
}

const DELIMITER = utf8ToBytes('.');

export function sessionIdPreimage(input: SessionIdInput): Uint8Array {
  assertBytes('blockHashAtSessionStart', input.blockHashAtSessionStart);
  assertString('serviceId', input.serviceId);
  assertString('applicationAddress', input.applicationAddress);
  assertInt64('sessionStartHeight', input.sessionStartHeight);
  return concatBytes(
    input.blockHashAtSessionStart,
    DELIMITER,
    utf8ToBytes(input.serviceId),
    DELIMITER,
    utf8ToBytes(input.applicationAddress),
    DELIMITER,
    // Go writes uint64(start) little-endian.
    u64le(input.sessionStartHeight),
  );
}

export function sessionIdFromPreimage(preimage: Uint8Array): string {
  assertBytes('session id preimage', preimage);
  return toHex(sha3_256(preimage));
}

/** The 64-character lowercase hex session id. */
export function computeSessionId(input: SessionIdInput): string {
  return sessionIdFromPreimage(sessionIdPreimage(input));
}
