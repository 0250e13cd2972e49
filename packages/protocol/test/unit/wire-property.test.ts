import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  Claim,
  MsgCreateClaim,
  MsgSubmitProof,
  POKTHTTPRequest,
  Relay,
  RelayRequest,
  RelayResponse,
  SessionHeader,
  WireDecodeError,
  pocket,
  wireCodecFor,
  wireSchema,
  type WireCodec,
} from '../../src/wire/index.js';

// ---- arbitraries producing values in the form decode() returns (so decode(encode(x)) == x) ----

const str = fc.string({ unit: 'grapheme', maxLength: 24 });
const bytes = fc.uint8Array({ maxLength: 300 });
const int64 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });
const uint64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n });
const uint32 = fc.integer({ min: 0, max: 0xffffffff });
const int32 = fc.integer({ min: -0x80000000, max: 0x7fffffff });
const opt = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });

const header = fc.record({
  applicationAddress: str,
  serviceId: str,
  sessionId: str,
  sessionStartBlockHeight: int64,
  sessionEndBlockHeight: int64,
});
const request = fc.record({
  meta: fc.record({ sessionHeader: opt(header), signature: bytes, supplierOperatorAddress: str }),
  payload: bytes,
});
const response = fc.record({
  meta: fc.record({ sessionHeader: opt(header), supplierOperatorSignature: bytes }),
  payload: bytes,
  relayMinerError: opt(fc.record({ codespace: str, code: uint32, description: str, message: str })),
  // An empty hash is not written, so it comes back absent; that asymmetry has its own test.
  payloadHash: opt(fc.uint8Array({ minLength: 1, maxLength: 40 })),
});
const relay = fc.record({ req: opt(request), res: opt(response) });
const claim = fc.record({ supplierOperatorAddress: str, sessionHeader: opt(header), rootHash: bytes, proofValidationStatus: int32 });
const msgCreateClaim = fc.record({ supplierOperatorAddress: str, sessionHeader: opt(header), rootHash: bytes });
const msgSubmitProof = fc.record({ supplierOperatorAddress: str, sessionHeader: opt(header), proof: bytes });
const coin = fc.record({ denom: str, amount: fc.bigInt({ min: 0n, max: 2n ** 200n }).map(String) });
const application = fc.record({
  address: str,
  stake: opt(coin),
  serviceConfigs: fc.array(fc.record({ serviceId: str }), { maxLength: 3 }),
  delegateeGatewayAddresses: fc.array(str, { maxLength: 3 }),
  pendingUndelegations: fc
    .uniqueArray(fc.tuple(uint64, fc.record({ gatewayAddresses: fc.array(str, { maxLength: 3 }) })), { selector: ([k]) => k, maxLength: 4 })
    .map((entries) => new Map(entries)),
  unstakeSessionEndHeight: uint64,
  pendingTransfer: opt(fc.record({ destinationAddress: str, sessionEndHeight: uint64 })),
  perSessionSpendLimit: opt(coin),
  serviceConfigHistory: fc.array(
    fc.record({ applicationAddress: str, service: opt(fc.record({ serviceId: str })), activationHeight: int64, deactivationHeight: int64 }),
    { maxLength: 2 },
  ),
});
const httpRequest = fc.record({
  method: str,
  header: fc.dictionary(str, fc.record({ key: str, values: fc.array(str, { maxLength: 3 }) }), { maxKeys: 5 }),
  url: str,
  bodyBz: bytes,
});
const proofParams = fc.record({
  proofRequestProbability: fc.double().filter((d) => !Object.is(d, -0)),
  proofRequirementThreshold: opt(coin),
  proofMissingPenalty: opt(coin),
  proofSubmissionFee: opt(coin),
});

const typed: [string, WireCodec<any>, fc.Arbitrary<unknown>][] = [
  ['SessionHeader', SessionHeader, header],
  ['RelayRequest', RelayRequest, request],
  ['RelayResponse', RelayResponse, response],
  ['Relay', Relay, relay],
  ['Claim', Claim, claim],
  ['MsgCreateClaim', MsgCreateClaim, msgCreateClaim],
  ['MsgSubmitProof', MsgSubmitProof, msgSubmitProof],
  ['Application', pocket.application.Application, application],
  ['POKTHTTPRequest', POKTHTTPRequest, httpRequest],
  ['proof Params', pocket.proof.Params, proofParams],
];

const allCodecs = Object.keys(wireSchema).map((name) => wireCodecFor(name)!);

/** Decodes, and fails the property if anything but a WireDecodeError escapes. */
function tryDecode<T>(codec: WireCodec<T>, input: Uint8Array): T | undefined {
  try {
    return codec.unmarshal(input);
  } catch (err) {
    if (err instanceof WireDecodeError) return undefined;
    throw err;
  }
}

describe('round trips', () => {
  test.each(typed)('%s: decode(encode(x)) equals x, and encode is a fixed point', (_name, codec, arb) => {
    fc.assert(
      fc.property(arb, (x) => {
        const bytes = codec.marshal(x);
        const back = codec.unmarshal(bytes);
        expect(back).toEqual(x);
        expect(codec.marshal(back)).toEqual(bytes);
      }),
      { numRuns: 200 },
    );
  });
});

// Top-level fields of a canonical encoding: [start, end) byte ranges, one per field.
function topLevelFields(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let i = 0;
  const varint = () => {
    let v = 0;
    let mul = 1;
    for (;;) {
      const byte = b[i++]!;
      v += (byte & 0x7f) * mul;
      mul *= 128;
      if (byte < 0x80) return v;
    }
  };
  while (i < b.length) {
    const start = i;
    const tag = varint();
    const wt = tag % 8;
    if (wt === 0) varint();
    else if (wt === 1) i += 8;
    else if (wt === 5) i += 4;
    else if (wt === 2) {
      const len = varint(); // read before adding: `i += varint()` would add to the stale i
      i += len;
    }
    out.push(b.subarray(start, i));
  }
  return out;
}

// Unknown fields of every wire type, with numbers no message of ours uses at the top level.
const unknownField = fc.oneof(
  fc.tuple(fc.integer({ min: 20, max: 5000 }), fc.bigInt({ min: 0n, max: 2n ** 64n - 1n })).map(([n, v]) => enc(n, 0, varintBytes(v))),
  fc.tuple(fc.integer({ min: 20, max: 5000 }), fc.uint8Array({ minLength: 8, maxLength: 8 })).map(([n, v]) => enc(n, 1, v)),
  fc.tuple(fc.integer({ min: 20, max: 5000 }), fc.uint8Array({ maxLength: 40 })).map(([n, v]) => enc(n, 2, [...varintBytes(BigInt(v.length)), ...v])),
  fc.tuple(fc.integer({ min: 20, max: 5000 }), fc.uint8Array({ minLength: 4, maxLength: 4 })).map(([n, v]) => enc(n, 5, v)),
  fc.tuple(fc.integer({ min: 20, max: 5000 }), fc.bigInt({ min: 0n, max: 1000n })).map(([n, v]) => [...enc(n, 3, []), ...enc(7, 0, varintBytes(v)), ...enc(n + 1, 4, [])]),
);

function varintBytes(v: bigint): number[] {
  const out: number[] = [];
  while (v > 0x7fn) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}

function enc(no: number, wt: number, body: ArrayLike<number>): number[] {
  return [...varintBytes(BigInt(no * 8 + wt)), ...Array.from(body)];
}

describe('canonical re-encoding (what a verifier hashes)', () => {
  // Types without repeated top-level fields: any field order decodes to the same value.
  const reorderable = typed.filter(([name]) => ['SessionHeader', 'RelayRequest', 'RelayResponse', 'Relay', 'Claim', 'MsgCreateClaim', 'MsgSubmitProof'].includes(name));

  test.each(reorderable)('%s: shuffled fields plus unknown fields re-encode to the canonical bytes', (_name, codec, arb) => {
    fc.assert(
      fc.property(arb, fc.array(unknownField, { maxLength: 4 }), fc.array(fc.nat(), { minLength: 16, maxLength: 16 }), (x, unknown, rnd) => {
        const canonical = codec.marshal(x);
        const parts: number[][] = [...topLevelFields(canonical).map((p) => Array.from(p)), ...unknown];
        for (let i = parts.length - 1; i > 0; i--) {
          const j = rnd[i % rnd.length]! % (i + 1);
          [parts[i], parts[j]] = [parts[j]!, parts[i]!];
        }
        const noisy = Uint8Array.from(parts.flat());
        const decoded = codec.unmarshal(noisy);
        expect(decoded).toEqual(codec.unmarshal(canonical));
        expect(codec.marshal(decoded)).toEqual(canonical);
      }),
      { numRuns: 150, endOnFailure: true },
    );
  });

  test('random bytes that decode as a SessionHeader re-encode to a fixed point', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 60 }), (input) => {
        const d = tryDecode(SessionHeader, input);
        if (d === undefined) return;
        accepted++;
        const c = SessionHeader.marshal(d);
        expect(SessionHeader.unmarshal(c)).toEqual(d);
        expect(SessionHeader.marshal(SessionHeader.unmarshal(c))).toEqual(c);
      }),
      { numRuns: 2000 },
    );
    expect(accepted).toBeGreaterThan(50);
  });
});

describe('garbage in: only WireDecodeError comes out, and whatever decodes can be encoded', () => {
  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
    fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  );

  function mutate(b: Uint8Array, ms: { kind: string; at: number; bit?: number; value?: number }[]): Uint8Array {
    let out = Array.from(b);
    for (const m of ms) {
      const at = out.length === 0 ? 0 : m.at % out.length;
      if (m.kind === 'flip' && out.length) out[at] = out[at]! ^ (1 << m.bit!);
      else if (m.kind === 'set' && out.length) out[at] = m.value!;
      else if (m.kind === 'insert') out.splice(at, 0, m.value!);
      else if (m.kind === 'delete') out.splice(at, 1);
      else if (m.kind === 'truncate') out = out.slice(0, at);
    }
    return Uint8Array.from(out);
  }

  test.each(typed)('mutated %s bytes, decoded as every message type', (_name, codec, arb) => {
    fc.assert(
      fc.property(arb, fc.array(mutation, { minLength: 1, maxLength: 4 }), (x, ms) => {
        const input = mutate(codec.marshal(x), ms);
        for (const other of allCodecs) {
          const d = tryDecode(other, input);
          // value equality would be too strict: Go keeps a present-but-empty payload_hash after a
          // decode but never writes it, so the stable thing is the canonical bytes
          if (d !== undefined) expect(other.marshal(other.unmarshal(other.marshal(d)))).toEqual(other.marshal(d));
        }
      }),
      { numRuns: 60 },
    );
  });

  test('random bytes, decoded as every message type', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (input) => {
        for (const codec of allCodecs) {
          const d = tryDecode(codec, input);
          if (d !== undefined) expect(codec.marshal(codec.unmarshal(codec.marshal(d)))).toEqual(codec.marshal(d));
        }
      }),
      { numRuns: 400 },
    );
  });
});
