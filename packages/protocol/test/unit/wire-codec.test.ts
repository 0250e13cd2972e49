import { createHash } from 'node:crypto';
import { BinaryReader, BinaryWriter } from '@bufbuild/protobuf/wire';
import { describe, expect, test } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../src/bytes.js';
import {
  Claim,
  MsgCreateClaim,
  POKTHTTPRequest,
  Relay,
  RelayMinerError,
  RelayRequest,
  RelayResponse,
  SessionHeader,
  WireDecodeError,
  WireEncodeError,
  cosmos,
  decodeWireMessage,
  google,
  packWireAny,
  pocket,
  unpackWireAny,
  wireCodecFor,
  wireMethods,
  type WireCodec,
  type WireDecodeReason,
} from '../../src/wire/index.js';
import { loadVectors, messageFromView, relayFromView, rows, type Json } from './wire-test-helpers.js';

const relays = loadVectors('protocol/relays.json');
const sha256Hex = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

const codecs: Record<string, WireCodec<any>> = { SessionHeader, RelayRequest, RelayResponse, Relay, Claim, MsgCreateClaim };

// Go's error text (informational in the vectors) → the reason our decoder reports.
function reasonForGoError(goError: string): WireDecodeReason {
  if (goError.includes('unexpected EOF')) return 'truncated';
  if (goError.includes('wrong wireType')) return 'wrong_wire_type';
  if (goError.includes('illegal tag')) return 'illegal_tag';
  if (goError.includes('integer overflow')) return 'varint_overflow';
  if (goError.includes('end group')) return 'end_group';
  if (goError.includes('negative length')) return 'invalid_length';
  throw new Error(`unmapped Go error ${goError}`);
}

function decodeError(fn: () => unknown): WireDecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof WireDecodeError) return err;
    throw err;
  }
  throw new Error('expected a WireDecodeError, but decoding succeeded');
}

describe('relays.json decode_reencode: accept/reject and the re-encoding exactly as Go', () => {
  const cases: Json[] = relays.decode_reencode;
  test('the set has the 43 documented cases, 7 of them rejected', () => {
    expect(cases).toHaveLength(43);
    expect(cases.filter((c) => !c.decode_ok)).toHaveLength(7);
  });

  test.each(rows(cases.filter((c) => c.decode_ok)))('%s', (_label, c) => {
    const codec = codecs[c.message_type]!;
    const decoded = codec.unmarshal(fromHex(c.input_hex));
    expect(decoded).toEqual(messageFromView(c.message_type, c.decoded));
    const canonical = codec.marshal(decoded);
    expect(toHex(canonical)).toBe(c.canonical_hex);
    expect(sha256Hex(canonical)).toBe(c.canonical_sha256);
    expect(toHex(canonical) === c.input_hex).toBe(c.canonical_equals_input);
    // Canonical bytes are a fixed point.
    expect(toHex(codec.marshal(codec.unmarshal(canonical)))).toBe(c.canonical_hex);
  });

  test.each(rows(cases.filter((c) => !c.decode_ok)))('%s is rejected with a WireDecodeError', (_label, c) => {
    const err = decodeError(() => codecs[c.message_type]!.unmarshal(fromHex(c.input_hex)));
    expect(err.reason).toBe(reasonForGoError(c.go_error));
    expect(err.code).toBe('wire_decode');
    expect(err.message).toMatch(/^cannot decode pocket\.(service|session)\.\w+: .* \(at byte \d+\)$/);
  });
});

describe('relays.json repo_fixtures: poktroll gogo-produced relays', () => {
  test.each(rows(relays.repo_fixtures, 'index'))('fixture %s decodes to its view and re-encodes identically', (_i, f) => {
    const relay = Relay.unmarshal(fromHex(f.relay_hex));
    expect(relay).toEqual(relayFromView(f.decoded));
    expect(toHex(Relay.marshal(relay)) === f.relay_hex).toBe(f.reencoded_equals_input);
  });
});

describe('HTTP envelopes: map entries sorted as Go sorts them', () => {
  test.each(rows(relays.relays))('%s: request payload (POKTHTTPRequest, if any) round-trips byte-exactly', (_l, r) => {
    if (r.description.includes('WebSocket') || !r.request.payload) return;
    const payload = fromHex(r.request.payload);
    const http = POKTHTTPRequest.unmarshal(payload);
    expect(http.method.length).toBeGreaterThan(0);
    expect(toHex(POKTHTTPRequest.marshal(http))).toBe(r.request.payload);
  });

  test('string keys are ordered by UTF-8 bytes, not by JS (UTF-16) order', () => {
    // U+FFFF is EF BF BF, U+1F600 is F0 9F 98 80: bytes put U+FFFF first, UTF-16 code units the emoji.
    const header = { '\u{1F600}': { key: 'e', values: [] }, '\uffff': { key: 'f', values: [] }, b: { key: 'b', values: ['1', ''] } };
    const bytes = POKTHTTPRequest.marshal({ method: '', header, url: '', bodyBz: new Uint8Array(0) });
    const entry = (keyHex: string, valueHex: string) => {
      const key = `0a${(keyHex.length / 2).toString(16).padStart(2, '0')}${keyHex}`;
      const value = `12${(valueHex.length / 2).toString(16).padStart(2, '0')}${valueHex}`;
      return `12${((key.length + value.length) / 2).toString(16).padStart(2, '0')}${key}${value}`;
    };
    const expected =
      entry('62', '0a0162' + '120131' + '1200') + // values keep empty strings
      entry('efbfbf', '0a0166') +
      entry('f09f9880', '0a0165');
    expect(toHex(bytes)).toBe(expected);
    expect(POKTHTTPRequest.unmarshal(bytes).header).toEqual(header);
  });

  test('a header named __proto__ is an ordinary entry after decoding', () => {
    // POKTHTTPRequest field 2, entry {1: "__proto__", 2: Header{1: "x"}}
    const entry = '0a095f5f70726f746f5f5f' + '12030a0178';
    const msg = fromHex(`12${(entry.length / 2).toString(16).padStart(2, '0')}${entry}`);
    const decoded = POKTHTTPRequest.unmarshal(msg);
    expect(Object.getPrototypeOf(decoded.header)).toBe(Object.prototype);
    expect(Object.keys(decoded.header)).toEqual(['__proto__']);
    expect(toHex(POKTHTTPRequest.marshal(decoded))).toBe(toHex(msg));
  });

  test('uint64-keyed maps (Application.pending_undelegations) are sorted numerically', () => {
    const app = pocket.application.Application.fromPartial({ address: 'a' });
    app.pendingUndelegations = new Map([
      [10n, { gatewayAddresses: ['g10'] }],
      [2n, { gatewayAddresses: [] }],
    ]);
    const bytes = pocket.application.Application.marshal(app);
    // field 1 "a"; field 5 entries {1: 2, 2: {}} then {1: 10, 2: {2: "g10"}} (the list's field number is 2)
    expect(toHex(bytes)).toBe('0a0161' + '2a04' + '0802' + '1200' + '2a09' + '080a' + '1205' + '1203673130');
    const back = pocket.application.Application.unmarshal(bytes);
    expect([...back.pendingUndelegations.entries()]).toEqual([
      [2n, { gatewayAddresses: [] }],
      [10n, { gatewayAddresses: ['g10'] }],
    ]);
  });
});

describe('decoding quirks of gogoproto reproduced', () => {
  const header = { applicationAddress: 'app', serviceId: 'svc', sessionId: 'id', sessionStartBlockHeight: 1n, sessionEndBlockHeight: 2n };

  test('the field number is int32(tag >> 3): a field number of 2^32 + 1 lands on field 1', () => {
    // tag = ((2^32 + 1) << 3) | 2, as a varint; then the length-delimited value "x".
    const tag = ((2n ** 32n + 1n) << 3n) | 2n;
    const bytes = concatBytes(varint(tag), fromHex('0178'));
    expect(SessionHeader.unmarshal(bytes).applicationAddress).toBe('x');
  });

  test('a field number whose int32 is negative is an illegal tag', () => {
    const bytes = concatBytes(varint((2n ** 31n << 3n) | 0n), fromHex('01'));
    expect(decodeError(() => SessionHeader.unmarshal(bytes)).reason).toBe('illegal_tag');
  });

  test('unknown groups nest by depth; the end tag need not match the start tag', () => {
    const canonical = SessionHeader.marshal(header);
    // field 20 start-group { field 21 start-group { fixed32, fixed64, bytes, varint } end(21) } end(22!)
    const group = 'a301' + 'ab01' + '2d01020304' + '290102030405060708' + '2a03616263' + '2005' + 'ac01' + 'b401';
    const decoded = SessionHeader.unmarshal(fromHex(group + toHex(canonical)));
    expect(decoded).toEqual(header);
  });

  test('unknown-field errors: unterminated group, wire types 6 and 7, truncated fixed64', () => {
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('a3010805'))).reason).toBe('truncated');
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('36'))).reason).toBe('illegal_wire_type');
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('37'))).reason).toBe('illegal_wire_type');
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('390102'))).reason).toBe('truncated');
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('3affffffffffffffffff01'))).reason).toBe('invalid_length');
  });

  test('a known field sent as a group is a wrong wire type', () => {
    expect(decodeError(() => SessionHeader.unmarshal(fromHex('0b0c'))).reason).toBe('wrong_wire_type');
  });

  test('a varint may be 10 bytes with junk above bit 63; bits past 64 are dropped', () => {
    // start height: 10-byte varint whose last byte is 0x7f → only bit 63 survives → int64 min.
    const bytes = fromHex('20' + 'ff'.repeat(9) + '7f');
    expect(SessionHeader.unmarshal(bytes).sessionStartBlockHeight).toBe(-1n);
  });

  test('uint32 keeps the low 32 bits of a longer varint; bool is "any bit set"', () => {
    const err = RelayMinerError.unmarshal(concatBytes(fromHex('10'), varint(2n ** 32n + 5n)));
    expect(err.code).toBe(5);
    const req = pocket.service.QueryGetServiceRequest.unmarshal(concatBytes(fromHex('10'), varint(2n ** 40n)));
    expect(req.dehydrated).toBe(true);
    expect(toHex(pocket.service.QueryGetServiceRequest.marshal(req))).toBe('1001');
  });

  test('negative enums and int32 are 10-byte varints both ways', () => {
    const claim = { supplierOperatorAddress: '', sessionHeader: undefined, rootHash: new Uint8Array(0), proofValidationStatus: -1 };
    const bytes = Claim.marshal(claim);
    expect(toHex(bytes)).toBe('20' + 'ff'.repeat(9) + '01');
    expect(Claim.unmarshal(bytes).proofValidationStatus).toBe(-1);
  });

  test('an empty input is the zero message, and the non-nullable meta is still written', () => {
    const req = RelayRequest.unmarshal(new Uint8Array(0));
    expect(req.meta).toEqual({ sessionHeader: undefined, signature: new Uint8Array(0), supplierOperatorAddress: '' });
    expect(toHex(RelayRequest.marshal(req))).toBe('0a00');
    expect(toHex(RelayRequest.marshal({ meta: undefined, payload: new Uint8Array(0) }))).toBe('0a00');
    expect(toHex(RelayResponse.marshal(RelayResponse.fromPartial({})))).toBe('0a00');
  });

  test('decoded bytes do not alias the input buffer', () => {
    const input = RelayRequest.marshal({ meta: { sessionHeader: undefined, signature: fromHex('0102'), supplierOperatorAddress: '' }, payload: fromHex('aa') });
    const req = RelayRequest.unmarshal(input);
    input.fill(0);
    expect(toHex(req.meta!.signature)).toBe('0102');
    expect(toHex(req.payload)).toBe('aa');
  });

  test('strings keep their exact bytes, also when they are not UTF-8', () => {
    const bytes = fromHex('0a04ff61c3e2' + '1a03ed9fbf');
    const decoded = SessionHeader.unmarshal(bytes);
    expect(toHex(SessionHeader.marshal(decoded))).toBe(toHex(bytes));
  });
});

describe('encoding rules of gogoproto', () => {
  test('Coin.amount is always written; empty means Go\'s zero Int, "0"', () => {
    const Coin = cosmos.base.v1beta1.Coin;
    expect(toHex(Coin.marshal({ denom: '', amount: '' }))).toBe('12' + '01' + '30');
    expect(toHex(Coin.marshal({ denom: 'upokt', amount: '20000000' }))).toBe('0a0575706f6b74' + '1208' + '3230303030303030');
    const noAmount = Coin.unmarshal(fromHex('0a0575706f6b74'));
    expect(noAmount).toEqual({ denom: 'upokt', amount: '0' });
    expect(Coin.unmarshal(fromHex('1200')).amount).toBe('0');
    expect(toHex(Coin.marshal(noAmount))).toBe('0a0575706f6b74' + '120130');
  });

  test('double: 0 and -0 are omitted, other values are fixed64 little-endian', () => {
    const Params = pocket.proof.Params;
    const base = Params.fromPartial({});
    expect(toHex(Params.marshal({ ...base, proofRequestProbability: 0.25 }))).toBe('11000000000000d03f');
    expect(toHex(Params.marshal({ ...base, proofRequestProbability: -0 }))).toBe('');
    expect(Params.unmarshal(fromHex('11000000000000d03f')).proofRequestProbability).toBe(0.25);
    expect(decodeError(() => Params.unmarshal(fromHex('110000'))).reason).toBe('truncated');
  });

  test('a oneof member is written when set, even at its default; the last one decoded wins', () => {
    const Req = pocket.proof.QueryAllClaimsRequest;
    expect(toHex(Req.marshal(Req.fromPartial({ sessionEndHeight: 0n })))).toBe('2000');
    expect(toHex(Req.marshal(Req.fromPartial({ sessionId: '' })))).toBe('1a00');
    const decoded = Req.unmarshal(fromHex('1a0161' + '2005'));
    expect(decoded.sessionId).toBeUndefined();
    expect(decoded.sessionEndHeight).toBe(5n);
    expect(() => Req.marshal(Req.fromPartial({ sessionId: 'a', sessionEndHeight: 1n }))).toThrow(WireEncodeError);
  });

  test('payload_hash: present-but-empty survives decoding but is never written', () => {
    const res = RelayResponse.unmarshal(fromHex('0a002200'));
    expect(res.payloadHash).toEqual(new Uint8Array(0));
    expect(toHex(RelayResponse.marshal(res))).toBe('0a00');
    expect(RelayResponse.unmarshal(fromHex('0a00')).payloadHash).toBeUndefined();
  });

  test('wrong JS types and out-of-range numbers are WireEncodeErrors naming the field', () => {
    const h = { applicationAddress: 'a', serviceId: 's', sessionId: 'i', sessionStartBlockHeight: 1n, sessionEndBlockHeight: 2n };
    const cases: [unknown, RegExp][] = [
      [{ ...h, sessionStartBlockHeight: 1 }, /SessionHeader\.sessionStartBlockHeight: expected a bigint, got number/],
      [{ ...h, sessionEndBlockHeight: 2n ** 63n }, /outside the int64 range/],
      [{ ...h, serviceId: 5 }, /SessionHeader\.serviceId: expected a string/],
      ['not a message', /expected a message object/],
    ];
    for (const [value, message] of cases) {
      expect(() => SessionHeader.marshal(value as SessionHeader)).toThrow(WireEncodeError);
      expect(() => SessionHeader.marshal(value as SessionHeader)).toThrow(message);
    }
    expect(() => RelayMinerError.marshal({ codespace: '', code: -1, description: '', message: '' })).toThrow(/uint32 range/);
    expect(() => RelayRequest.marshal({ meta: undefined, payload: 'ab' as unknown as Uint8Array })).toThrow(/expected a Uint8Array/);
    expect(() => Relay.marshal({ req: [] as unknown as RelayRequest, res: undefined })).toThrow(WireEncodeError);
  });

  test('nested length prefixes grow past one byte (bodies of 128 bytes and more)', () => {
    for (const n of [126, 127, 128, 16383, 16384, 70000]) {
      const req = { meta: { sessionHeader: undefined, signature: new Uint8Array(n).fill(7), supplierOperatorAddress: '' }, payload: new Uint8Array(0) };
      const bytes = RelayRequest.marshal(req);
      const inner = concatBytes(fromHex('12'), varint(BigInt(n)), req.meta.signature);
      expect(toHex(bytes)).toBe(toHex(concatBytes(fromHex('0a'), varint(BigInt(inner.length)), inner)));
      expect(RelayRequest.unmarshal(bytes)).toEqual(req);
    }
  });
});

describe('codec objects', () => {
  const r01 = relays.relays[0];

  test('encode(msg).finish() and decode(bytes) are the canonical codec (ts-proto / cosmjs shape)', () => {
    const req = RelayRequest.unmarshal(fromHex(r01.request_hex));
    expect(toHex(RelayRequest.encode(req).finish())).toBe(r01.request_hex);
    expect(RelayRequest.decode(fromHex(r01.request_hex))).toEqual(req);
    const w = new BinaryWriter().uint32(0x0a).fork();
    RelayRequest.encode(req, w);
    const nested = w.join().finish();
    const reader = new BinaryReader(nested);
    reader.uint32();
    const len = reader.uint32();
    expect(RelayRequest.decode(reader, len)).toEqual(req);
    expect(reader.pos).toBe(nested.length);
  });

  test('type names and URLs, lookup by name, ts-proto helpers kept', () => {
    expect(MsgCreateClaim.typeName).toBe('pocket.proof.MsgCreateClaim');
    expect(MsgCreateClaim.typeUrl).toBe('/pocket.proof.MsgCreateClaim');
    expect(wireCodecFor('pocket.proof.MsgSubmitProof')).toBe(pocket.proof.MsgSubmitProof);
    expect(wireCodecFor('pocket.proof.Nope')).toBeUndefined();
    expect(pocket.shared.Params).not.toBe(pocket.session.Params);
    expect(pocket.shared.Params.typeName).toBe('pocket.shared.Params');
    expect(SessionHeader.fromPartial({ serviceId: 'x' }).sessionStartBlockHeight).toBe(0n);
    expect(SessionHeader.toJSON(SessionHeader.fromPartial({ sessionEndBlockHeight: 9n }))).toEqual({ sessionEndBlockHeight: '9' });
    expect(pocket.shared.RPCType.JSON_RPC).toBe(3);
    expect(pocket.proof.ClaimProofStatus.INVALID).toBe(2);
  });

  test('decodeWireMessage reports offsets relative to the whole input', () => {
    const err = decodeError(() => decodeWireMessage('pocket.session.SessionHeader', fromHex('0a0161' + '1205'), 0));
    expect(err.offset).toBe(4);
    expect(err.message).toContain('length 5 exceeds the 0 remaining bytes');
  });

  test('Any packing checks the type URL on the way back', () => {
    const msg = MsgCreateClaim.fromPartial({ supplierOperatorAddress: 's', rootHash: new Uint8Array([1]) });
    const any = packWireAny(MsgCreateClaim, msg);
    expect(any.typeUrl).toBe('/pocket.proof.MsgCreateClaim');
    expect(toHex(google.protobuf.Any.marshal(any))).toBe('0a1c' + toHex(new TextEncoder().encode('/pocket.proof.MsgCreateClaim')) + '12' + '06' + '0a0173' + '1a0101');
    expect(unpackWireAny(MsgCreateClaim, any)).toEqual(msg);
    const err = decodeError(() => unpackWireAny(pocket.proof.MsgSubmitProof, any));
    expect(err.reason).toBe('wrong_type_url');
  });

  test('the query method paths of chain.md §1.1 are declared', () => {
    for (const path of [
      '/pocket.shared.Query/Params',
      '/pocket.shared.Query/ParamsAtHeight',
      '/pocket.session.Query/GetSession',
      '/pocket.session.Query/Params',
      '/pocket.application.Query/Application',
      '/cosmos.auth.v1beta1.Query/Account',
      '/cosmos.bank.v1beta1.Query/Balance',
      '/pocket.proof.Query/Params',
      '/pocket.proof.Query/Claim',
      '/pocket.proof.Query/AllClaims',
      '/pocket.service.Query/RelayMiningDifficultyAtHeight',
      '/pocket.service.Query/ComputeUnitsPerRelayAtHeight',
      '/pocket.service.Query/Service',
      '/pocket.supplier.Query/Supplier',
    ]) {
      const m = wireMethods[path]!;
      expect(wireCodecFor(m.request)).toBeDefined();
      expect(wireCodecFor(m.response)).toBeDefined();
    }
    // Non-nullable response payloads are always written, as the chain does.
    expect(toHex(pocket.service.QueryGetRelayMiningDifficultyAtHeightResponse.marshal({ relayMiningDifficulty: undefined }))).toBe('0a00');
    expect(toHex(pocket.shared.QueryParamsResponse.marshal({ params: undefined }))).toBe('0a00');
  });
});

function varint(n: bigint): Uint8Array {
  const out: number[] = [];
  let v = BigInt.asUintN(64, n);
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return Uint8Array.from(out);
}
