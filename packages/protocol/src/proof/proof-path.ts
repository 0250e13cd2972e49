/**
 * The SMST path a proof must open: sha256(blockHash(proofSeedBlockHeight) ‖ utf8(sessionId)),
 * where the session id is its 64-character hex string (its text, not the decoded bytes).
 */
import { sha256 } from '../sha256.js';
import { concatBytes, utf8ToBytes } from '../bytes.js';
import { assertBytes, assertString } from '../session/integer-checks.js';

export function proofPath(seedBlockHash: Uint8Array, sessionId: string): Uint8Array {
  assertBytes('seedBlockHash', seedBlockHash);
  assertString('sessionId', sessionId);
  return sha256(concatBytes(seedBlockHash, utf8ToBytes(sessionId)));
}
