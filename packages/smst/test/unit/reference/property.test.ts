import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CoreProof } from '../../../src/core.js';
import { SmstError } from '../../../src/errors.js';
import { bitAt, flipBit } from '../../../src/bytes.js';
import { canonicalRoot } from '../../../src/reference/core.js';
import { extDigestOf, innerDigestOf, leafDigestOf } from '../../../src/reference/nodes.js';
import { H, Harness, ascii, hex, payloadOf, unhex } from './helpers.js';

/**
 * Paths with long shared prefixes, so runs of one-child levels, splits inside extensions, merges,
 * absorptions and depth-256 neighbours all happen within a few operations.
 */
const POOL: Uint8Array[] = (() => {
  const out: Uint8Array[] = [];
  const variant = (base: Uint8Array, ...bits: number[]) => {
    const p = base.slice();
    for (const b of bits) flipBit(p, b);
    return p;
  };
  for (const seed of ['a', 'b']) {
    const base = H(ascii(`pool-${seed}`));
    out.push(base, variant(base, 255), variant(base, 254), variant(base, 200), variant(base, 200, 201));
    out.push(variant(base, 9), variant(base, 9, 10), variant(base, 3), variant(base, 0), variant(base, 100, 255));
  }
  for (let i = 0; i < 2; i++) out.push(H(ascii(`pool-free-${i}`)));
  return out;
})();

type Op =
  | { kind: 'update'; slot: number; len: number; weight: bigint }
  | { kind: 'delete'; slot: number }
  | { kind: 'commit' }
  | { kind: 'probe'; slot: number; flip: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('update' as const), slot: fc.nat(POOL.length - 1), len: fc.nat(40), weight: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }) }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('delete' as const), slot: fc.nat(POOL.length - 1) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('commit' as const) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('probe' as const), slot: fc.nat(POOL.length - 1), flip: fc.nat(255) }) },
);

/** Go's proof check (spec §9.5) reduced to what a core's proof must satisfy. */
function proofRoot(h: Harness, proof: CoreProof, path: Uint8Array, leafPayload: Uint8Array | null): Uint8Array {
  let cur: Uint8Array;
  if (leafPayload) cur = leafDigestOf(path, leafPayload);
  else if (proof.nonMembershipLeaf) cur = leafDigestOf(proof.nonMembershipLeaf.path, h.payload(proof.nonMembershipLeaf));
  else cur = new Uint8Array(48);
  const n = proof.sideNodes.length;
  for (let i = 0; i < n; i++) {
    const s = proof.sideNodes[i]!;
    cur = bitAt(path, n - 1 - i) === 0 ? innerDigestOf(cur, s) : innerDigestOf(s, cur);
  }
  if (proof.sibling && n > 0) {
    const data = h.encodingBytes(proof.sibling);
    const digest =
      data[0] === 2
        ? extDigestOf(data.subarray(3, 35), data[1]!, data[2]!, data.subarray(35, 83))
        : new Uint8Array([...H(data), ...data.subarray(data.length - 16)]);
    expect(hex(digest)).toBe(hex(proof.sideNodes[0]!));
  }
  return cur;
}

function xorLess(a: Uint8Array, b: Uint8Array, q: Uint8Array): boolean {
  for (let i = 0; i < 32; i++) {
    const x = a[i]! ^ q[i]!;
    const y = b[i]! ^ q[i]!;
    if (x !== y) return x < y;
  }
  return false;
}

describe('reference core: properties', () => {
  it('random update/delete/commit sequences: root = canonical root, proofs verify, store is exact', { timeout: 120_000 }, () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 5, maxLength: 80 }), (ops) => {
        const h = new Harness();
        const model = new Map<string, { path: Uint8Array; payload: Uint8Array }>();
        let committedOnce = false;
        for (const op of ops) {
          if (op.kind === 'update') {
            const path = POOL[op.slot]!;
            const payload = payloadOf(new Uint8Array(op.len).fill(op.slot), op.weight);
            h.update(path, payload);
            model.set(hex(path), { path, payload });
          } else if (op.kind === 'delete') {
            const path = POOL[op.slot]!;
            expect(h.delete(path)).toBe(model.delete(hex(path)));
          } else if (op.kind === 'commit') {
            h.commit();
            committedOnce = true;
          } else {
            const q = POOL[op.slot]!.slice();
            flipBit(q, op.flip);
            const root = hex(h.core.root());
            const member = model.get(hex(q));
            const p = h.core.prove(q);
            expect(hex(proofRoot(h, p, q, member?.payload ?? null))).toBe(root);
            let closest;
            try {
              closest = h.core.proveClosest(q);
            } catch (e) {
              // Only delete histories create Go's panic shape.
              expect(e instanceof SmstError && e.code === 'go_panic').toBe(true);
              continue;
            }
            if (model.size === 0) {
              expect(closest.leaf).toBeNull();
              continue;
            }
            const leaf = closest.leaf!;
            expect(model.has(hex(leaf.path))).toBe(true);
            for (const other of model.values()) expect(xorLess(other.path, leaf.path, q)).toBe(false);
            const payload = h.payload(leaf);
            expect(hex(proofRoot(h, closest.proof, leaf.path, payload))).toBe(root);
            const depth = closest.proof.sideNodes.length === 256 ? 0 : closest.proof.sideNodes.length;
            expect(closest.depth).toBe(depth);
            const differing = [...Array(closest.proof.sideNodes.length).keys()].filter((i) => bitAt(q, i) !== bitAt(leaf.path, i));
            expect(closest.flippedBits).toEqual(differing);
          }
          expect(hex(h.core.root())).toBe(hex(canonicalRoot([...model.values()])));
        }
        h.commit();
        if (!committedOnce && model.size === 0) return;
        // The store holds exactly the nodes reachable from the root: no leaked orphans, nothing missing.
        const reachable = new Set<string>();
        const walk = (digest: Uint8Array) => {
          if (digest.every((b) => b === 0)) return;
          const pre = h.store.get(hex(digest));
          expect(pre, `node ${hex(digest)} missing`).toBeDefined();
          reachable.add(hex(digest));
          if (pre![0] === 1) {
            walk(pre!.subarray(1, 49));
            walk(pre!.subarray(49, 97));
          } else if (pre![0] === 2) {
            walk(pre!.subarray(35, 83));
          }
        };
        walk(h.core.root());
        expect([...h.store.keys()].sort()).toEqual([...reachable].sort());
        // And it re-imports into the same trie.
        const b = new Harness();
        for (const [k, v] of h.store) b.store.set(k, v);
        b.core.setLoader(b.loader());
        b.core.import(h.core.root());
        for (const { path, payload } of model.values()) expect(hex(b.payload(b.core.get(path)!))).toBe(hex(payload));
        expect(hex(b.core.root())).toBe(hex(h.core.root()));
      }),
      { numRuns: Number(process.env.SMST_PROPERTY_RUNS ?? 400) },
    );
  });

  it('canonicalRoot of an empty set is the zero digest and rejects duplicate paths', () => {
    expect(hex(canonicalRoot([]))).toBe('00'.repeat(48));
    const p = unhex('11'.repeat(32));
    const v = payloadOf(new Uint8Array(0), 1n);
    expect(() => canonicalRoot([{ path: p, payload: v }, { path: p, payload: v }])).toThrow();
  });
});
