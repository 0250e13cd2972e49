import { createHash, createPublicKey, verify } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes.js';
import { InvalidArgumentError, ProtocolError } from '../../src/errors.js';
import {
  MSG_CREATE_CLAIM_TYPE_URL,
  MSG_SUBMIT_PROOF_TYPE_URL,
  isRelayMinable,
  minedRelayBytes,
  relayHash,
  relayRequestSignableBytes,
  relayResponseSignableBytes,
  relayResponseSignableHash,
  relaySmstPath,
  setPayloadHash,
  signRelayResponse,
  verifyRelayResponseSignature,
} from '../../src/relay/index.js';
import { MsgCreateClaim, MsgSubmitProof, Relay, RelayRequest, RelayResponse, type SessionHeader } from '../../src/wire/index.js';
import { loadVectors } from './wire-test-helpers.js';

const sha256 = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const keys = loadVectors('protocol/supplier_signing.json').keys;
const [k0, k1] = [keys[0], keys[1]];
const header: SessionHeader = { applicationAddress: 'pokt1app', serviceId: 'anvil', sessionId: 'ab'.repeat(32), sessionStartBlockHeight: 21n, sessionEndBlockHeight: 30n };
const response = (): RelayResponse => ({
  meta: { sessionHeader: header, supplierOperatorSignature: new Uint8Array(0) },
  payload: new TextEncoder().encode('{"result":"0x10"}'),
  relayMinerError: undefined,
  payloadHash: undefined,
});

describe('response signing', () => {
  test('setPayloadHash sets sha256(payload) on a copy', () => {
    const r = response();
    const hashed = setPayloadHash(r);
    expect(toHex(hashed.payloadHash!)).toBe(toHex(sha256(r.payload)));
    expect(r.payloadHash).toBeUndefined();
  });

  test('a signed response verifies with the signer key only, and the signature covers hash and header', () => {
    const signed = signRelayResponse(response(), fromHex(k0.private_key));
    expect(signed.meta!.supplierOperatorSignature).toHaveLength(64);
    expect(toHex(signed.payloadHash!)).toBe(toHex(sha256(signed.payload)));
    expect(verifyRelayResponseSignature(signed, fromHex(k0.public_key))).toBe(true);
    expect(verifyRelayResponseSignature(signed, fromHex(k1.public_key))).toBe(false);
    // Round trip through the wire does not change the verdict.
    expect(verifyRelayResponseSignature(RelayResponse.unmarshal(RelayResponse.marshal(signed)), fromHex(k0.public_key))).toBe(true);
    const otherHash = { ...signed, payloadHash: sha256(new Uint8Array([1])) };
    expect(verifyRelayResponseSignature(otherHash, fromHex(k0.public_key))).toBe(false);
    const otherHeader = { ...signed, meta: { ...signed.meta!, sessionHeader: { ...header, sessionEndBlockHeight: 31n } } };
    expect(verifyRelayResponseSignature(otherHeader, fromHex(k0.public_key))).toBe(false);
    // With a payload hash present the payload itself is not signed (the chain's rule): a client must
    // compare payloadHash with sha256(payload) separately.
    const otherPayload = { ...signed, payload: new Uint8Array([9]) };
    expect(verifyRelayResponseSignature(otherPayload, fromHex(k0.public_key))).toBe(true);
  });

  test('the signature is ECDSA over sha256 of the signable hash, low-S, 64 bytes', () => {
    const signed = signRelayResponse(response(), fromHex(k0.private_key));
    const signableHash = relayResponseSignableHash(signed);
    const sig = signed.meta!.supplierOperatorSignature;
    const der = derFromCompact(sig);
    const spki = Buffer.concat([Buffer.from('3036301006072a8648ce3d020106052b8104000a032200', 'hex'), Buffer.from(k0.public_key, 'hex')]);
    const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    // OpenSSL hashes its input once: given the signable hash, it checks ECDSA over sha256(signable hash).
    expect(verify('sha256', signableHash, key, der)).toBe(true);
    expect(verify('sha256', sha256(signableHash), key, der)).toBe(false);
    const n = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
    expect(BigInt('0x' + toHex(sig.subarray(32))) <= n / 2n).toBe(true);
  });

  test('missing or malformed signatures and keys give false, not exceptions', () => {
    const r = setPayloadHash(response());
    expect(verifyRelayResponseSignature(r, fromHex(k0.public_key))).toBe(false);
    expect(verifyRelayResponseSignature({ ...r, meta: undefined }, fromHex(k0.public_key))).toBe(false);
    const signed = signRelayResponse(r, fromHex(k0.private_key));
    expect(verifyRelayResponseSignature(signed, new Uint8Array(32))).toBe(false);
    const short = { ...signed, meta: { ...signed.meta!, supplierOperatorSignature: signed.meta!.supplierOperatorSignature.subarray(0, 63) } };
    expect(verifyRelayResponseSignature(short, fromHex(k0.public_key))).toBe(false);
  });

  test('a bad private key is a typed error that does not echo the key', () => {
    const bad = new Uint8Array(32); // zero is not a valid scalar
    let caught: unknown;
    try {
      signRelayResponse(response(), bad);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect(String((caught as Error).message)).not.toContain('0'.repeat(64));
  });

  test('signing a response without meta creates it', () => {
    const signed = signRelayResponse({ ...response(), meta: undefined }, fromHex(k1.private_key));
    expect(signed.meta!.sessionHeader).toBeUndefined();
    expect(verifyRelayResponseSignature(signed, fromHex(k1.public_key))).toBe(true);
  });
});

describe('signable bytes', () => {
  test('request: only meta.signature goes; the input is not modified', () => {
    const req: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array([1, 2, 3]), supplierOperatorAddress: 'pokt1sup' }, payload: new Uint8Array([7]) };
    const bytes = relayRequestSignableBytes(req);
    expect(toHex(bytes)).toBe(toHex(RelayRequest.marshal({ ...req, meta: { ...req.meta!, signature: new Uint8Array(0) } })));
    expect(toHex(req.meta!.signature)).toBe('010203');
    expect(toHex(relayRequestSignableBytes({ meta: undefined, payload: new Uint8Array(0) }))).toBe('0a00');
  });

  test('response: the payload goes only when payloadHash is present, even empty', () => {
    const r = { ...response(), meta: { sessionHeader: undefined, supplierOperatorSignature: new Uint8Array([5]) } };
    // meta {} (signature removed) then payload
    expect(toHex(relayResponseSignableBytes(r))).toBe('0a00' + '12' + r.payload.length.toString(16).padStart(2, '0') + toHex(r.payload));
    expect(toHex(relayResponseSignableBytes({ ...r, payloadHash: new Uint8Array(0) }))).toBe('0a00');
    expect(toHex(relayResponseSignableBytes({ ...r, payloadHash: new Uint8Array([0xaa]) }))).toBe('0a00' + '2201aa');
  });
});

describe('mined relays and the difficulty check', () => {
  test('minedRelayBytes drops only the response payload', () => {
    const req: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array([1]), supplierOperatorAddress: 's' }, payload: new Uint8Array([2]) };
    const res = signRelayResponse(response(), fromHex(k0.private_key));
    const relay = Relay.unmarshal(minedRelayBytes(req, res));
    expect(relay.req).toEqual(req);
    expect(relay.res).toEqual({ ...res, payload: new Uint8Array(0) });
    expect(res.payload.length).toBeGreaterThan(0);
  });

  test('relay hash and SMST path are sha256 and sha256∘sha256', () => {
    const bytes = new Uint8Array(1000).map((_, i) => i & 0xff);
    expect(toHex(relayHash(bytes))).toBe(toHex(sha256(bytes)));
    expect(toHex(relaySmstPath(relayHash(bytes)))).toBe(toHex(sha256(sha256(bytes))));
  });

  test('minable means strictly below the target, byte by byte', () => {
    const t = fromHex('00ff' + 'ff'.repeat(30));
    expect(isRelayMinable(fromHex('000f' + 'ff'.repeat(30)), t)).toBe(true);
    expect(isRelayMinable(fromHex('00ef' + 'ff'.repeat(30)), t)).toBe(true);
    expect(isRelayMinable(fromHex('00ff' + 'ff'.repeat(30)), t)).toBe(false);
    expect(isRelayMinable(fromHex('0eff' + 'ff'.repeat(30)), t)).toBe(false);
    expect(isRelayMinable(fromHex('ff'.repeat(32)), t)).toBe(false);
  });

  test('wrong lengths are InvalidArgumentErrors', () => {
    const h = new Uint8Array(32);
    expect(() => isRelayMinable(h, new Uint8Array(31))).toThrow(InvalidArgumentError);
    expect(() => isRelayMinable(h, new Uint8Array(33))).toThrow(/target hash must be 32 bytes, got 33/);
    expect(() => isRelayMinable(new Uint8Array(0), h)).toThrow(InvalidArgumentError);
    expect(() => relaySmstPath(new Uint8Array(31))).toThrow(InvalidArgumentError);
    expect(() => isRelayMinable('00' as unknown as Uint8Array, h)).toThrow(InvalidArgumentError);
  });

  test('a missing message is an InvalidArgumentError, not an empty encoding', () => {
    const res = response();
    expect(() => minedRelayBytes(undefined as unknown as RelayRequest, res)).toThrow(InvalidArgumentError);
    expect(() => minedRelayBytes(RelayRequest.fromPartial({}), null as unknown as RelayResponse)).toThrow(/relay response must be a message object, got null/);
    expect(() => relayRequestSignableBytes(new Uint8Array(3) as unknown as RelayRequest)).toThrow(InvalidArgumentError);
    expect(() => verifyRelayResponseSignature(undefined as unknown as RelayResponse, new Uint8Array(33))).toThrow(InvalidArgumentError);
  });

  test('type URL constants are the codecs\' URLs', () => {
    expect(MSG_CREATE_CLAIM_TYPE_URL).toBe(MsgCreateClaim.typeUrl);
    expect(MSG_SUBMIT_PROOF_TYPE_URL).toBe(MsgSubmitProof.typeUrl);
  });
});

/** 64-byte r‖s → DER, for checking the signature with OpenSSL (node:crypto) independently. */
function derFromCompact(sig: Uint8Array): Buffer {
  const int = (b: Uint8Array) => {
    let i = 0;
    while (i < b.length - 1 && b[i] === 0) i++;
    let v = Buffer.from(b.subarray(i));
    if (v[0]! & 0x80) v = Buffer.concat([Buffer.from([0]), v]);
    return Buffer.concat([Buffer.from([0x02, v.length]), v]);
  };
  const body = Buffer.concat([int(sig.subarray(0, 32)), int(sig.subarray(32))]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
