import { afterAll, describe, expect, it } from 'vitest';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';
import {
  INFINITY_HEX, N, Point, SPECIAL_SCALARS, be32, dlogPoint, enc, hex, mul, randScalar,
} from './helpers.js';

// Layouts: the default, the other 256-bit-wide ones at both extremes of spacing, and wider ones
// (N > 256 bits: the recoding offset differs and the top block is partly unused).
const LAYOUTS: [number, number][] = [[8, 8], [8, 4], [8, 1], [4, 32], [2, 1], [5, 3], [6, 32], [10, 2]];

const engines: SecpRingEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));
function engine(teeth?: number, spacing?: number): SecpRingEngine {
  const e = new SecpRingEngine(teeth === undefined ? {} : { teeth, spacing });
  engines.push(e);
  return e;
}

/** step() through the engine, as two hex strings. */
function runStep(e: SecpRingEngine, s: bigint, c: bigint, hP: number, hH: number, hI: number): [string, string] {
  const out = new Uint8Array(66);
  const ret = e.step(be32(s), be32(c), hP, hH, hI, out);
  expect(ret).toBe(out);
  return [hex(out.subarray(0, 33)), hex(out.subarray(33))];
}

/** Expected L, R when P = p·G, H = h·G, I = i·G: one G multiplication each. */
function refByDlog(s: bigint, c: bigint, p: bigint, h: bigint, i: bigint): [string, string] {
  return [enc(mul(Point.BASE, s + c * p)), enc(mul(Point.BASE, s * h + c * i))];
}

describe('step against @noble/curves', () => {
  for (const [teeth, spacing] of LAYOUTS) {
    it(`random scalars and bases, teeth=${teeth} spacing=${spacing}`, () => {
      const e = engine(teeth, spacing);
      expect(e.bytesPerBase).toBe(Math.ceil(256 / (teeth * spacing)) * 2 ** (teeth - 1) * 64);
      const bases = [0, 1, 2].map(() => dlogPoint(randScalar()));
      const hs = bases.map((b) => e.addBase(b.bytes));
      const [p, h, i] = bases.map((b) => b.k);
      const rounds = teeth >= 8 ? 150 : 60;
      for (let r = 0; r < rounds; r++) {
        const s = randScalar(), c = randScalar();
        expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!), `s=${s} c=${c}`).toEqual(refByDlog(s, c, p!, h!, i!));
      }
      for (const s of SPECIAL_SCALARS) {
        const c = SPECIAL_SCALARS[(SPECIAL_SCALARS.indexOf(s) * 7 + 3) % SPECIAL_SCALARS.length]!;
        expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!), `s=${s} c=${c}`).toEqual(refByDlog(s, c, p!, h!, i!));
      }
    });
  }

  it('every pair of special scalars (0, 1, n-1, 2^255, ...)', () => {
    const e = engine();
    const bases = [0, 1, 2].map(() => dlogPoint(randScalar()));
    const hs = bases.map((b) => e.addBase(b.bytes));
    const [p, h, i] = bases.map((b) => b.k);
    for (const s of SPECIAL_SCALARS) {
      for (const c of SPECIAL_SCALARS) {
        expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!), `s=${s} c=${c}`).toEqual(refByDlog(s, c, p!, h!, i!));
      }
    }
  });

  it('agrees with noble point arithmetic (not only via discrete logs)', () => {
    const e = engine();
    for (let r = 0; r < 25; r++) {
      const [P, H, I] = [0, 1, 2].map(() => mul(Point.BASE, randScalar()));
      const hs = [P!, H!, I!].map((q) => e.addBase(q.toBytes(true)));
      const s = r === 0 ? 0n : randScalar(), c = r === 1 ? 0n : randScalar();
      const L = mul(Point.BASE, s).add(mul(P!, c)), R = mul(H!, s).add(mul(I!, c));
      expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!)).toEqual([enc(L), enc(R)]);
      hs.forEach((x) => e.releaseBase(x));
    }
  });

  it('reduces scalars >= n instead of rejecting them', () => {
    const e = engine();
    const bases = [0, 1, 2].map(() => dlogPoint(randScalar()));
    const hs = bases.map((b) => e.addBase(b.bytes));
    const [p, h, i] = bases.map((b) => b.k);
    const big = [N, N + 1n, N + 12345n, 2n ** 256n - 1n, 2n ** 256n - 2n];
    for (const s of big) {
      for (const c of [...big, 5n]) {
        expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!)).toEqual(runStep(e, s % N, c % N, hs[0]!, hs[1]!, hs[2]!));
        expect(runStep(e, s, c, hs[0]!, hs[1]!, hs[2]!)).toEqual(refByDlog(s, c, p!, h!, i!));
      }
    }
  });
});

describe('infinity, cancellation and doubling inside the sums', () => {
  const G = Point.BASE;
  const negate = (b: Uint8Array): Uint8Array => {
    const r = b.slice();
    r[0] = r[0] === 2 ? 3 : 2;
    return r;
  };

  for (const [teeth, spacing] of [[8, 8], [8, 1], [2, 1], [5, 3]] as [number, number][]) {
    it(`teeth=${teeth} spacing=${spacing}`, () => {
      const e = engine(teeth, spacing);
      const x = randScalar(), y = randScalar();
      const X = mul(G, x), Y = mul(G, y);
      const hX = e.addBase(X.toBytes(true)), hNegX = e.addBase(negate(X.toBytes(true)));
      const hY = e.addBase(Y.toBytes(true));
      const hNegG = e.addBase(negate(G.toBytes(true)));
      const hG = e.addBase(G.toBytes(true));
      expect(hG).toBe(SecpRingEngine.G);
      const gk = new Map<number, bigint>([[hX, x], [hNegX, N - x], [hY, y], [hNegG, N - 1n], [hG, 1n]]);
      const cases: [string, number, number, number, (s: bigint) => bigint][] = [
        // [what, P, H, I, c(s)]
        ['P = G, c = s: L doubles every addition', hG, hX, hY, (s) => s],
        ['P = -G, c = s: L cancels every pair', hNegG, hX, hY, (s) => s],
        ['P = G, c = n - s: L ends at infinity', hG, hX, hY, (s) => N - s],
        ['H = I, c = s: R doubles', hY, hX, hX, (s) => s],
        ['I = -H, c = s: R cancels', hY, hX, hNegX, (s) => s],
        ['both lanes double', hG, hX, hX, (s) => s],
        ['both lanes cancel', hNegG, hX, hNegX, (s) => s],
        ['L cancels while R doubles', hNegG, hX, hX, (s) => s],
        ['P = H = I = X', hX, hX, hX, (s) => (s * 3n) % N],
        ['c = 0', hX, hY, hNegX, () => 0n],
      ];
      const scalars = [1n, 2n, N - 1n, ...SPECIAL_SCALARS.slice(4, 8), randScalar(), randScalar(), randScalar()];
      for (const [what, hP, hH, hI, cOf] of cases) {
        for (const s of scalars) {
          const c = cOf(s) % N;
          const L = mul(G, s + c * gk.get(hP)!), R = mul(G, s * gk.get(hH)! + c * gk.get(hI)!);
          expect(runStep(e, s, c, hP, hH, hI), `${what}, s=${s}`).toEqual([enc(L), enc(R)]);
        }
      }
      // s = c = 0: both are infinity, encoded as 02 followed by zeros
      expect(runStep(e, 0n, 0n, hX, hY, hNegX)).toEqual([INFINITY_HEX, INFINITY_HEX]);
      // cancellation to infinity in both lanes with nonzero scalars
      const s = randScalar();
      expect(runStep(e, s, s, hNegG, hX, hNegX)).toEqual([INFINITY_HEX, INFINITY_HEX]);
    });
  }
});

describe('lincomb', () => {
  it('matches noble for random and special scalars, equal and opposite bases', () => {
    const e = engine();
    const a = dlogPoint(randScalar()), b = dlogPoint(randScalar());
    const hA = e.addBase(a.bytes), hB = e.addBase(b.bytes);
    const negA = a.bytes.slice();
    negA[0] ^= 1;
    const hNegA = e.addBase(negA);
    const out = new Uint8Array(33);
    const check = (x: bigint, hx: number, kx: bigint, y: bigint, hy: number, ky: bigint) => {
      expect(e.lincomb(be32(x), hx, be32(y), hy, out)).toBe(out);
      expect(hex(out), `${x} ${y}`).toBe(enc(mul(Point.BASE, x * kx + y * ky)));
    };
    for (let r = 0; r < 100; r++) check(randScalar(), hA, a.k, randScalar(), hB, b.k);
    for (const x of SPECIAL_SCALARS) {
      check(x, hA, a.k, randScalar(), hB, b.k);
      check(x, hA, a.k, x, hA, a.k); // doubling
      check(x, hA, a.k, x, hNegA, N - a.k); // cancels
      check(x, SecpRingEngine.G, 1n, 0n, hB, b.k);
    }
    // 1·P + 0·G re-encodes the base: the decoder picked the right y
    check(1n, hA, a.k, 0n, SecpRingEngine.G, 1n);
    expect(hex(out)).toBe(hex(a.bytes));
  });
});

describe('argument checks', () => {
  it('rejects bad buffers and dead handles without touching the output', () => {
    const e = engine();
    const h = e.addBase(dlogPoint(randScalar()).bytes);
    const s = be32(randScalar());
    const out = new Uint8Array(66).fill(7);
    expect(() => e.step(s.subarray(1), s, h, h, h, out)).toThrow(TypeError);
    expect(() => e.step(s, new Uint8Array(33), h, h, h, out)).toThrow(TypeError);
    expect(() => e.step(s, s, h, h, h, new Uint8Array(65))).toThrow(TypeError);
    expect(() => e.step(Array.from(s) as unknown as Uint8Array, s, h, h, h, out)).toThrow(TypeError);
    expect(() => e.step(s, s, h, 999, h, out)).toThrow(RangeError);
    expect(() => e.step(s, s, h, h, -1, out)).toThrow(RangeError);
    expect(() => e.lincomb(s, h, s, 1.5, new Uint8Array(33))).toThrow(RangeError);
    expect(() => e.lincomb(s, h, s, h, out)).toThrow(TypeError);
    e.releaseBase(h);
    expect(() => e.step(s, s, h, h, h, out)).toThrow(RangeError);
    expect(() => e.releaseBase(h)).toThrow(RangeError);
    expect(hex(out)).toBe('07'.repeat(66));
  });

  it('writes into a subarray view', () => {
    const e = engine();
    const P = dlogPoint(randScalar());
    const h = e.addBase(P.bytes);
    const s = randScalar(), c = randScalar();
    const big = new Uint8Array(100).fill(9);
    e.step(be32(s), be32(c), h, h, h, big.subarray(17, 83));
    expect(hex(big.subarray(17, 83))).toBe(refByDlog(s, c, P.k, P.k, P.k).join(''));
    expect(hex(big.subarray(0, 17))).toBe('09'.repeat(17));
    expect(hex(big.subarray(83))).toBe('09'.repeat(17));
  });

  it('accepts scalars given as views at odd offsets', () => {
    const e = engine();
    const P = dlogPoint(randScalar());
    const h = e.addBase(P.bytes);
    const s = randScalar(), c = randScalar();
    const buf = new Uint8Array(80);
    buf.set(be32(s), 3);
    buf.set(be32(c), 41);
    const out = new Uint8Array(66);
    e.step(buf.subarray(3, 35), buf.subarray(41, 73), h, h, h, out);
    expect(hex(out)).toBe(refByDlog(s, c, P.k, P.k, P.k).join(''));
  });
});
