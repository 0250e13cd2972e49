import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  RingVerifier,
  createNobleRingArithmetic,
  deriveRingSignerKeys,
  signRing,
  verifyRelayRingSignature,
  verifyRingSignature,
  type RingArithmetic,
} from '../../src/ring/index.js';
import { fromHex, toHex } from '../../src/bytes.js';

const VECTORS = fileURLToPath(new URL('../../../../../shared/vectors/', import.meta.url));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const load = (name: string): any => JSON.parse(readFileSync(`${VECTORS}/ring/${name}.json`, 'utf8'));

interface Rec {
  id: string;
  msg_hex: string;
  sig_hex: string;
  ring_pubkeys_hex: string[];
  signer_index: number;
  signer_label: string;
  left_aligned: boolean;
  reason?: string;
}
const sigs = load('signatures');
const records: Rec[] = sigs.records;
const negatives: Rec[] = load('negatives').records;
const edges: Rec[] = load('edge_cases').records;
const outsider = load('primitives').keys.find((k: { role: string }) => k.role.startsWith('outsider'));

/** Each valid record, a copy with c0's last byte changed, and one with a foreign message. */
function corpus(): { id: string; msg: Uint8Array; sig: Uint8Array }[] {
  const out: { id: string; msg: Uint8Array; sig: Uint8Array }[] = [];
  for (const r of records.filter((x, i) => x.left_aligned || i % 60 === 0).slice(0, 60)) {
    const msg = fromHex(r.msg_hex);
    const sig = fromHex(r.sig_hex);
    out.push({ id: r.id, msg, sig });
    const tampered = sig.slice();
    tampered[35]! ^= 0x80;
    out.push({ id: `${r.id}/c0`, msg, sig: tampered });
  }
  for (const r of [...negatives.filter((_, i) => i % 3 === 0), ...edges]) {
    out.push({ id: `${r.id} ${r.reason}`, msg: fromHex(r.msg_hex), sig: fromHex(r.sig_hex) });
  }
  return out;
}

/**
 * Wraps a backend and fails loudly (by throwing inside step, which turns a verdict into false) if a
 * handle is used after release; also counts live handles.
 */
function auditing(inner: RingArithmetic): RingArithmetic & { live: () => number } {
  const released = new WeakSet<object>();
  let live = 0;
  return {
    name: `audit(${inner.name})`,
    preparePoint(enc) {
      const p = inner.preparePoint(enc);
      if (p === null) return null;
      live++;
      return { p };
    },
    releasePoint(h) {
      const box = h as { p: unknown };
      if (released.has(box)) throw new Error('double release');
      released.add(box);
      live--;
      inner.releasePoint(box.p);
    },
    step(s, c, P, H, I, out) {
      for (const h of [P, H, I]) if (released.has(h as object)) throw new Error('use after release');
      inner.step(s, c, (P as { p: unknown }).p, (H as { p: unknown }).p, (I as { p: unknown }).p, out);
    },
    live: () => live,
  };
}

describe('noble ring arithmetic', () => {
  it('gives identical L and R with and without precomputed tables, for 0, 1, n-1 and random scalars', () => {
    const pts = sigs.keys.slice(0, 3).map((k: { pub_hex: string }) => fromHex(k.pub_hex));
    const cold = createNobleRingArithmetic({ promoteAfter: Infinity });
    const hot = createNobleRingArithmetic({ promoteAfter: 1 });
    const [cP, cH, cI] = pts.map((p: Uint8Array) => cold.preparePoint(p)!);
    const [hP, hH, hI] = pts.map((p: Uint8Array) => hot.preparePoint(p)!);
    const n = BigInt('0x' + load('primitives').curve.group_order_n_hex);
    const scalars = [0n, 1n, n - 1n, 2n ** 255n, 12345678901234567890n, n / 3n];
    for (const s of scalars) {
      for (const c of scalars) {
        const a = new Uint8Array(66);
        const b = new Uint8Array(66);
        cold.step(s, c, cP, cH, cI, a);
        hot.step(s, c, hP, hH, hI, b);
        expect(toHex(b), `s=${s} c=${c}`).toBe(toHex(a));
        if (s === 0n && c === 0n) expect(toHex(a)).toBe(('02' + '00'.repeat(32)).repeat(2));
      }
    }
    expect(cold.preparePoint(fromHex('02' + '00'.repeat(32)))).toBeNull();
    expect(cold.preparePoint(new Uint8Array(32))).toBeNull();
  });
});

describe('RingVerifier (cached) against the plain verifier', () => {
  const items = corpus();
  const plain = items.map((x) => verifyRingSignature(x.msg, x.sig));

  it('the corpus has both verdicts', () => {
    expect(plain.filter(Boolean).length).toBeGreaterThan(20);
    expect(plain.filter((v) => !v).length).toBeGreaterThan(20);
  });

  it('agrees on every input, twice over (cold, then warm with tables)', () => {
    const verifier = new RingVerifier({ arithmetic: createNobleRingArithmetic({ promoteAfter: 2, maxPrecomputed: 6 }) });
    for (let round = 0; round < 2; round++) {
      items.forEach((x, i) => expect(verifier.verify(x.msg, x.sig), `round ${round} ${x.id}`).toBe(plain[i]));
    }
    expect(verifier.stats.hits).toBeGreaterThan(verifier.stats.misses);
  });

  it('agrees with a cache far smaller than one ring, never using a released handle', () => {
    const arith = auditing(createNobleRingArithmetic({ promoteAfter: 1, maxPrecomputed: 2 }));
    const verifier = new RingVerifier({ arithmetic: arith, maxCachedPoints: 1 });
    items.forEach((x, i) => expect(verifier.verify(x.msg, x.sig), x.id).toBe(plain[i]));
    expect(verifier.stats.cachedPoints).toBeLessThanOrEqual(1 + 16);
    verifier.clear();
    expect(arith.live()).toBe(0);
  });

  it('keeps handles alive until the call ends even when one ring overflows the cache', () => {
    // 20 members + key image exceed the probation area (16), so entries of this very call are evicted
    const keys = Array.from({ length: 20 }, (_, i) => {
      const priv = new Uint8Array(32);
      priv[0] = 0x33;
      priv[31] = i + 1;
      return priv;
    });
    const ring = keys.map((k) => deriveRingSignerKeys(k).publicKey);
    const msg = fromHex('42'.repeat(32));
    const sig = signRing(msg, ring, 13, keys[13]!);
    const arith = auditing(createNobleRingArithmetic());
    const verifier = new RingVerifier({ arithmetic: arith, maxCachedPoints: 1 });
    expect(verifier.verify(msg, sig)).toBe(true);
    expect(verifier.verify(msg, sig)).toBe(true);
    expect(verifier.stats.cachedPoints).toBeLessThanOrEqual(1 + 16);
    verifier.clear();
    expect(arith.live()).toBe(0);
  });

  it('with caching disabled every handle is released after each call', () => {
    const arith = auditing(createNobleRingArithmetic());
    const verifier = new RingVerifier({ arithmetic: arith, maxCachedPoints: 0 });
    for (const x of items.slice(0, 10)) {
      verifier.verify(x.msg, x.sig);
      expect(arith.live()).toBe(0);
    }
  });

  it('junk points do not push the keys of valid signatures out of the cache', () => {
    const r = records[0]!;
    const msg = fromHex(r.msg_hex);
    const sig = fromHex(r.sig_hex);
    const verifier = new RingVerifier({ maxCachedPoints: 4 });
    expect(verifier.verify(msg, sig)).toBe(true); // admits P_0, P_1 and I
    // signatures whose key image is a fresh valid point each time: all fail, all are decoded
    const ks = sigs.keys as { pub_hex: string }[];
    for (let i = 0; i < 40; i++) {
      const junk = sig.slice();
      junk.set(fromHex(ks[i % ks.length]!.pub_hex), 36);
      junk[100]! ^= i + 1; // and a different s_0 so nothing repeats exactly
      expect(verifier.verify(msg, junk)).toBe(false);
    }
    const before = verifier.stats;
    expect(verifier.verify(msg, sig)).toBe(true);
    expect(verifier.stats.misses).toBe(before.misses); // all three points were still cached
  });
});

describe('verifyRelayRingSignature (membership, then bLSAG)', () => {
  const r = records.find((x) => x.ring_pubkeys_hex.length === 3)!;
  const msg = fromHex(r.msg_hex);
  const sig = fromHex(r.sig_hex);
  const ring = r.ring_pubkeys_hex.map(fromHex);

  it('accepts the exact ring, any order, and any superset', () => {
    expect(verifyRelayRingSignature(msg, sig, ring)).toMatchObject({ ok: true, ringSize: 3 });
    expect(verifyRelayRingSignature(msg, sig, [...ring].reverse()).ok).toBe(true);
    expect(verifyRelayRingSignature(msg, sig, [fromHex(outsider.pub_hex), ...ring]).ok).toBe(true);
    const verdict = verifyRelayRingSignature(msg, sig, ring);
    expect(verdict.ok && toHex(verdict.keyImage)).toBe(toHex(sig.subarray(36, 69)));
  });

  it('names the failure', () => {
    const missing = verifyRelayRingSignature(msg, sig, ring.slice(1));
    expect(missing).toMatchObject({ ok: false, reason: 'member_not_in_ring' });
    expect(verifyRelayRingSignature(msg, sig.subarray(0, 100), ring)).toMatchObject({ ok: false, reason: 'undecodable' });
    const otherMsg = msg.slice();
    otherMsg[5]! ^= 4;
    expect(verifyRelayRingSignature(otherMsg, sig, ring)).toMatchObject({ ok: false, reason: 'invalid_signature' });
    // a valid signature by an outsider's ring is refused on membership, before any arithmetic
    const outsiderRing = [fromHex(outsider.pub_hex), ring[1]!];
    const outsiderSig = signRing(msg, outsiderRing, 0, fromHex(outsider.priv_hex));
    expect(verifyRingSignature(msg, outsiderSig)).toBe(true);
    expect(verifyRelayRingSignature(msg, outsiderSig, ring)).toMatchObject({ ok: false, reason: 'member_not_in_ring' });
  });

  it('follows Go on a one-member ring: its member is in the set, so it passes', () => {
    const one = edges.find((e) => e.reason === 'ring_size_one')!;
    const member = fromHex(one.sig_hex).subarray(101, 134);
    expect(verifyRelayRingSignature(fromHex(one.msg_hex), fromHex(one.sig_hex), [member, ...ring]).ok).toBe(true);
  });

  it('gives the same verdicts through a shared cached verifier', () => {
    const verifier = new RingVerifier();
    for (let i = 0; i < 3; i++) {
      expect(verifyRelayRingSignature(msg, sig, ring, { verifier }).ok).toBe(true);
      expect(verifier.verifyRelay(msg, sig, ring.slice(0, 2)).ok).toBe(false);
    }
  });
});
