import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  RingSignatureError,
  RingVerifier,
  decodeRingSignature,
  verifyRelayRingSignature,
  verifyRingSignature,
} from '../../src/ring/index.js';
import { fromHex } from '../../src/bytes.js';

const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
const sigs = JSON.parse(readFileSync(`${VECTORS}/ring/signatures.json`, 'utf8'));
const valid: { msg: Uint8Array; sig: Uint8Array; ring: Uint8Array[] }[] = sigs.records
  .filter((_: unknown, i: number) => i % 200 === 7)
  .map((r: { msg_hex: string; sig_hex: string; ring_pubkeys_hex: string[] }) => ({
    msg: fromHex(r.msg_hex),
    sig: fromHex(r.sig_hex),
    ring: r.ring_pubkeys_hex.map(fromHex),
  }));

/** Runs every entry point on one input; each must answer, none may throw, none may say valid. */
function allRefuse(verifier: RingVerifier, msg: Uint8Array, sig: Uint8Array, ring: Uint8Array[]): boolean {
  const plain = verifyRingSignature(msg, sig);
  const cached = verifier.verify(msg, sig);
  const relay = verifyRelayRingSignature(msg, sig, ring);
  const decoded = decodeRingSignature(sig);
  expect(decoded === null || typeof decoded === 'object').toBe(true);
  return plain === false && cached === false && relay.ok === false;
}

describe('ring verifiers on garbage', () => {
  const verifier = new RingVerifier({ maxCachedPoints: 8 });

  it('random bytes never throw and never verify', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 0, maxLength: 400 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (sig, msg) =>
        allRefuse(verifier, msg, sig, valid[0]!.ring),
      ),
      { numRuns: 300 },
    );
  });

  it('random bytes behind a plausible header never throw and never verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.uint8Array({ minLength: 0, maxLength: 400 }), (n, body) => {
        const sig = Uint8Array.from([0, 0, 0, n, ...body]);
        return allRefuse(verifier, valid[0]!.msg, sig, valid[0]!.ring);
      }),
      { numRuns: 300 },
    );
  });

  it('truncations of valid signatures never throw and never verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.nat(), (k, cut) => {
        const { msg, sig, ring } = valid[k]!;
        const truncated = sig.subarray(0, cut % sig.length);
        const d = decodeRingSignature(truncated);
        expect(d).toBeInstanceOf(RingSignatureError);
        return allRefuse(verifier, msg, truncated, ring);
      }),
      { numRuns: 150 },
    );
  });

  it('single bit flips of valid signatures never throw and never verify', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: valid.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 7 }), (k, pos, bit) => {
        const { msg, sig, ring } = valid[k]!;
        const flipped = sig.slice();
        flipped[pos % sig.length]! ^= 1 << bit;
        return allRefuse(verifier, msg, flipped, ring);
      }),
      { numRuns: 60 },
    );
  });

  it('non-byte inputs are refused, not thrown', () => {
    const { msg, sig, ring } = valid[0]!;
    const junk: unknown[] = [undefined, null, 'abc', 42, {}, [1, 2, 3], new Uint16Array(10)];
    for (const j of junk) {
      expect(verifyRingSignature(j as Uint8Array, sig)).toBe(false);
      expect(verifyRingSignature(msg, j as Uint8Array)).toBe(false);
      expect(verifier.verify(msg, j as Uint8Array)).toBe(false);
      expect(verifyRelayRingSignature(msg, j as Uint8Array, ring).ok).toBe(false);
      expect(verifyRelayRingSignature(msg, sig, j as Uint8Array[]).ok).toBe(false);
      expect(decodeRingSignature(j as Uint8Array)).toBeInstanceOf(RingSignatureError);
    }
    // the unmodified signature still passes, so the refusals above are about the junk
    expect(verifyRingSignature(msg, sig)).toBe(true);
  });
});
