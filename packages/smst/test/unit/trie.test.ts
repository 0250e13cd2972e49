import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import {
  InvalidInputError,
  KeyNotFoundError,
  MemoryStore,
  SparseMerkleSumTrie,
  StoreCorruptionError,
  checkClosestProofBytes,
  compactClosestProof,
  marshalSparseCompactMerkleClosestProof,
  verifySumProof,
} from '../../src/index.js';
import { toHex as hex } from '../../src/bytes.js';

const CORES = ['wasm', 'reference'] as const;
const rand = (n: number) => new Uint8Array(randomBytes(n));

function filled(core: (typeof CORES)[number], n: number, opts = {}) {
  const trie = new SparseMerkleSumTrie({ core, ...opts });
  const items = Array.from({ length: n }, (_, i) => ({ key: rand(32), value: rand(i % 70), weight: BigInt(i % 9) }));
  for (const it of items) trie.update(it.key, it.value, it.weight);
  return { trie, items };
}

/** The leaf payload of an empty value with weight 0: value ‖ u64 sum ‖ u64 count = 8 zero bytes then count 1. */
const isEmptyZeroWeightLeaf = (v: Uint8Array | null): boolean => v !== null && v.length === 16 && v.subarray(0, 8).every((b) => b === 0);

/** What the chain decides for a proof we hand it (compaction refuses some tampering already). */
function chainAccepts(proof: ReturnType<SparseMerkleSumTrie['proveClosest']>, root: Uint8Array): boolean {
  try {
    return checkClosestProofBytes(marshalSparseCompactMerkleClosestProof(compactClosestProof(proof)), root).valid;
  } catch {
    return false;
  }
}

const closestGob = (trie: SparseMerkleSumTrie, path: Uint8Array) => hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(trie.proveClosest(path))));

describe.each(CORES)('SparseMerkleSumTrie (%s core)', (core) => {
  test('get, sum and count follow updates and overwrites', () => {
    const trie = new SparseMerkleSumTrie({ core });
    const a = rand(8);
    trie.update(a, Uint8Array.of(1, 2, 3), 7);
    trie.update(rand(8), new Uint8Array(), 0n);
    expect(trie.get(a)).toEqual({ value: Uint8Array.of(1, 2, 3), weight: 7n });
    expect([trie.sum(), trie.count()]).toEqual([7n, 2n]);
    trie.update(a, Uint8Array.of(9), 2n ** 64n - 1n); // sums wrap modulo 2^64
    expect([trie.sum(), trie.count()]).toEqual([2n ** 64n - 1n, 2n]);
    expect(trie.get(rand(8))).toBeNull();
  });

  test('bad input gets a typed error and changes nothing', () => {
    const { trie, items } = filled(core, 50);
    const root = hex(trie.root());
    expect(() => trie.delete(rand(32))).toThrow(KeyNotFoundError);
    expect(() => trie.proveInclusion(rand(32))).toThrow(KeyNotFoundError);
    expect(() => trie.update(rand(4), rand(4), -1n)).toThrow(InvalidInputError);
    expect(() => trie.update(rand(4), rand(4), 2n ** 64n)).toThrow(InvalidInputError);
    expect(() => trie.update(rand(4), rand(4), 1.5)).toThrow(InvalidInputError);
    expect(() => trie.proveClosest(rand(31))).toThrow(InvalidInputError);
    expect(() => SparseMerkleSumTrie.import(rand(47), { store: new MemoryStore(), core })).toThrow(InvalidInputError);
    expect(hex(trie.root())).toBe(root);
    expect(trie.get(items[3]!.key)?.weight).toBe(items[3]!.weight);
  });

  test('every membership proof verifies, and fails with a changed value or weight', () => {
    const { trie, items } = filled(core, 120);
    const root = trie.root();
    // An empty value of weight 0 is indistinguishable from absence (the chain's rule), so skip it.
    for (const it of items.slice(0, 40).filter((x) => x.value.length > 0 || x.weight > 0n)) {
      const proof = trie.proveInclusion(it.key);
      expect(verifySumProof(proof, root, it.key, it.value, it.weight, 1n)).toBe(true);
      expect(verifySumProof(proof, root, it.key, it.value, it.weight + 1n, 1n)).toBe(false);
      expect(verifySumProof(proof, root, it.key, Uint8Array.of(...it.value, 0), it.weight, 1n)).toBe(false);
    }
  });

  test('commit then import from the root alone gives the same root, values and proofs', async () => {
    const store = new MemoryStore();
    const { trie, items } = filled(core, 300, { store });
    const root = await trie.commit();
    const paths = Array.from({ length: 20 }, () => rand(32));
    const reopened = SparseMerkleSumTrie.import(root, { store, core });
    expect(hex(reopened.root())).toBe(hex(root));
    for (const p of paths) expect(closestGob(reopened, p)).toBe(closestGob(trie, p));
    for (const it of items.slice(0, 20)) expect(reopened.get(it.key)).toEqual({ value: it.value, weight: it.weight });
    // both keep evolving identically
    const more = { key: rand(32), value: rand(10), weight: 3n };
    trie.update(more.key, more.value, more.weight);
    reopened.update(more.key, more.value, more.weight);
    expect(hex(reopened.root())).toBe(hex(trie.root()));
  });

  test('a missing or corrupt stored node is a StoreCorruptionError and leaves the trie as it was', async () => {
    const store = new MemoryStore();
    const { trie, items } = filled(core, 64, { store });
    const root = await trie.commit();
    const entries: [Uint8Array, Uint8Array][] = [];
    for await (const e of store.entries()) entries.push(e);
    const inner = entries.find(([k, v]) => v[0] === 1 && hex(k) !== hex(root))!;
    await store.write([inner[0]], []); // lose one inner node
    const reopened = SparseMerkleSumTrie.import(root, { store, core });
    const failing = items.filter((it) => {
      try {
        reopened.get(it.key);
        return false;
      } catch (err) {
        expect(err).toBeInstanceOf(StoreCorruptionError);
        return true;
      }
    });
    expect(failing.length).toBeGreaterThan(0);
    expect(() => reopened.update(failing[0]!.key, rand(3), 1n)).toThrow(StoreCorruptionError);
    expect(hex(reopened.root())).toBe(hex(root));
    await store.write([], [[inner[0], Uint8Array.of(7, 7, 7)]]); // now garbage instead
    expect(() => reopened.update(failing[0]!.key, rand(3), 1n)).toThrow(StoreCorruptionError);
    await store.write([], [inner]); // repaired: the trie works and nothing was half-applied
    reopened.update(failing[0]!.key, Uint8Array.of(1), 1n);
    trie.update(failing[0]!.key, Uint8Array.of(1), 1n);
    expect(hex(reopened.root())).toBe(hex(trie.root()));
  });

  test('with a value lookup the trie keeps no values and still proves', () => {
    const values = new Map<string, Uint8Array>();
    const lean = new SparseMerkleSumTrie({ core, valueLookup: (path) => values.get(hex(path)!) });
    const full = new SparseMerkleSumTrie({ core });
    for (let i = 0; i < 200; i++) {
      const key = rand(32);
      const value = rand(40);
      values.set(hex(new Uint8Array(createHash('sha256').update(key).digest()))!, value);
      lean.update(key, value, 5n);
      full.update(key, value, 5n);
    }
    for (let i = 0; i < 10; i++) {
      const p = rand(32);
      expect(closestGob(lean, p)).toBe(closestGob(full, p));
    }
  });
});

test('proofs of the WASM core verify on the chain path and a flipped byte anywhere that matters fails', () => {
  const { trie } = filled('wasm', 500);
  const root = trie.root();
  for (let i = 0; i < 30; i++) {
    const proof = trie.proveClosest(rand(32));
    if (isEmptyZeroWeightLeaf(proof.closestValueHash)) continue; // spec §12.6: verifies as an exclusion
    const gob = marshalSparseCompactMerkleClosestProof(compactClosestProof(proof));
    expect(checkClosestProofBytes(gob, root).valid).toBe(true);
    // Side nodes, the closest leaf and its path are all bound by the root.
    const flips: [Uint8Array, number][] = [...proof.closestProof!.sideNodes, proof.closestValueHash!, proof.closestPath].map((t) => [t, i % t.length]);
    // An extension's stored path bytes outside its bit range are filler the hash never reads
    // (as in Go), so flip its child digest instead.
    const sib = proof.closestProof!.siblingData;
    if (sib) flips.push([sib, sib[0] === 2 ? 35 + (i % 48) : i % sib.length]);
    for (const [target, at] of flips) {
      target[at]! ^= 0x40;
      expect(chainAccepts(proof, root)).toBe(false);
      target[at]! ^= 0x40;
    }
  }
});

test('Buffer arguments are copied, never aliased or modified', () => {
  for (const core of CORES) {
    const trie = new SparseMerkleSumTrie({ core });
    for (let i = 0; i < 100; i++) trie.update(randomBytes(32), randomBytes(20), 1); // Buffers, not plain Uint8Arrays
    const path = randomBytes(32);
    const before = Buffer.from(path);
    const proof = trie.proveClosest(path);
    compactClosestProof(proof); // validation works on its own copy of the path
    expect(path.equals(before)).toBe(true);
    proof.path[0]! ^= 1;
    expect(path.equals(before)).toBe(true);
  }
});

test('reads during a commit that is still writing see the committed values', async () => {
  const store = new MemoryStore();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const slow = Object.assign(Object.create(store), {
    write: async (dels: Uint8Array[], puts: [Uint8Array, Uint8Array][]) => {
      await gate;
      return store.write(dels, puts);
    },
  });
  const trie = new SparseMerkleSumTrie({ store: slow });
  const key = rand(32);
  trie.update(key, Uint8Array.of(4, 5), 3n);
  const done = trie.commit();
  expect(trie.get(key)).toEqual({ value: Uint8Array.of(4, 5), weight: 3n }); // not in the store yet
  trie.update(rand(32), Uint8Array.of(1), 1n); // updates may continue meanwhile
  release();
  await done;
  expect(trie.get(key)).toEqual({ value: Uint8Array.of(4, 5), weight: 3n });
  expect(store.size).toBeGreaterThan(0);
});

test('a failed store write makes the trie refuse further use instead of diverging from the store', async () => {
  const store = new MemoryStore();
  const failing = Object.assign(Object.create(store), { write: async () => Promise.reject(new Error('disk full')) });
  const trie = new SparseMerkleSumTrie({ store: failing });
  trie.update(rand(32), rand(8), 1n);
  await expect(trie.commit()).rejects.toThrow(/disk full/);
  expect(() => trie.root()).toThrow(/can no longer be used/);
});

test('the WASM and node:crypto verification engines give the same verdicts, tampered or not', () => {
  const { trie } = filled('wasm', 400);
  const root = trie.root();
  let valid = 0;
  let provable = 0;
  for (let i = 0; i < 60; i++) {
    const proof = trie.proveClosest(rand(32));
    const gob = marshalSparseCompactMerkleClosestProof(compactClosestProof(proof));
    if (i % 2) gob[gob.length - 1 - (i % 200)]! ^= 1 << (i % 8); // damage half of them somewhere
    // spec §12.6: a leaf with an empty value and weight 0 (item 0 of filled()) verifies as an exclusion
    else if (!isEmptyZeroWeightLeaf(proof.closestValueHash)) provable++;
    const wasm = checkClosestProofBytes(gob, root);
    expect(checkClosestProofBytes(gob, root, { engine: 'node' })).toEqual(wasm);
    if (wasm.valid) valid++;
  }
  expect(valid).toBeGreaterThanOrEqual(provable);
});

test('updateMany gives the same trie as update() one by one, for 32-byte and other keys, and rejects bad batches whole', () => {
  for (const core of CORES) {
    const one = new SparseMerkleSumTrie({ core });
    const many = new SparseMerkleSumTrie({ core });
    const keys = [...Array.from({ length: 300 }, () => rand(32)), rand(5), rand(40)];
    keys.push(keys[3]!); // an overwrite inside the batch
    const values = keys.map((_, i) => rand(i % 50));
    const weights = keys.map((_, i) => (i % 3 ? i : BigInt(i) * 2n ** 40n));
    keys.forEach((k, i) => one.update(k, values[i]!, weights[i]!));
    many.updateMany(keys, values, weights);
    expect(hex(many.root())).toBe(hex(one.root()));
    expect(many.get(keys[3]!)).toEqual({ value: values.at(-1), weight: BigInt(weights.at(-1)!) });
    const root = hex(many.root());
    expect(() => many.updateMany([rand(32), rand(32)], [rand(3), rand(3)], [1, -1])).toThrow(InvalidInputError);
    expect(() => many.updateMany([rand(32)], [rand(3)], [])).toThrow(InvalidInputError);
    expect(hex(many.root())).toBe(root);
    const proof = many.proveClosest(rand(32));
    proof.closestValueHash![0]! ^= 0xff; // mutating a returned proof does not reach the trie
    expect(hex(marshalSparseCompactMerkleClosestProof(compactClosestProof(many.proveClosest(proof.path))))).not.toBe(null);
    expect(hex(many.root())).toBe(root);
    const again = many.proveClosest(proof.path);
    expect(chainAccepts(again, many.root())).toBe(!isEmptyZeroWeightLeaf(again.closestValueHash));
  }
});

test('value chunks of disposed and committed tries serve later tries without mixing values', async () => {
  // > 4 MiB of values each, so every trie fills more than one arena chunk
  const big = (seed: number) => Array.from({ length: 300 }, (_, i) => ({ key: rand(32), value: new Uint8Array(20_000).fill((seed * 31 + i) & 0xff), weight: i }));
  const a = new SparseMerkleSumTrie();
  const aItems = big(1);
  for (const it of aItems) a.update(it.key, it.value, it.weight);
  const aRoot = hex(a.root());
  await a.commit(); // its values move to the store, its chunks to the spare list
  const b = new SparseMerkleSumTrie();
  const bItems = big(2);
  for (const it of bItems) b.update(it.key, it.value, it.weight);
  b.dispose();
  const c = new SparseMerkleSumTrie();
  const cItems = big(3);
  for (const it of cItems) c.update(it.key, it.value, it.weight);
  // (strings: deep equality of large typed arrays is slow)
  const got = (t: SparseMerkleSumTrie, key: Uint8Array) => {
    const v = t.get(key);
    return v && `${hex(v.value)}:${v.weight}`;
  };
  for (const it of cItems) expect(got(c, it.key)).toBe(`${hex(it.value)}:${it.weight}`);
  for (const it of aItems.slice(0, 20)) expect(got(a, it.key)).toBe(`${hex(it.value)}:${it.weight}`);
  expect(hex(a.root())).toBe(aRoot);
  const reference = new SparseMerkleSumTrie({ core: 'reference' });
  for (const it of cItems) reference.update(it.key, it.value, it.weight);
  expect(hex(c.root())).toBe(hex(reference.root()));
  const p = c.proveClosest(rand(32));
  expect(chainAccepts(p, c.root())).toBe(true);
});
