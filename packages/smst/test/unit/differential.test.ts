import fc from 'fast-check';
import { expect, test } from 'vitest';
import { SparseMerkleSumTrie, canonicalRoot, checkClosestProofBytes, compactClosestProof, marshalSparseCompactMerkleClosestProof, marshalSparseMerkleProof, sha256 } from '../../src/index.js';
import { toHex as hex } from '../../src/bytes.js';

// Small key alphabet so that overwrites and deletes of present keys happen often.
const op = fc.oneof(
  fc.record({ kind: fc.constant('update' as const), key: fc.integer({ min: 0, max: 40 }), value: fc.uint8Array({ maxLength: 48 }), weight: fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }) }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.integer({ min: 0, max: 40 }) }),
);
const keyOf = (k: number) => new TextEncoder().encode(`key-${k}`);

test('random operation sequences: WASM, reference and the canonical hash agree on every root and proof', () => {
  fc.assert(
    fc.property(fc.array(op, { maxLength: 120 }), fc.array(fc.uint8Array({ minLength: 32, maxLength: 32 }), { minLength: 1, maxLength: 4 }), (ops, paths) => {
      const wasm = new SparseMerkleSumTrie({ core: 'wasm' });
      const ref = new SparseMerkleSumTrie({ core: 'reference' });
      const live = new Map<number, { value: Uint8Array; weight: bigint }>();
      try {
        for (const o of ops) {
          if (o.kind === 'update') {
            wasm.update(keyOf(o.key), o.value, o.weight);
            ref.update(keyOf(o.key), o.value, o.weight);
            live.set(o.key, o);
          } else {
            const present = live.delete(o.key);
            for (const t of [wasm, ref]) {
              if (present) t.delete(keyOf(o.key));
              else expect(() => t.delete(keyOf(o.key))).toThrow();
            }
          }
          expect(hex(wasm.root())).toBe(hex(ref.root()));
        }
        const leaves = [...live].map(([k, { value, weight }]) => {
          const payload = new Uint8Array(value.length + 16);
          payload.set(value);
          const view = new DataView(payload.buffer);
          view.setBigUint64(value.length, weight);
          view.setBigUint64(value.length + 8, 1n);
          return { path: sha256(keyOf(k)), payload };
        });
        expect(hex(wasm.root())).toBe(hex(canonicalRoot(leaves)));
        for (const k of [0, 1, 2, 17, 40]) expect(hex(marshalSparseMerkleProof(wasm.prove(keyOf(k))))).toBe(hex(marshalSparseMerkleProof(ref.prove(keyOf(k)))));
        const root = wasm.root();
        for (const p of paths) {
          let a: string | Error, b: string | Error;
          try {
            a = hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(wasm.proveClosest(p))))!;
          } catch (err) {
            a = err as Error;
          }
          try {
            b = hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(ref.proveClosest(p))))!;
          } catch (err) {
            b = err as Error;
          }
          // Go panics on one post-delete shape; each core may refuse there, otherwise all must agree.
          if (typeof a === 'string' && typeof b === 'string') {
            expect(a).toBe(b);
            // The chain cannot prove a leaf whose value is empty and weight zero (it reads as an
            // exclusion proof); every other closest proof verifies.
            const v = wasm.proveClosest(p).closestValueHash;
            const unprovable = v !== null && v.length === 16 && v.subarray(0, 8).every((x) => x === 0);
            expect(checkClosestProofBytes(Buffer.from(a, 'hex'), root).valid).toBe(!unprovable);
          }
        }
      } finally {
        wasm.dispose();
        ref.dispose();
      }
    }),
    // The first example is a case fast-check once found: one leaf with an empty value and weight 0.
    { numRuns: 150, examples: [[[{ kind: 'update', key: 0, value: new Uint8Array(), weight: 0n }], [new Uint8Array(32)]]] },
  );
});

test('insert-only tries (what a relay miner builds): every closest proof is identical across cores and verifies', () => {
  fc.assert(
    fc.property(fc.uniqueArray(fc.uint8Array({ minLength: 1, maxLength: 12 }), { maxLength: 300, selector: (k) => hex(k)! }), fc.uint8Array({ minLength: 32, maxLength: 32 }), (keys, path) => {
      const wasm = new SparseMerkleSumTrie({ core: 'wasm' });
      const ref = new SparseMerkleSumTrie({ core: 'reference' });
      keys.forEach((k, i) => {
        wasm.update(k, k, BigInt(i));
        ref.update(k, k, BigInt(i));
      });
      const a = marshalSparseCompactMerkleClosestProof(compactClosestProof(wasm.proveClosest(path)));
      expect(hex(a)).toBe(hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(ref.proveClosest(path)))));
      expect(checkClosestProofBytes(a, wasm.root()).valid).toBe(true);
      wasm.dispose();
      ref.dispose();
    }),
    { numRuns: 100 },
  );
});
