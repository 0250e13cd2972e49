import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';
import { N, Point, be32, enc, hex, mul } from './helpers.js';

const engines: SecpRingEngine[] = [];
afterAll(() => engines.forEach((e) => e.dispose()));

// scalars biased towards the edges: full 256-bit range (>= n included), small, and near n
const scalar = fc.oneof(
  fc.bigInt({ min: 0n, max: 2n ** 256n - 1n }),
  fc.bigInt({ min: 0n, max: 2n ** 40n }),
  fc.bigInt({ min: N - 2n ** 40n, max: N - 1n }),
  fc.constantFrom(0n, 1n, N - 1n, 2n ** 255n),
);
const dlog = fc.bigInt({ min: 1n, max: N - 1n });

describe('property: step = (s + c p) G, (s h + c i) G', () => {
  for (const [teeth, spacing] of [[8, 8], [3, 7]] as [number, number][]) {
    it(`teeth=${teeth} spacing=${spacing}`, () => {
      const e = new SecpRingEngine({ teeth, spacing });
      engines.push(e);
      const out = new Uint8Array(66);
      fc.assert(
        fc.property(scalar, scalar, dlog, dlog, dlog, fc.integer({ min: 0, max: 3 }), (s, c, p, h, i, alias) => {
          // alias: 1 = H is P, 2 = I is -H, 3 = P is G; otherwise three unrelated bases
          if (alias === 1) h = p;
          if (alias === 2) i = N - h;
          if (alias === 3) p = 1n;
          const hs = [p, h, i].map((k) => e.addBase(mul(Point.BASE, k).toBytes(true)));
          e.step(be32(s), be32(c), hs[0]!, hs[1]!, hs[2]!, out);
          hs.forEach((x) => e.releaseBase(x));
          expect(hex(out)).toBe(enc(mul(Point.BASE, s + c * p)) + enc(mul(Point.BASE, s * h + c * i)));
        }),
        { numRuns: 300 },
      );
      expect(e.baseCount()).toBe(1);
    });
  }
});
