import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  RING_IDENTITY_ENCODING_HEX,
  RingSignatureError,
  decodeRingPoint,
  decodeRingScalar,
  decodeRingSignature,
  deriveRingSignerKeys,
  encodeRingScalar,
  hashToCurve,
  hashToCurveTrace,
  hashToScalar,
  traceRingVerification,
} from '../../src/ring/index.js';
import { leftAlignReduced } from '../../src/ring/hash-to-scalar.js';
import { fromHex, toHex, utf8ToBytes } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';

const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(`${VECTORS}/ring/${name}.json`, 'utf8'));
const prim = load('primitives');
const N = BigInt('0x' + prim.curve.group_order_n_hex);
const sHex = (v: bigint | null) => (v === null ? null : toHex(encodeRingScalar(v)));

describe('ring hash-to-scalar (SHA3-512, mod n, go-dleq left-align)', () => {
  it('matches every Go output, including the 22 left-aligned ones', () => {
    let shifted = 0;
    for (const e of prim.hash_to_scalar) {
      expect(sHex(hashToScalar(fromHex(e.input_hex))), e.note).toBe(e.output_hex);
      if (e.left_aligned) {
        shifted++;
        // the quirk really changes the value: a zero-padding port would have got canonical_output_hex
        expect(e.output_hex).not.toBe(e.canonical_output_hex);
        expect(e.output_hex.endsWith('00')).toBe(true);
      }
    }
    expect(shifted).toBe(22);
  });

  it('reproduces the spec cross-check values', () => {
    expect(sHex(hashToScalar(utf8ToBytes('pocket')))).toBe('43913f269ab77ad581e23102878c906eacd55fd9e973714f0ebbe9b55ad56fef');
    expect(sHex(hashToScalar(utf8ToBytes('relay-msg-349')))).toBe('bd133cd1452701ae1d3910e3ad3fb1a3dddd7fc62cce0521503d6f6e658dd600');
  });

  it('shifts by whole bytes, keeps zero at zero, and reports the overflow Go panics on', () => {
    expect(leftAlignReduced(0n)).toBe(0n);
    expect(leftAlignReduced(1n)).toBe(1n << 248n);
    expect(leftAlignReduced(0xabcdn)).toBe(0xabcdn << 240n);
    expect(leftAlignReduced((1n << 248n) + 5n)).toBe((1n << 248n) + 5n);
    // 31 significant bytes whose shift lands at or above n: go-dleq panics, we say null
    expect(leftAlignReduced((1n << 248n) - 1n)).toBeNull();
    expect(leftAlignReduced(N >> 8n)).toBe((N >> 8n) << 8n);
    expect(leftAlignReduced((N >> 8n) + 1n)).toBeNull();
  });
});

describe('ring hash-to-curve (SHA3-256 try-and-increment, even y)', () => {
  it('matches every Go output, round count and digest chain', () => {
    for (const e of prim.hash_to_curve) {
      const t = hashToCurveTrace(fromHex(e.input_hex));
      expect(toHex(t.point), e.note).toBe(e.output_hex);
      expect(t.iterations).toBe(e.iterations);
      expect(t.digests.map(toHex)).toEqual(e.digests_hex);
      expect(toHex(hashToCurve(fromHex(e.input_hex)))).toBe(e.output_hex);
    }
    expect(Math.max(...prim.hash_to_curve.map((e: { iterations: number }) => e.iterations))).toBeGreaterThanOrEqual(4);
  });

  it('reproduces the spec cross-check values', () => {
    expect(toHex(hashToCurve(fromHex('0397896e9b106df70124a856861cc9be52fac9980e2c7a118a36c19d0198692cc5')))).toBe(
      '02f72a1f27fa696323f979f608a525372567ad7c532736465db78c7d7118ce46e0',
    );
    expect(toHex(hashToCurve(fromHex('02bbbf99abdcddac27350bca272d7146187c091aacfc1c6f90819c9b6daf4fe846')))).toBe(
      '02703716bd1d384b39442d0fe0a121ef050bd663d6a2a297902db45fd5874e0ed2',
    );
  });

  it('refuses inputs that are not 33 bytes', () => {
    expect(() => hashToCurve(new Uint8Array(65))).toThrow(InvalidArgumentError);
    expect(() => hashToCurveTrace(new Uint8Array(0))).toThrow(InvalidArgumentError);
  });
});

describe('ring signer keys', () => {
  it('derives public key, H_p and key image of every test key', () => {
    for (const k of prim.keys) {
      const got = deriveRingSignerKeys(fromHex(k.priv_hex));
      expect(toHex(got.publicKey), k.label).toBe(k.pub_hex);
      expect(toHex(got.hashPoint)).toBe(k.hash_to_curve_hex);
      expect(toHex(got.keyImage)).toBe(k.key_image_hex);
    }
  });

  it('refuses a zero or mis-sized private key without echoing it', () => {
    expect(() => deriveRingSignerKeys(new Uint8Array(32))).toThrow(/zero/);
    expect(() => deriveRingSignerKeys(fromHex(prim.curve.group_order_n_hex))).toThrow(InvalidArgumentError);
    const short = fromHex(prim.keys[0].priv_hex).subarray(0, 31);
    try {
      deriveRingSignerKeys(short);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidArgumentError);
      expect((err as Error).message).not.toContain(toHex(short));
    }
  });
});

describe('ring scalar and point codecs', () => {
  it('encodes scalars as 32 big-endian bytes', () => {
    for (const e of prim.scalar_encoding) expect(toHex(encodeRingScalar(BigInt(e.value_dec))), e.note).toBe(e.encoded_hex);
    expect(() => encodeRingScalar(N)).toThrow(InvalidArgumentError);
    expect(() => encodeRingScalar(-1n)).toThrow(InvalidArgumentError);
  });

  it('decodes scalars like go-dleq: length checked, value reduced mod n', () => {
    for (const e of prim.scalar_decoding) {
      if (e.ok) expect(toHex(encodeRingScalar(decodeRingScalar(fromHex(e.input_hex)))), e.note).toBe(e.reencoded_hex);
      else expect(() => decodeRingScalar(fromHex(e.input_hex)), e.note).toThrow(RingSignatureError);
    }
  });

  it('decodes points like go-dleq: 02/03 prefix, x < p, on the curve', () => {
    for (const e of prim.point_decoding) {
      if (e.ok) {
        expect(toHex(decodeRingPoint(fromHex(e.input_hex))), e.note).toBe(e.reencoded_hex);
      } else {
        let caught: unknown;
        try {
          decodeRingPoint(fromHex(e.input_hex));
        } catch (err) {
          caught = err;
        }
        expect(caught, e.note).toBeInstanceOf(RingSignatureError);
        expect((caught as RingSignatureError).code).toBe('ring_invalid_point');
      }
    }
    // Go's encoding of the identity is itself not decodable
    expect(() => decodeRingPoint(fromHex(RING_IDENTITY_ENCODING_HEX))).toThrow(RingSignatureError);
  });

  it('checks parity and range of 65-byte hybrid and uncompressed forms', () => {
    const G = fromHex(prim.curve.generator_compressed_hex);
    const gy = fromHex('483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8'); // y of G, even
    const gx = G.subarray(1);
    const uncompressed = (prefix: number) => Uint8Array.from([prefix, ...gx, ...gy]);
    expect(toHex(decodeRingPoint(uncompressed(0x04)))).toBe(toHex(G));
    expect(toHex(decodeRingPoint(uncompressed(0x06)))).toBe(toHex(G));
    expect(() => decodeRingPoint(uncompressed(0x07))).toThrow(/oddness/);
    expect(() => decodeRingPoint(uncompressed(0x05))).toThrow(/unsupported format/);
    const offCurve = uncompressed(0x04);
    offCurve[64]! ^= 2;
    expect(() => decodeRingPoint(offCurve)).toThrow(/not on the secp256k1 curve/);
  });
});

describe('ring verification traces', () => {
  it('reproduces every intermediate L, R and challenge of the Go traces', () => {
    for (const t of prim.verification_traces) {
      const trace = traceRingVerification(fromHex(t.msg_hex), fromHex(t.sig_hex));
      if (trace instanceof RingSignatureError) throw trace;
      const sig = decodeRingSignature(fromHex(t.sig_hex));
      if (sig instanceof RingSignatureError) throw sig;
      expect(sHex(sig.c0)).toBe(t.c0_hex);
      expect(trace.steps).toHaveLength(t.steps.length);
      t.steps.forEach((want: Record<string, string | number | boolean>, k: number) => {
        const got = trace.steps[k]!;
        expect(got.ringIndex).toBe(want.ring_index);
        expect(sHex(got.c), `${t.sig_id} step ${k} c`).toBe(want.c_hex);
        expect(toHex(got.L), `${t.sig_id} step ${k} L`).toBe(want.l_hex);
        expect(toHex(got.R), `${t.sig_id} step ${k} R`).toBe(want.r_hex);
        expect(toHex(got.challengeInput)).toBe(want.challenge_input_hex);
        expect(sHex(got.nextC), `${t.sig_id} step ${k} next c`).toBe(want.next_c_hex);
      });
      expect(trace.closes).toBe(t.closes);
    }
  });

  it('covers left-aligned challenges, including a shifted c0', () => {
    const shifted = prim.verification_traces.flatMap((t: { steps: { left_aligned: boolean; next_index: number }[] }) =>
      t.steps.filter((s) => s.left_aligned),
    );
    expect(shifted.length).toBeGreaterThan(0);
    expect(shifted.some((s: { next_index: number }) => s.next_index === 0)).toBe(true);
  });
});
