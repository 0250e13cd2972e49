import { describe, expect, it } from 'vitest';
import type { NodeLoader } from '../../../src/core.js';
import { InvalidInputError, SmstError, StoreCorruptionError } from '../../../src/errors.js';
import { ReferenceSmstCore } from '../../../src/reference/core.js';
import {
  H,
  Harness,
  ascii,
  closestFields,
  hex,
  loadVectors,
  normaliseVectorClosest,
  normaliseVectorProof,
  payloadOf,
  proofFields,
  storeDump,
  unhex,
} from './helpers.js';

const vec = loadVectors('smst_proofs.json');
const afterDeletes = vec.edge_cases.find((e: any) => e.label === 'after_deletes');

function committedMainTrie(): Harness {
  const h = new Harness();
  for (const l of vec.leaves) h.update(unhex(l.path), payloadOf(unhex(l.value), BigInt(l.weight)));
  h.commit();
  return h;
}

function committedAfterDeletes(): Harness {
  const h = new Harness();
  for (const l of vec.leaves.slice(0, 64)) h.update(unhex(l.path), payloadOf(unhex(l.value), BigInt(l.weight)));
  for (let i = 1; i < 64; i += 2) h.delete(unhex(vec.leaves[i].path));
  h.commit();
  return h;
}

/** A new harness whose store is a copy of `from`'s and whose core starts lazily from its root. */
function importFrom(from: Harness, wrap?: (inner: NodeLoader) => NodeLoader): Harness {
  const h = new Harness();
  for (const [k, v] of from.store) h.store.set(k, v);
  h.core.setLoader(wrap ? wrap(h.loader()) : h.loader());
  h.core.import(from.core.root());
  return h;
}

/** Closest-proof fields, or the marker of Go's panic shape (deletes can create it). */
function closestOrPanic(h: Harness, path: Uint8Array) {
  try {
    return closestFields(h, path);
  } catch (e) {
    if (e instanceof SmstError && e.code === 'go_panic') return 'go_panic';
    throw e;
  }
}

function snapshot(h: Harness) {
  return { root: hex(h.core.root()) };
}

/** A deterministic mix of new keys, overwrites and deletes on top of the main trie. */
function furtherOps(): ({ op: 'update'; path: Uint8Array; payload: Uint8Array } | { op: 'delete'; path: Uint8Array })[] {
  const ops: any[] = [];
  for (let i = 0; i < 40; i++) ops.push({ op: 'update', path: H(ascii(`more-${i}`)), payload: payloadOf(ascii(`m${i}`), BigInt(i)) });
  for (let i = 0; i < 200; i += 7) ops.push({ op: 'update', path: unhex(vec.leaves[i].path), payload: payloadOf(ascii(`over-${i}`), 3n) });
  for (let i = 1; i < 200; i += 3) ops.push({ op: 'delete', path: unhex(vec.leaves[i].path) });
  for (let i = 0; i < 40; i += 2) ops.push({ op: 'delete', path: H(ascii(`more-${i}`)) });
  return ops;
}

describe('reference core: import and lazy loading', () => {
  it('an imported trie has the same root, leaves and proofs (main trie vectors)', () => {
    const a = committedMainTrie();
    const b = importFrom(a);
    expect(hex(b.core.root())).toBe(vec.root);
    for (const l of vec.leaves) {
      const ref = b.core.get(unhex(l.path));
      expect(ref, l.key).not.toBeNull();
      expect(hex(b.payload(ref!))).toBe(hex(payloadOf(unhex(l.value), BigInt(l.weight))));
    }
    for (const e of vec.prove) {
      expect(proofFields(b, b.core.prove(unhex(e.path))), e.label).toEqual(normaliseVectorProof(e.proof));
    }
    for (const e of vec.closest) {
      expect(closestFields(b, unhex(e.path)), e.label).toEqual(normaliseVectorClosest(e.proof));
    }
  });

  it('an imported trie with one-child inner nodes (after deletes) gives the same proofs', () => {
    const b = importFrom(committedAfterDeletes());
    expect(hex(b.core.root())).toBe(afterDeletes.root);
    for (const e of afterDeletes.prove) {
      expect(proofFields(b, b.core.prove(unhex(e.path))), e.label).toEqual(normaliseVectorProof(e.proof));
    }
    for (const e of afterDeletes.closest) {
      expect(closestFields(b, unhex(e.path)), e.label).toEqual(normaliseVectorClosest(e.proof));
    }
  });

  it('further updates and deletes agree with a never-committed core and with an always-loaded one', () => {
    const a = committedMainTrie(); // stays fully in memory
    const b = importFrom(a); // starts lazy from a copy of the store
    const c = new Harness(); // never committed
    for (const l of vec.leaves) c.update(unhex(l.path), payloadOf(unhex(l.value), BigInt(l.weight)));
    const ops = furtherOps();
    for (const [n, op] of ops.entries()) {
      for (const h of [a, b, c]) {
        if (op.op === 'update') h.update(op.path, op.payload);
        else expect(h.delete(op.path)).toBe(true);
      }
      expect(hex(b.core.root())).toBe(hex(c.core.root()));
      expect(hex(a.core.root())).toBe(hex(c.core.root()));
      if (n % 10 === 0) {
        const probe = op.path;
        expect(proofFields(b, b.core.prove(probe))).toEqual(proofFields(c, c.core.prove(probe)));
        expect(closestOrPanic(b, probe)).toEqual(closestOrPanic(c, probe));
      }
    }
    // Orphan bookkeeping on loaded nodes must leave exactly the same store.
    a.commit();
    b.commit();
    expect(storeDump(b.store)).toEqual(storeDump(a.store));
    // And the result re-imports.
    const d = importFrom(b);
    expect(hex(d.core.root())).toBe(hex(c.core.root()));
  });

  it('a missing node throws StoreCorruptionError and leaves the trie as it was', () => {
    const a = committedMainTrie();
    let failOn: string | null = null;
    const b = importFrom(a, (inner) => (d) => (hex(d) === failOn ? undefined : inner(d)));
    const target = unhex(vec.leaves[5].path);
    // Fail on the leaf itself: update, delete, get and prove all need it.
    const leafDigest = hex(a.core.get(target)!.digest);
    failOn = leafDigest;
    const before = snapshot(b);
    expect(() => b.core.update(target, payloadOf(ascii('x'), 1n), 7)).toThrow(StoreCorruptionError);
    expect(() => b.core.delete(target)).toThrow(StoreCorruptionError);
    expect(() => b.core.get(target)).toThrow(StoreCorruptionError);
    expect(() => b.core.prove(target)).toThrow(StoreCorruptionError);
    expect(snapshot(b)).toEqual(before);
    expect(b.core.commit()).toEqual({ orphans: [], nodes: [] });

    // Fail on the deepest sibling only: delete needs it (to decide how to collapse), update does not.
    failOn = null;
    const siblingDigest = hex(b.core.prove(target).sideNodes[0]!);
    failOn = siblingDigest;
    expect(() => b.core.delete(target)).toThrow(StoreCorruptionError);
    expect(snapshot(b)).toEqual(before);
    expect(b.core.get(target)).not.toBeNull();
    expect(b.core.commit()).toEqual({ orphans: [], nodes: [] });

    // Still usable once the store is healthy again, and in step with the in-memory trie.
    failOn = null;
    for (const h of [a, b]) expect(h.delete(target)).toBe(true);
    expect(hex(b.core.root())).toBe(hex(a.core.root()));
    a.commit();
    b.commit();
    expect(storeDump(b.store)).toEqual(storeDump(a.store));
  });

  it('an absent key is "not found" without loading siblings', () => {
    const a = committedMainTrie();
    const allowed = new Set<string>();
    let strict = false;
    const b = importFrom(a, (inner) => (d) => {
      if (strict && !allowed.has(hex(d))) return undefined;
      return inner(d);
    });
    const absent = unhex(vec.prove.find((p: any) => p.label === 'absent-0').path);
    // Learn which nodes lie on the absent key's path (prove loads exactly those plus its last sibling).
    const probe = importFrom(a, (inner) => (d) => {
      allowed.add(hex(d));
      return inner(d);
    });
    probe.core.get(absent);
    strict = true;
    expect(b.core.delete(absent)).toBe(false);
  });

  it('unparsable nodes throw StoreCorruptionError; loader errors propagate; the trie stays usable', () => {
    const a = committedMainTrie();
    let mode: 'ok' | 'prefix' | 'short' | 'throw' = 'ok';
    const rootKey = hex(a.core.root());
    const b = importFrom(a, (inner) => (d) => {
      const real = inner(d);
      if (hex(d) !== rootKey || mode === 'ok') return real;
      if (mode === 'prefix') return Uint8Array.of(7, ...real!.subarray(1));
      if (mode === 'short') return real!.subarray(0, 50);
      throw new Error('disk on fire');
    });
    const p = H(ascii('new-key'));
    for (const m of ['prefix', 'short'] as const) {
      mode = m;
      expect(() => b.core.update(p, payloadOf(ascii('v'), 1n), 1), m).toThrow(StoreCorruptionError);
      expect(() => b.core.proveClosest(p), m).toThrow(StoreCorruptionError);
    }
    mode = 'throw';
    expect(() => b.core.update(p, payloadOf(ascii('v'), 1n), 1)).toThrow('disk on fire');
    expect(hex(b.core.root())).toBe(vec.root);
    expect(b.core.commit()).toEqual({ orphans: [], nodes: [] });
    mode = 'ok';
    for (const h of [a, b]) h.update(p, payloadOf(ascii('v'), 1n));
    expect(hex(b.core.root())).toBe(hex(a.core.root()));
  });

  it('needs a loader to touch an imported trie; the zero root imports as empty', () => {
    const a = committedMainTrie();
    const core = new ReferenceSmstCore();
    core.import(a.core.root());
    expect(hex(core.root())).toBe(vec.root); // the root digest itself needs no load
    expect(() => core.get(unhex(vec.leaves[0].path))).toThrow(StoreCorruptionError);
    core.import(new Uint8Array(48));
    expect(core.get(unhex(vec.leaves[0].path))).toBeNull();
    expect(core.proveClosest(new Uint8Array(32)).flippedBits).toEqual([0]);
  });
});

describe('reference core: argument checks and lifecycle', () => {
  it('rejects badly shaped inputs with InvalidInputError', () => {
    const core = new ReferenceSmstCore();
    const p = new Uint8Array(32);
    const v = new Uint8Array(16);
    expect(() => core.update(new Uint8Array(31), v, 1)).toThrow(InvalidInputError);
    expect(() => core.update(p, new Uint8Array(15), 1)).toThrow(InvalidInputError);
    expect(() => core.update(p, v, -1)).toThrow(InvalidInputError);
    expect(() => core.update(p, v, 1.5)).toThrow(InvalidInputError);
    expect(() => core.delete(new Uint8Array(33))).toThrow(InvalidInputError);
    expect(() => core.get(new Uint8Array(0))).toThrow(InvalidInputError);
    expect(() => core.prove(new Uint8Array(48))).toThrow(InvalidInputError);
    expect(() => core.proveClosest(new Uint8Array(31))).toThrow(InvalidInputError);
    expect(() => core.import(new Uint8Array(32))).toThrow(InvalidInputError);
    expect(hex(core.root())).toBe('00'.repeat(48));
  });

  it('copies its inputs', () => {
    const core = new ReferenceSmstCore();
    const p = H(ascii('k'));
    const v = payloadOf(ascii('value'), 9n);
    core.update(p, v, 3);
    const root = hex(core.root());
    const pathCopy = p.slice();
    p.fill(0);
    v.fill(0);
    expect(hex(core.root())).toBe(root);
    expect(core.get(pathCopy)).not.toBeNull();
  });

  it('delete of an absent path is false and changes nothing', () => {
    const core = new ReferenceSmstCore();
    expect(core.delete(H(ascii('nothing')))).toBe(false);
    core.update(H(ascii('a')), payloadOf(ascii('1'), 1n), 1);
    core.commit();
    const root = hex(core.root());
    expect(core.delete(H(ascii('b')))).toBe(false);
    expect(hex(core.root())).toBe(root);
    expect(core.commit()).toEqual({ orphans: [], nodes: [] });
  });

  it('is unusable after dispose', () => {
    const core = new ReferenceSmstCore();
    core.dispose();
    expect(() => core.root()).toThrow(Error);
  });
});
