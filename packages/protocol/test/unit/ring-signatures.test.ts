import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { describe, expect, it } from 'vitest';
import {
  RingSignatureError,
  RingSigner,
  RingVerifier,
  decodeRingSignature,
  encodeRingSignature,
  signRing,
  verifyRingSignature,
} from '../../src/ring/index.js';
import { fromHex, toHex } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';

const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(`${VECTORS}/ring/${name}.json`, 'utf8'));

interface SigRecord {
  id: string;
  ring_size: number;
  ring_pubkeys_hex: string[];
  signer_index: number;
  signer_label: string;
  msg_hex: string;
  sig_hex: string;
  key_image_hex: string;
  left_aligned: boolean;
  left_aligned_challenges: { produces_c_index: number; reduced_min_len: number }[];
  rng_draws_hex: string[];
  valid: boolean;
  reason?: string;
  go_outcome?: string;
  sig_len: number;
}

const sigs = load('signatures');
const negatives: SigRecord[] = load('negatives').records;
const edges: SigRecord[] = load('edge_cases').records;
const records: SigRecord[] = sigs.records;
const privByLabel = new Map<string, Uint8Array>(sigs.keys.map((k: { label: string; priv_hex: string }) => [k.label, fromHex(k.priv_hex)]));

// The vectors runner checks all 2000; here every left-aligned record plus a spread of the rest.
const sample = records.filter((r, i) => r.left_aligned || i % 25 === 0);

function replayDraws(draws: string[]) {
  let next = 0;
  return {
    randomScalars: () => {
      if (next >= draws.length) throw new Error('more draws requested than recorded');
      return fromHex(draws[next++]!);
    },
    used: () => next,
  };
}

describe('ring signatures from ring-go', () => {
  it('the sample covers every ring size, both signer roles and shifted c0 / two-byte shifts', () => {
    expect(new Set(sample.map((r) => r.ring_size))).toEqual(new Set([2, 3, 4]));
    expect(sample.some((r) => r.signer_index === 0) && sample.some((r) => r.signer_index > 0)).toBe(true);
    expect(sample.some((r) => r.left_aligned_challenges.some((c) => c.produces_c_index === 0))).toBe(true);
    expect(sample.some((r) => r.left_aligned_challenges.some((c) => c.reduced_min_len <= 30))).toBe(true);
  });

  it('verifies the sample', () => {
    for (const r of sample) expect(verifyRingSignature(fromHex(r.msg_hex), fromHex(r.sig_hex)), r.id).toBe(true);
  });

  it('replays signRing byte for byte from the recorded draws, consuming exactly n draws', () => {
    for (const r of sample.filter((_, i) => i % 4 === 0)) {
      const draws = replayDraws(r.rng_draws_hex);
      const sig = signRing(fromHex(r.msg_hex), r.ring_pubkeys_hex.map(fromHex), r.signer_index, privByLabel.get(r.signer_label)!, draws);
      expect(toHex(sig), r.id).toBe(r.sig_hex);
      expect(draws.used()).toBe(r.ring_size);
    }
  });

  it('replays RingSigner byte for byte as well', () => {
    const signers = new Map([...privByLabel].map(([label, key]) => [label, new RingSigner(key)]));
    for (const r of sample) {
      const draws = replayDraws(r.rng_draws_hex);
      const signer = signers.get(r.signer_label)!;
      const sig = signer.sign(fromHex(r.msg_hex), r.ring_pubkeys_hex.map(fromHex), r.signer_index, draws);
      expect(toHex(sig), r.id).toBe(r.sig_hex);
      expect(toHex(signer.keyImage)).toBe(r.key_image_hex);
    }
  });

  it('a fresh signature matches the record everywhere except c0 and the s values', () => {
    const r = records.find((x) => x.ring_size === 3)!;
    const fresh = signRing(fromHex(r.msg_hex), r.ring_pubkeys_hex.map(fromHex), r.signer_index, privByLabel.get(r.signer_label)!);
    const want = decodeRingSignature(fromHex(r.sig_hex));
    const got = decodeRingSignature(fresh);
    if (want instanceof RingSignatureError || got instanceof RingSignatureError) throw new Error('decode failed');
    expect(fresh.length).toBe(r.sig_len);
    expect(toHex(fresh.subarray(0, 4))).toBe(r.sig_hex.slice(0, 8));
    expect(toHex(got.keyImage)).toBe(r.key_image_hex);
    expect(got.ring.map(toHex)).toEqual(r.ring_pubkeys_hex);
    expect(got.c0).not.toBe(want.c0);
    expect(verifyRingSignature(fromHex(r.msg_hex), fresh)).toBe(true);
  });
});

describe('ring verdicts on crafted input', () => {
  it('rejects every negative without throwing, plain and cached', () => {
    const cached = new RingVerifier();
    for (const r of negatives) {
      const msg = fromHex(r.msg_hex);
      const sig = fromHex(r.sig_hex);
      expect(verifyRingSignature(msg, sig), `${r.id} ${r.reason}`).toBe(false);
      expect(cached.verify(msg, sig), `${r.id} ${r.reason}`).toBe(false);
    }
  });

  it('the decoder refuses exactly where Go refused (or panicked on the header)', () => {
    for (const r of negatives) {
      const decoded = decodeRingSignature(fromHex(r.sig_hex));
      const goRefused = r.go_outcome === 'deserialize_error' || r.sig_len < 4 || r.sig_hex.startsWith('00000000');
      expect(decoded instanceof RingSignatureError, `${r.id} ${r.reason}`).toBe(goRefused);
    }
  });

  it('accepts every edge case Go accepts (trailing bytes, s >= n, s = 0, n = 1, duplicates, identity L)', () => {
    const cached = new RingVerifier();
    for (const r of edges) {
      const msg = fromHex(r.msg_hex);
      const sig = fromHex(r.sig_hex);
      expect(verifyRingSignature(msg, sig), `${r.id} ${r.reason}`).toBe(true);
      expect(cached.verify(msg, sig), `${r.id} ${r.reason}`).toBe(true);
    }
  });
});

describe('ring signature serde', () => {
  const r = records.find((x) => x.ring_size === 4)!;
  const bytes = fromHex(r.sig_hex);

  it('decodes field by field and re-encodes to the same bytes', () => {
    const d = decodeRingSignature(bytes);
    if (d instanceof RingSignatureError) throw d;
    expect(d.ring).toHaveLength(4);
    expect(d.responses).toHaveLength(4);
    expect(d.consumedBytes).toBe(329);
    expect(toHex(encodeRingSignature(d))).toBe(r.sig_hex);
  });

  it('ignores trailing bytes and reports how much it read', () => {
    const longer = Uint8Array.from([...bytes, 1, 2, 3]);
    const d = decodeRingSignature(longer);
    if (d instanceof RingSignatureError) throw d;
    expect(d.consumedBytes).toBe(bytes.length);
  });

  it('returns typed errors in the order Go checks', () => {
    const code = (b: Uint8Array) => {
      const d = decodeRingSignature(b);
      return d instanceof RingSignatureError ? d.code : 'ok';
    };
    expect(code(new Uint8Array(0))).toBe('ring_missing_size');
    expect(code(bytes.subarray(0, 3))).toBe('ring_missing_size');
    expect(code(bytes.subarray(0, 4))).toBe('ring_too_short'); // 4 < 33·4
    expect(code(Uint8Array.from([0, 0, 0, 0, ...bytes.subarray(4)]))).toBe('ring_empty');
    expect(code(Uint8Array.from([0xff, 0xff, 0xff, 0xff, ...bytes.subarray(4)]))).toBe('ring_too_short');
    expect(code(bytes.subarray(0, 140))).toBe('ring_invalid_scalar'); // passes 33·4 = 132, then s[1] is 6 bytes short
    const twoRing = fromHex(records.find((x) => x.ring_size === 2)!.sig_hex);
    expect(code(twoRing.subarray(0, 69))).toBe('ring_invalid_scalar'); // 69 >= 66 passes the size check
    expect(code(twoRing.subarray(0, 198))).toBe('ring_invalid_point'); // last key one byte short
    const badPrefix = twoRing.slice();
    badPrefix[36] = 0x04;
    expect(code(badPrefix)).toBe('ring_invalid_point');
  });

  it('reads a size field of n + 1 against n pairs as a short scalar slot', () => {
    const twoRing = fromHex(records.find((x) => x.ring_size === 2)!.sig_hex);
    const bumped = twoRing.slice();
    bumped[3] = 3;
    const d = decodeRingSignature(bumped);
    expect(d instanceof RingSignatureError && d.code).toBe('ring_invalid_scalar');
  });

  it('refuses to encode malformed parts', () => {
    const d = decodeRingSignature(bytes);
    if (d instanceof RingSignatureError) throw d;
    expect(() => encodeRingSignature({ ...d, responses: d.responses.slice(1) })).toThrow(InvalidArgumentError);
    expect(() => encodeRingSignature({ ...d, c0: -1n })).toThrow(InvalidArgumentError);
    expect(() => encodeRingSignature({ ...d, keyImage: new Uint8Array(33) })).toThrow(InvalidArgumentError);
    expect(() => encodeRingSignature({ ...d, ring: [], responses: [] })).toThrow(InvalidArgumentError);
  });
});

describe('ring round trips', () => {
  const keyOf = (seed: number) => {
    const priv = new Uint8Array(32);
    priv[31] = seed;
    priv[0] = 0x5a;
    return { priv, pub: secp256k1.getPublicKey(priv, true) };
  };

  it('sign → verify for rings of 2, 3 and 4 at every signer position', () => {
    const keys = [1, 2, 3, 4].map(keyOf);
    const msg = fromHex('11'.repeat(32));
    for (const size of [2, 3, 4]) {
      const ring = keys.slice(0, size).map((k) => k.pub);
      for (let j = 0; j < size; j++) {
        const sig = signRing(msg, ring, j, keys[j]!.priv);
        expect(sig.length).toBe(69 + 65 * size);
        expect(verifyRingSignature(msg, sig), `size ${size} signer ${j}`).toBe(true);
        const other = msg.slice();
        other[0]! ^= 1;
        expect(verifyRingSignature(other, sig)).toBe(false);
      }
    }
  });

  it('two signatures by one key carry the same key image and differ elsewhere', () => {
    const keys = [7, 8].map(keyOf);
    const ring = keys.map((k) => k.pub);
    const msg = new Uint8Array(32);
    const a = signRing(msg, ring, 1, keys[1]!.priv);
    const b = new RingSigner(keys[1]!.priv).sign(msg, ring);
    expect(toHex(a.subarray(36, 69))).toBe(toHex(b.subarray(36, 69)));
    expect(toHex(a)).not.toBe(toHex(b));
    expect(verifyRingSignature(msg, b)).toBe(true);
  });

  it('a zero nonce or zero decoy (only possible with injected draws) still signs and verifies', () => {
    const keys = [9, 10, 11].map(keyOf);
    const ring = keys.map((k) => k.pub);
    const msg = fromHex('ab'.repeat(32));
    const zeros = () => new Uint8Array(32);
    expect(verifyRingSignature(msg, signRing(msg, ring, 1, keys[1]!.priv, { randomScalars: zeros }))).toBe(true);
  });

  it('refuses bad signing input with InvalidArgumentError and never echoes the key', () => {
    const keys = [12, 13].map(keyOf);
    const ring = keys.map((k) => k.pub);
    const msg = new Uint8Array(32);
    const attempts: (() => unknown)[] = [
      () => signRing(msg, ring, 0, keys[1]!.priv), // key is not the member at index 0
      () => signRing(msg, [ring[0]!], 0, keys[0]!.priv),
      () => signRing(msg, ring, 2, keys[0]!.priv),
      () => signRing(new Uint8Array(31), ring, 0, keys[0]!.priv),
      () => signRing(msg, [ring[0]!, new Uint8Array(33)], 0, keys[0]!.priv),
      () => signRing(msg, ring, 0, keys[0]!.priv, { randomScalars: () => new Uint8Array(31) }),
      () => new RingSigner(keys[0]!.priv).sign(msg, [keyOf(99).pub, ring[1]!]),
    ];
    for (const attempt of attempts) {
      let caught: unknown;
      try {
        attempt();
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(InvalidArgumentError);
      expect((caught as Error).message).not.toContain(toHex(keys[0]!.priv));
      expect((caught as Error).message).not.toContain(toHex(keys[1]!.priv));
    }
  });
});
