import { describe, expect, it } from 'vitest';
import { WasmSmstCore, type CoreClosestProof } from '../../pkg/smt_wasm.js';
import { Payloads, hex, loadVector, normVectorProof, payload, proofToVector, unhex } from './helpers';

const vec = loadVector('smst_proofs.json');

function build(leaves: any[], identity = false) {
  const core = new WasmSmstCore();
  const payloads = new Payloads();
  for (const l of leaves) {
    const path = identity ? unhex(l.key) : unhex(l.path);
    const v = payload(unhex(l.value), BigInt(l.weight));
    payloads.add(path, v);
    core.update(path, v, l.index);
  }
  return { core, payloads };
}

function checkProve(core: WasmSmstCore, payloads: Payloads, entry: any, identity = false) {
  const path = identity ? unhex(entry.key) : unhex(entry.path);
  expect(proofToVector(core.prove(path), payloads), entry.label).toEqual(normVectorProof(entry.proof));
}

function closestToVector(c: CoreClosestProof, payloads: Payloads, path: string) {
  return {
    path,
    flipped_bits: c.flippedBits,
    depth: c.depth,
    closest_path: c.leaf ? hex(c.leaf.path) : hex(new Uint8Array(48)),
    closest_value_hash: c.leaf ? hex(payloads.of(c.leaf)) : null,
    closest_proof: proofToVector(c.proof, payloads),
  };
}

function normClosest(p: any) {
  return { ...p, flipped_bits: p.flipped_bits ?? [], closest_proof: normVectorProof(p.closest_proof) };
}

function checkClosest(core: WasmSmstCore, payloads: Payloads, entry: any) {
  const got = closestToVector(core.proveClosest(unhex(entry.path)), payloads, entry.path);
  expect(got, entry.label).toEqual(normClosest(entry.proof));
}

describe('smst_proofs.json', () => {
  it('main trie: root, prove[], closest[]', () => {
    const { core, payloads } = build(vec.leaves);
    expect(hex(core.root())).toBe(vec.root);
    for (const e of vec.prove) checkProve(core, payloads, e);
    for (const e of vec.closest) checkClosest(core, payloads, e);
    // committing changes no proof
    core.commit();
    for (const e of vec.prove) checkProve(core, payloads, e);
    for (const e of vec.closest) checkClosest(core, payloads, e);
  });

  for (const ec of vec.edge_cases) {
    it(`edge case ${ec.label}`, () => {
      let core: WasmSmstCore, payloads: Payloads;
      const identity = ec.label === 'max_depth_identity_path_hasher';
      if (ec.label === 'after_deletes') {
        ({ core, payloads } = build(vec.leaves.slice(0, 64)));
        for (let i = 1; i < 64; i += 2) expect(core.delete(unhex(vec.leaves[i].path))).toBe(true);
      } else if (ec.label === 'prove_closest_panic_after_delete') {
        const a = ec.prove.find((p: any) => p.label === 'deleted-key-A');
        const aLeaf = { index: 0, key: a.key, path: a.path, value: hex(new Uint8Array(Buffer.concat([Buffer.from('v-'), Buffer.from(a.key, 'hex')]))), weight: '1' };
        ({ core, payloads } = build([aLeaf, ...ec.leaves]));
        expect(core.delete(unhex(a.path))).toBe(true);
      } else {
        ({ core, payloads } = build(ec.leaves, identity));
      }
      expect(hex(core.root())).toBe(ec.root);
      for (const e of ec.prove) checkProve(core, payloads, e, identity);
      const fresh = build(ec.leaves, identity);
      for (const e of ec.closest) {
        if (e.go_panics) {
          // documented choice: the greedy result, equal to the fresh trie's up to SiblingData
          const want = ec.closest.find((x: any) => x.label === `${e.label}-on-fresh-trie`);
          const got = closestToVector(core.proveClosest(unhex(e.path)), payloads, e.path);
          const exp = normClosest(want.proof);
          expect({ ...got, closest_proof: { ...got.closest_proof, sibling_data: null } }).toEqual({
            ...exp,
            closest_proof: { ...exp.closest_proof, sibling_data: null },
          });
        } else if (e.label.endsWith('-on-fresh-trie')) {
          checkClosest(fresh.core, fresh.payloads, e);
        } else {
          checkClosest(core, payloads, e);
        }
      }
    });
  }
});
