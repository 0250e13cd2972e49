import { describe, expect, it } from 'vitest';
import { SmstError } from '../../../src/errors.js';
import {
  Harness,
  ascii,
  closestFields,
  concat,
  hex,
  loadVectors,
  normaliseVectorClosest,
  normaliseVectorProof,
  payloadOf,
  proofFields,
  unhex,
} from './helpers.js';

const vec = loadVectors('smst_proofs.json');
const edge = (label: string) => vec.edge_cases.find((e: any) => e.label === label);

type VecLeaf = { index: number; key: string; path: string; value: string; weight: string };

/** Inserts leaves in order; vectors give `path` directly, which also covers the identity hasher. */
function build(leaves: VecLeaf[], commit = true): Harness {
  const h = new Harness();
  for (const l of leaves) h.update(unhex(l.path), payloadOf(unhex(l.value), BigInt(l.weight)));
  if (commit) h.commit();
  return h;
}

function checkProves(h: Harness, entries: any[]): void {
  for (const e of entries) {
    expect(proofFields(h, h.core.prove(unhex(e.path))), e.label).toEqual(normaliseVectorProof(e.proof));
  }
}

function checkClosest(h: Harness, entries: any[]): void {
  for (const e of entries) {
    if (e.go_panics) {
      expect(() => h.core.proveClosest(unhex(e.path)), e.label).toThrow(SmstError);
      continue;
    }
    expect(closestFields(h, unhex(e.path)), e.label).toEqual(normaliseVectorClosest(e.proof));
  }
}

function trieFor(label: string): Harness {
  const e = edge(label);
  switch (label) {
    case 'after_deletes': {
      const h = build(vec.leaves.slice(0, 64), false);
      for (let i = 1; i < 64; i += 2) expect(h.delete(unhex(vec.leaves[i].path))).toBe(true);
      h.commit();
      return h;
    }
    case 'prove_closest_panic_after_delete': {
      // A is the deleted key; its value is 'v-' ‖ key like the others.
      const a = e.prove.find((p: any) => p.label === 'deleted-key-A');
      const h = new Harness();
      h.update(unhex(a.path), payloadOf(concat(ascii('v-'), unhex(a.key)), 1n));
      for (const l of e.leaves) h.update(unhex(l.path), payloadOf(unhex(l.value), BigInt(l.weight)));
      expect(h.delete(unhex(a.path))).toBe(true);
      h.commit();
      return h;
    }
    default:
      return build(e.leaves);
  }
}

describe('reference core: smst_proofs.json', () => {
  it('main trie: root, every prove[] and closest[] entry', () => {
    const h = build(vec.leaves);
    expect(hex(h.core.root())).toBe(vec.root);
    checkProves(h, vec.prove);
    checkClosest(h, vec.closest);
  });

  it('gives the same proofs before the trie is committed (caller handles instead of NO_HANDLE)', () => {
    const h = build(vec.leaves, false);
    checkProves(h, vec.prove);
    checkClosest(h, vec.closest);
  });

  for (const e of vec.edge_cases) {
    it(`edge case ${e.label}`, () => {
      const h = trieFor(e.label);
      expect(hex(h.core.root())).toBe(e.root);
      checkProves(h, e.prove);
      const fresh = e.label === 'prove_closest_panic_after_delete' ? build(e.leaves) : h;
      for (const c of e.closest) checkClosest(c.label.endsWith('on-fresh-trie') ? fresh : h, [c]);
    });
  }

  it('the Go panic shape really comes from the delete history: a fresh trie answers', () => {
    const e = edge('prove_closest_panic_after_delete');
    const a = e.closest.find((c: any) => c.label === 'path-of-A');
    expect(a.go_panics).toBe(true);
    const err = (() => {
      try {
        trieFor(e.label).core.proveClosest(unhex(a.path));
      } catch (x) {
        return x as SmstError;
      }
      return null;
    })();
    expect(err?.code).toBe('go_panic');
    expect(build(e.leaves).core.proveClosest(unhex(a.path)).leaf).not.toBeNull();
  });

  it('max-depth trie: leaves at depth 256, closest depth reported as 0 with 256 side nodes', () => {
    const h = trieFor('max_depth_identity_path_hasher');
    const e = edge('max_depth_identity_path_hasher');
    const c = h.core.proveClosest(unhex(e.leaves[0].path));
    expect(c.depth).toBe(0);
    expect(c.proof.sideNodes).toHaveLength(256);
  });
});
