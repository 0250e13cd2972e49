import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes.js';
import {
  MSG_CREATE_CLAIM_TYPE_URL,
  MSG_SUBMIT_PROOF_TYPE_URL,
  claimBytes,
  claimHash,
  isRelayMinable,
  minedRelayBytes,
  msgCreateClaimToAny,
  msgSubmitProofToAny,
  relayHash,
  relayHashBatch,
  relayRequestSignableBytes,
  relayRequestSignableHash,
  relayResponseSignableBytes,
  relayResponseSignableHash,
  relaySmstPath,
  signRelayResponse,
  verifyRelayResponseSignature,
} from '../../src/relay/index.js';
import { Claim, MsgCreateClaim, MsgSubmitProof, Relay, RelayRequest, RelayResponse, SessionHeader, google } from '../../src/wire/index.js';
import { claimFromView, headerFromView, loadVectors, requestFromView, responseFromView, rows, type Json } from './wire-test-helpers.js';

const relays = loadVectors('protocol/relays.json');
const claims = loadVectors('protocol/claims_proofs.json');
const signing = loadVectors('protocol/supplier_signing.json');
const decisions = loadVectors('protocol/proof_requirement.json');
const addresses = loadVectors('protocol/addresses.json');

const targets: Record<string, Uint8Array> = Object.fromEntries(relays.difficulty_targets.map((t: Json) => [t.label, fromHex(t.target_hash)]));
const keys: Record<string, Json> = Object.fromEntries([...relays.keys, ...signing.keys].map((k: Json) => [k.label, k]));
const hex = toHex;

function plusOne(h: string): Uint8Array {
  return fromHex(((BigInt('0x' + h) + 1n) % 2n ** 256n).toString(16).padStart(64, '0'));
}

describe('relays.json relays[]: built from their views', () => {
  test.each(rows(relays.relays))('%s', (_label, r) => {
    const req = requestFromView(r.request)!;
    const res = responseFromView(r.response)!;
    expect(hex(RelayRequest.marshal(req))).toBe(r.request_hex);
    expect(hex(RelayResponse.marshal(res))).toBe(r.response_hex);
    expect(hex(relayRequestSignableBytes(req))).toBe(r.request_signable_bytes);
    expect(hex(relayRequestSignableHash(req))).toBe(r.request_signable_hash);
    expect(hex(relayResponseSignableBytes(res))).toBe(r.response_signable_bytes);
    expect(hex(relayResponseSignableHash(res))).toBe(r.response_signable_hash);
    expect(hex(Relay.marshal({ req, res }))).toBe(r.relay_with_response_payload_hex);

    // The miner's path: decode what arrived, hash the re-encoding.
    const decodedReq = RelayRequest.unmarshal(fromHex(r.request_hex));
    const decodedRes = RelayResponse.unmarshal(fromHex(r.response_hex));
    expect(hex(relayRequestSignableHash(decodedReq))).toBe(r.request_signable_hash);
    expect(hex(relayResponseSignableHash(decodedRes))).toBe(r.response_signable_hash);
    const mined = minedRelayBytes(decodedReq, decodedRes);
    expect(hex(mined)).toBe(r.relay_hex);
    expect(hex(relayHash(mined))).toBe(r.relay_hash);
    expect(hex(relaySmstPath(relayHash(mined)))).toBe(r.smst_path);
    for (const [t, want] of Object.entries(r.minable)) expect(isRelayMinable(fromHex(r.relay_hash), targets[t]!)).toBe(want);
    expect(isRelayMinable(fromHex(r.relay_hash), fromHex(r.relay_hash))).toBe(r.minable_if_target_equals_relay_hash);
    expect(isRelayMinable(fromHex(r.relay_hash), plusOne(r.relay_hash))).toBe(r.minable_if_target_is_relay_hash_plus_1);

    const supplier = keys[r.supplier_key]!;
    expect(verifyRelayResponseSignature(decodedRes, fromHex(supplier.public_key))).toBe(r.supplier_signature_valid ?? false);
    // Signing is deterministic (RFC 6979): re-signing the unsigned response reproduces the bytes, for
    // every response whose payload hash is the payload's sha256 (not the legacy one or the error reply).
    if (r.supplier_signature_valid && res.payloadHash !== undefined) {
      const unsigned = { ...res, payloadHash: undefined, meta: { ...res.meta!, supplierOperatorSignature: new Uint8Array(0) } };
      expect(hex(RelayResponse.marshal(signRelayResponse(unsigned, fromHex(supplier.private_key))))).toBe(r.response_hex);
    }
  });

  test('relayHashBatch (SIMD lanes plus a scalar tail) equals one relayHash per relay', () => {
    const all = [...relays.relays.map((r: Json) => fromHex(r.relay_hex)), ...relays.repo_fixtures.map((f: Json) => fromHex(f.relay_hex))];
    const want = [...relays.relays.map((r: Json) => r.relay_hash), ...relays.repo_fixtures.map((f: Json) => f.relay_hash)];
    expect(all.length % 4).not.toBe(0);
    expect(relayHashBatch(all).map(hex)).toEqual(want);
    expect(relayHashBatch([])).toEqual([]);
  });
});

describe('relays.json repo_fixtures and spec_example', () => {
  test.each(rows(relays.repo_fixtures, 'index'))('repo fixture %s: relay hash, signable hashes, minable', (_i, f) => {
    const relay = Relay.unmarshal(fromHex(f.relay_hex));
    expect(hex(relayHash(fromHex(f.relay_hex)))).toBe(f.relay_hash);
    expect(hex(relayRequestSignableHash(relay.req!))).toBe(f.request_signable_hash);
    expect(hex(relayResponseSignableHash(relay.res!))).toBe(f.response_signable_hash);
    for (const [t, want] of Object.entries(f.minable)) expect(isRelayMinable(fromHex(f.relay_hash), targets[t]!)).toBe(want);
  });

  test('the specification worked example (§12.3)', () => {
    const s = relays.spec_example;
    const req = RelayRequest.unmarshal(fromHex(s.request_hex));
    const res = RelayResponse.unmarshal(fromHex(s.response_hex));
    expect(hex(RelayRequest.marshal(req))).toBe(s.request_hex);
    expect(hex(RelayResponse.marshal(res))).toBe(s.response_hex);
    expect(hex(relayRequestSignableBytes(req))).toBe(s.request_signable_bytes);
    expect(hex(relayRequestSignableHash(req))).toBe(s.request_signable_hash);
    expect(hex(relayResponseSignableBytes(res))).toBe(s.response_signable_bytes);
    expect(hex(relayResponseSignableHash(res))).toBe(s.response_signable_hash);
    expect(verifyRelayResponseSignature(res, fromHex(s.supplier_public_key))).toBe(true);
    const supplier = addresses.keys.find((k: Json) => k.public_key_compressed === s.supplier_public_key);
    const resigned = signRelayResponse(res, fromHex(supplier.private_key));
    expect(hex(resigned.meta!.supplierOperatorSignature)).toBe(s.supplier_signature_recomputed);
    expect(hex(minedRelayBytes(req, res))).toBe(s.relay_hex);
    expect(hex(relayHash(fromHex(s.relay_hex)))).toBe(s.relay_hash);
    const claim = Claim.unmarshal(fromHex(s.claim_hex));
    expect(hex(claimBytes(claim))).toBe(s.claim_hex);
    expect(hex(claimHash(claim))).toBe(s.claim_hash);
  });

  test.each(rows(relays.sessions))('session %s header bytes', (_l, s) => {
    expect(hex(SessionHeader.marshal(headerFromView(s.session_header)!))).toBe(s.session_header_hex);
  });
});

describe('supplier_signing.json: what the supplier signs', () => {
  test.each(rows(signing.cases))('%s', (_l, c) => {
    const unsigned = responseFromView(c.response_unsigned)!;
    expect(hex(relayResponseSignableBytes(unsigned))).toBe(c.signable_bytes);
    expect(hex(relayResponseSignableHash(unsigned))).toBe(c.signable_hash);
    // Verified on the response as the miner holds it: sig-x2's present-but-empty payload_hash is not
    // written on the wire, so a client decoding signed_response_hex sees no hash and its signable bytes
    // keep the payload (a Go quirk the vectors pin down).
    const signed = { ...unsigned, meta: { ...unsigned.meta!, supplierOperatorSignature: fromHex(c.signature) } };
    expect(hex(RelayResponse.marshal(signed))).toBe(c.signed_response_hex);
    const pub = fromHex(keys[c.supplier_key]!.public_key);
    expect(verifyRelayResponseSignature(signed, pub)).toBe(c.verify);
    const fromWire = RelayResponse.unmarshal(fromHex(c.signed_response_hex));
    const hashLost = unsigned.payloadHash?.length === 0 && unsigned.payload.length > 0;
    expect(verifyRelayResponseSignature(fromWire, pub)).toBe(hashLost ? false : c.verify);
    const highS = { ...signed, meta: { ...signed.meta!, supplierOperatorSignature: fromHex(c.high_s_signature) } };
    expect(verifyRelayResponseSignature(highS, pub)).toBe(c.verify_high_s_signature);
    const singleHash = { ...signed, meta: { ...signed.meta!, supplierOperatorSignature: fromHex(c.single_hash_signature) } };
    expect(verifyRelayResponseSignature(singleHash, pub)).toBe(c.verify_single_hash_signature);
  });
});

describe('claims and the claim/proof transaction messages', () => {
  test.each(rows(claims.msg_create_claim))('%s: MsgCreateClaim, its Any, the pending Claim and its hash', (_l, c) => {
    const msg: MsgCreateClaim = { supplierOperatorAddress: c.supplier_operator_address, sessionHeader: headerFromView(c.session_header), rootHash: fromHex(c.root_hash) };
    expect(hex(MsgCreateClaim.marshal(msg))).toBe(c.msg_create_claim_hex);
    const any = msgCreateClaimToAny(msg);
    expect(any.typeUrl).toBe(MSG_CREATE_CLAIM_TYPE_URL);
    expect(hex(google.protobuf.Any.marshal(any))).toBe(c.any_hex);
    const claim = { ...msg, proofValidationStatus: 0 };
    expect(hex(claimBytes(claim))).toBe(c.claim_hex);
    expect(hex(claimHash(claim))).toBe(c.claim_hash);
  });

  test.each(rows(claims.trees))('tree %s: claim, and every MsgSubmitProof with its Any', (_l, t) => {
    const header = headerFromView(t.session_header);
    const msg = { supplierOperatorAddress: t.supplier_operator_address, sessionHeader: header, rootHash: fromHex(t.root) };
    expect(hex(MsgCreateClaim.marshal(msg))).toBe(t.msg_create_claim_hex);
    expect(hex(claimHash({ ...msg, proofValidationStatus: 0 }))).toBe(t.claim_hash);
    for (const p of t.proofs) {
      const proofMsg: MsgSubmitProof = { supplierOperatorAddress: t.supplier_operator_address, sessionHeader: header, proof: fromHex(p.compact_proof_gob) };
      expect(hex(MsgSubmitProof.marshal(proofMsg))).toBe(p.msg_submit_proof_hex);
      const any = msgSubmitProofToAny(proofMsg);
      expect(any.typeUrl).toBe(MSG_SUBMIT_PROOF_TYPE_URL);
      expect(hex(google.protobuf.Any.marshal(any))).toBe(p.any_hex);
      // The proof's leaf value is the mined relay: it decodes as a Relay and re-encodes identically.
      const relayBytes = fromHex(p.relay_bytes_from_proof);
      expect(hex(Relay.marshal(Relay.unmarshal(relayBytes)))).toBe(p.relay_bytes_from_proof);
    }
  });

  test.each(rows(decisions.decisions))('proof_requirement %s: claim bytes and hash (status included when non-zero)', (_l, d) => {
    const claim = claimFromView(d.claim);
    expect(hex(claimBytes(claim))).toBe(d.claim_bytes);
    expect(hex(claimHash(claim))).toBe(d.claim_hash);
  });
});
