import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';
import { P_FIELD, Point, be32, dlogPoint, hex, mul, randScalar, unhex } from './helpers.js';

const vectorsDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../../shared/vectors/ring');

const engines: SecpRingEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));
function engine(opts?: { teeth?: number; spacing?: number }): SecpRingEngine {
  const e = new SecpRingEngine(opts);
  engines.push(e);
  return e;
}

const withX = (prefix: number, x: bigint): Uint8Array => {
  const b = new Uint8Array(33);
  b[0] = prefix;
  b.set(be32(x), 1);
  return b;
};

/** An x in [0, p) with no curve point (x^3 + 7 not a square), found with noble. */
function offCurveX(): bigint {
  for (;;) {
    const x = BigInt('0x' + hex(be32(randScalar()))) % P_FIELD;
    try {
      Point.fromBytes(withX(2, x));
    } catch {
      return x;
    }
  }
}

describe('addBase validation', () => {
  it('accepts valid points of both parities and re-encodes them exactly', () => {
    const e = engine();
    const out = new Uint8Array(33);
    const one = be32(1n), zero = be32(0n);
    for (let r = 0; r < 40; r++) {
      const b = mul(Point.BASE, randScalar()).toBytes(true);
      const h = e.addBase(b);
      expect(h).toBeGreaterThan(0);
      e.lincomb(one, h, zero, SecpRingEngine.G, out);
      expect(hex(out)).toBe(hex(b));
      e.releaseBase(h);
    }
    // x = 1 is on the curve (1 + 7 = 8 is a square mod p)
    expect(e.addBase(withX(2, 1n))).toBeGreaterThan(0);
    expect(e.addBase(withX(3, 1n))).toBeGreaterThan(0);
  });

  it('rejects bad prefixes, x >= p, off-curve x and wrong lengths with -1', () => {
    const e = engine();
    const good = mul(Point.BASE, randScalar()).toBytes(true);
    for (const prefix of [0, 1, 4, 5, 6, 7, 0x12, 0x82, 0xff]) {
      const b = good.slice();
      b[0] = prefix;
      expect(e.addBase(b), `prefix ${prefix}`).toBe(-1);
    }
    for (const x of [P_FIELD, P_FIELD + 1n, P_FIELD + 0x3d0n, 2n ** 256n - 1n, 2n ** 256n - 2n ** 32n]) {
      expect(e.addBase(withX(2, x)), `x = ${x.toString(16)}`).toBe(-1);
      expect(e.addBase(withX(3, x)), `x = ${x.toString(16)}`).toBe(-1);
    }
    // x = 0: 7 is not a square mod p
    expect(e.addBase(withX(2, 0n))).toBe(-1);
    for (let r = 0; r < 20; r++) {
      const x = offCurveX();
      expect(e.addBase(withX(2 + (r & 1), x))).toBe(-1);
    }
    for (const len of [0, 1, 32, 34, 64, 65]) expect(e.addBase(new Uint8Array(len).fill(2)), `len ${len}`).toBe(-1);
    // uncompressed form of a valid point: not accepted here (only 33-byte encodings)
    expect(e.addBase(mul(Point.BASE, 5n).toBytes(false))).toBe(-1);
    expect(() => e.addBase(Array.from(good) as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => e.addBase('02' as unknown as Uint8Array)).toThrow(TypeError);
    expect(e.baseCount()).toBe(1); // only G: nothing was kept
  });

  it("agrees with go-dleq's decoder on the 33-byte point_decoding vectors", () => {
    const prim = JSON.parse(readFileSync(path.join(vectorsDir, 'primitives.json'), 'utf8'));
    const e = engine();
    let n33 = 0;
    for (const v of prim.point_decoding as { input_hex: string; ok: boolean }[]) {
      const b = unhex(v.input_hex);
      if (b.length !== 33) {
        expect(e.addBase(b)).toBe(-1); // other lengths are refused by design (see README)
        continue;
      }
      n33++;
      expect(e.addBase(b) >= 0, v.input_hex).toBe(v.ok);
    }
    expect(n33).toBeGreaterThanOrEqual(10);
  });
});

describe('handles, sharing and memory', () => {
  it('G is handle 0, always there, and never released', () => {
    const e = engine();
    expect(e.addBase(Point.BASE.toBytes(true))).toBe(SecpRingEngine.G);
    e.releaseBase(SecpRingEngine.G);
    e.releaseBase(SecpRingEngine.G);
    expect(e.baseCount()).toBe(1);
    const out = new Uint8Array(33);
    e.lincomb(be32(2n), SecpRingEngine.G, be32(0n), SecpRingEngine.G, out);
    expect(hex(out)).toBe(hex(mul(Point.BASE, 2n).toBytes(true)));
  });

  it('the same point shares one table; it is freed with its last reference', () => {
    const e = engine();
    const P = dlogPoint(randScalar());
    const h1 = e.addBase(P.bytes);
    const h2 = e.addBase(P.bytes.slice());
    expect(h2).toBe(h1);
    expect(e.baseCount()).toBe(2);
    e.releaseBase(h1);
    const out = new Uint8Array(33);
    e.lincomb(be32(1n), h2, be32(0n), SecpRingEngine.G, out); // still alive
    expect(hex(out)).toBe(hex(P.bytes));
    e.releaseBase(h2);
    expect(e.baseCount()).toBe(1);
    expect(() => e.lincomb(be32(1n), h1, be32(0n), SecpRingEngine.G, out)).toThrow(RangeError);
    // the opposite point is a different base
    const neg = P.bytes.slice();
    neg[0] ^= 1;
    const a = e.addBase(P.bytes), b = e.addBase(neg);
    expect(a).not.toBe(b);
    expect(e.baseCount()).toBe(3);
  });

  it('released tables are reused: add/release cycles do not grow memory', () => {
    const e = engine();
    const fresh = () => Array.from({ length: 40 }, () => mul(Point.BASE, randScalar()).toBytes(true));
    let hs = fresh().map((b) => e.addBase(b));
    expect(e.baseCount()).toBe(41);
    const grown = e.memoryBytes();
    expect(grown).toBeGreaterThanOrEqual(40 * e.bytesPerBase);
    for (let cycle = 0; cycle < 5; cycle++) {
      hs.forEach((h) => e.releaseBase(h));
      expect(e.baseCount()).toBe(1);
      hs = fresh().map((b) => e.addBase(b));
      expect(e.baseCount()).toBe(41);
      expect(e.memoryBytes()).toBe(grown);
    }
    // and the reused tables hold the new points
    const P = dlogPoint(randScalar());
    e.releaseBase(hs.pop()!);
    const h = e.addBase(P.bytes);
    const out = new Uint8Array(33);
    e.lincomb(be32(3n), h, be32(0n), SecpRingEngine.G, out);
    expect(hex(out)).toBe(hex(mul(Point.BASE, 3n * P.k).toBytes(true)));
  });

  it('memory grows with the number of live tables at about bytesPerBase each', () => {
    for (const [teeth, spacing] of [[8, 8], [8, 4], [6, 4]]) {
      const e = engine({ teeth, spacing });
      const before = e.memoryBytes();
      for (let i = 0; i < 64; i++) e.addBase(mul(Point.BASE, randScalar()).toBytes(true));
      const grew = e.memoryBytes() - before;
      expect(grew).toBeGreaterThanOrEqual(60 * e.bytesPerBase);
      expect(grew).toBeLessThanOrEqual(64 * e.bytesPerBase * 1.25 + (1 << 20));
    }
  });

  it('dispose makes every call throw', () => {
    const e = new SecpRingEngine();
    e.dispose();
    expect(() => e.addBase(Point.BASE.toBytes(true))).toThrow();
    expect(() => e.memoryBytes()).toThrow();
    expect(() => e.step(be32(1n), be32(1n), 0, 0, 0, new Uint8Array(66))).toThrow();
  });

  it('validates layout options', () => {
    for (const bad of [{ teeth: 1 }, { teeth: 11 }, { teeth: 7.5 }, { spacing: 0 }, { spacing: 33 }, { spacing: NaN }]) {
      expect(() => new SecpRingEngine(bad), JSON.stringify(bad)).toThrow(RangeError);
    }
    const e = engine();
    expect([e.teeth, e.spacing, e.blocks, e.bytesPerBase]).toEqual([8, 8, 4, 32768]);
  });
});
