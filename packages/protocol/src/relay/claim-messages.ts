/** Claim bytes and hash, and the Any-wrapped claim/proof transaction messages (protocol.md §1.9, §1.10). */
import { sha256 } from '../sha256.js';
import { Claim, MsgCreateClaim, MsgSubmitProof, packWireAny, type google } from '../wire/index.js';

export const MSG_CREATE_CLAIM_TYPE_URL = '/pocket.proof.MsgCreateClaim';
export const MSG_SUBMIT_PROOF_TYPE_URL = '/pocket.proof.MsgSubmitProof';

/**
 * Canonical Claim bytes; `proofValidationStatus` 0 (PENDING_VALIDATION) is omitted, so a pending claim
 * has the same bytes as the MsgCreateClaim that created it.
 */
export function claimBytes(claim: Claim): Uint8Array {
  return Claim.marshal(claim);
}

/** sha256 of the canonical Claim: the seed of the proof-requirement sample. */
export function claimHash(claim: Claim): Uint8Array {
  return sha256(claimBytes(claim));
}

export function msgCreateClaimToAny(msg: MsgCreateClaim): google.protobuf.Any {
  return packWireAny(MsgCreateClaim, msg);
}

export function msgSubmitProofToAny(msg: MsgSubmitProof): google.protobuf.Any {
  return packWireAny(MsgSubmitProof, msg);
}
