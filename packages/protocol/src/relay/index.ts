// Relay signable bytes and hashes, response signing, mined relay bytes and relay hashing, claims.
export {
  relayRequestSignableBytes,
  relayRequestSignableHash,
  relayResponseSignableBytes,
  relayResponseSignableHash,
} from './signable-bytes.js';
export { setPayloadHash, signRelayResponse, verifyRelayResponseSignature } from './response-signing.js';
export { minedRelayBytes, relayHash, relayHashBatch, relaySmstPath, isRelayMinable } from './relay-hash.js';
export {
  MSG_CREATE_CLAIM_TYPE_URL,
  MSG_SUBMIT_PROOF_TYPE_URL,
  claimBytes,
  claimHash,
  msgCreateClaimToAny,
  msgSubmitProofToAny,
} from './claim-messages.js';
