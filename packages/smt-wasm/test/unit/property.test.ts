import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { WasmSmstCore } from '../../pkg/smt_wasm.js';
import { Payloads, ZERO48, applyCommit, concat, hex, leafDigest, payload } from './helpers';

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const bit = (p: Uint8Array, i: number) => (p[i >> 3] >> (7 - (i & 7))) & 1;

function innerDigest(l: Uint8Array, r: Uint8Array): Uint8Array {
  const dv = (d: Uint8Array, o: number) => new DataView(d.buffer, d.byteOffset).getBigUint64(o);
  const t = new Uint8Array(16);
  new DataView(t.buffer).setBigUint64(0, BigInt.asUintN(64, dv(l, 32) + dv(r, 32)));
  new DataView(t.buffer).setBigUint64(8, BigInt.asUintN(64, dv(l, 40) + dv(r, 40)));
  return concat(sha(concat(new Uint8Array([1]), l, r, t)), t);
}

/** Spec §3.1: history-independent root. */
function canonical(leaves: Array<[Uint8Array, Uint8Array]>, d = 0): Uint8Array {
  if (leaves.length === 0) return ZERO48;
  if (leaves.length === 1) return leafDigest(leaves[0][0], leaves[0][1]);
  return innerDigest(
    canonical(leaves.filter(([p]) => bit(p, d) === 0), d + 1),
    canonical(leaves.filter(([p]) => bit(p, d) === 1), d + 1),
  );
}

// paths drawn from a few shared prefixes so extensions get split, merged and absorbed
const pathArb = fc.tuple(fc.integer({ min: 0, max: 3 }), fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 3 })).map(([base, flips]) => {
  const p = sha(new Uint8Array([base]));
  for (const f of flips) p[f >> 3] ^= 0x80 >> (f & 7);
  return p;
});

const opArb = fc.oneof(
  fc.record({ op: fc.constant('u' as const), path: pathArb, w: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), len: fc.integer({ min: 0, max: 70 }) }),
  fc.record({ op: fc.constant('d' as const), path: pathArb }),
  fc.record({ op: fc.constant('c' as const) }),
);

describe('differential: random update/delete sequences vs the canonical hash', () => {
  it('roots match, and committed stores reload to the same trie', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const core = new WasmSmstCore();
        const model = new Map<string, [Uint8Array, Uint8Array]>();
        const payloads = new Payloads();
        const store = new Map<string, Uint8Array>();
        let h = 0;
        for (const o of ops) {
          if (o.op === 'u') {
            const v = payload(new Uint8Array(o.len).fill(h & 0xff), o.w);
            payloads.add(o.path, v);
            core.update(o.path, v, h++);
            model.set(hex(o.path)!, [o.path, v]);
          } else if (o.op === 'd') {
            expect(core.delete(o.path)).toBe(model.delete(hex(o.path)!));
          } else {
            applyCommit(store, core.commit(), payloads);
            const again = new WasmSmstCore();
            again.setLoader((d) => store.get(hex(d)!));
            again.import(core.root());
            expect(hex(again.root())).toBe(hex(core.root()));
            for (const [, [p]] of model) expect(hex(again.get(p)?.digest)).toBe(hex(core.get(p)?.digest));
            // every stored node is reachable: the store holds exactly the current structure
            const reach = new Set<string>();
            const walk = (d: Uint8Array) => {
              const k = hex(d)!;
              if (k === hex(ZERO48) || reach.has(k)) return;
              reach.add(k);
              const v = store.get(k)!;
              expect(v).toBeDefined();
              if (v[0] === 1) { walk(v.slice(1, 49)); walk(v.slice(49, 97)); }
              if (v[0] === 2) walk(v.slice(35, 83));
            };
            if (model.size) walk(core.root());
            expect(reach.size).toBe(store.size);
            again.dispose();
          }
          expect(hex(core.root())).toBe(hex(canonical([...model.values()])));
        }
        core.dispose();
      }),
      { numRuns: 300 },
    );
  });
});
