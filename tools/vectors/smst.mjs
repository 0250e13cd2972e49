// The smst/ vector suites: every root, stored node, proof field, gob byte string and verdict.
import { createHash } from 'node:crypto';
import * as smst from '@relayminer/smst';

const core = process.env.SMST_CORE ?? 'wasm';
const hex = (b) => (b == null ? null : Buffer.from(b).toString('hex'));
const bytes = (h) => new Uint8Array(Buffer.from(h ?? '', 'hex'));
const H = (b) => new Uint8Array(createHash('sha256').update(b).digest());
const same = (a, b) => JSON.stringify(norm(a)) === JSON.stringify(norm(b));
/** Go cannot tell nil from empty after a round trip; compare them as equal. */
const norm = (v) =>
  v === '' || v === null || (Array.isArray(v) && v.length === 0)
    ? null
    : Array.isArray(v)
      ? v.map(norm)
      : typeof v === 'object'
        ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]))
        : v;
const diff = (ours, want) => `got ${JSON.stringify(norm(ours)).slice(0, 160)} want ${JSON.stringify(norm(want)).slice(0, 160)}`;

const proofJson = (p) => ({
  side_nodes: p.sideNodes.map(hex),
  non_membership_leaf_data: hex(p.nonMembershipLeafData),
  sibling_data: hex(p.siblingData),
});
const compactJson = (p) => ({
  side_nodes: p.sideNodes.map(hex),
  non_membership_leaf_data: hex(p.nonMembershipLeafData),
  bit_mask: hex(p.bitMask),
  num_side_nodes: p.numSideNodes,
  sibling_data: hex(p.siblingData),
});
const closestJson = (c) => ({
  path: hex(c.path),
  flipped_bits: c.flippedBits,
  depth: c.depth,
  closest_path: hex(c.closestPath),
  closest_value_hash: hex(c.closestValueHash),
  closest_proof: c.closestProof && proofJson(c.closestProof),
});
const compactClosestJson = (c) => ({
  path: hex(c.path),
  flipped_bits: c.flippedBits.map(hex),
  depth: hex(c.depth),
  closest_path: hex(c.closestPath),
  closest_value_hash: hex(c.closestValueHash),
  closest_proof: c.closestProof && compactJson(c.closestProof),
});

function newTrie(pathHasher = 'sha256') {
  return new smst.SparseMerkleSumTrie({ core, pathHasher: pathHasher.startsWith('identity') ? 'identity' : 'sha256' });
}

/** A verdict computed by us; Go's `false` covers both errors and panics, so a throw counts as false. */
function verdict(fn) {
  try {
    return fn() === true;
  } catch {
    return false;
  }
}

async function basic(v, check) {
  const trie = newTrie();
  check('empty root', hex(trie.root()) === v.empty_root && String(trie.sum()) === v.empty_sum && String(trie.count()) === v.empty_count);
  for (const s of v.steps) {
    const label = `step ${s.step} (${s.op} ${Buffer.from(bytes(s.key)).toString('latin1')})`;
    let error = null;
    try {
      if (s.op === 'update') trie.update(bytes(s.key), bytes(s.value), BigInt(s.weight));
      else trie.delete(bytes(s.key));
    } catch (err) {
      error = err;
    }
    const errorOk = s.error === null ? error === null : error instanceof smst.KeyNotFoundError && error.message === s.error;
    check(`${label} error`, errorOk, `got ${error?.message ?? 'none'} want ${s.error ?? 'none'}`);
    check(`${label} root`, hex(trie.root()) === s.root && String(trie.sum()) === s.sum && String(trie.count()) === s.count);
    const got = trie.get(bytes(s.key));
    const want = s.get_after;
    check(
      `${label} get`,
      want.found ? got !== null && hex(got.value) === want.value && String(got.weight) === want.weight : got === null && want.weight === '0',
    );
    await trie.commit();
    const dump = [];
    for await (const [k, val] of trie.store.entries()) dump.push({ k: hex(k), v: hex(val) });
    const wantDump = [...s.store_after_commit].sort((a, b) => (a.k < b.k ? -1 : 1));
    check(`${label} store after commit`, JSON.stringify(dump) === JSON.stringify(wantDump), `${dump.length} entries vs ${wantDump.length}`);
  }
  trie.dispose();
}

function checkProve(trie, root, e, check, spec) {
  const label = e.label;
  const key = bytes(e.key);
  const proof = trie.prove(key);
  check(`${label} proof`, same(proofJson(proof), e.proof), diff(proofJson(proof), e.proof));
  check(`${label} proof gob`, hex(smst.marshalSparseMerkleProof(proof)) === e.proof_gob);
  const compact = smst.compactProof(proof);
  check(`${label} compact`, same(compactJson(compact), e.compact_proof), diff(compactJson(compact), e.compact_proof));
  check(`${label} compact gob`, hex(smst.marshalSparseCompactMerkleProof(compact)) === e.compact_proof_gob);
  const value = e.present ? bytes(e.value) : new Uint8Array();
  const weight = BigInt(e.weight);
  const count = e.present ? 1n : 0n;
  const verify = (p, val, w, c) => verdict(() => smst.verifySumProof(p, root, key, val, w, c, spec));
  const verdicts = {
    verify_sum_proof: () => verify(proof, value, weight, count),
    verify_sum_proof_from_gob: () => verify(smst.unmarshalSparseMerkleProof(bytes(e.proof_gob)), value, weight, count),
    verify_compact_sum_proof_from_gob: () =>
      verdict(() => smst.verifyCompactSumProof(smst.unmarshalSparseCompactMerkleProof(bytes(e.compact_proof_gob)), root, key, value, weight, count, spec)),
    verify_with_weight_plus_1: () => verify(proof, value, weight + 1n, count),
    verify_with_count_2: () => verify(proof, value, weight, 2n),
    verify_with_value_byte_flipped: () => {
      const flipped = value.slice();
      flipped[0] ^= 1;
      return verify(proof, flipped, weight, count);
    },
    verify_as_exclusion: () => verify(proof, new Uint8Array(), 0n, 0n),
  };
  for (const [field, fn] of Object.entries(verdicts)) {
    if (typeof e[field] === 'boolean') check(`${label} ${field}`, fn() === e[field]);
  }
  return proof;
}

function checkClosest(trie, root, e, check, spec) {
  const label = e.label;
  if (e.go_panics) {
    // Go crashes here; we may refuse, or answer with a proof that must then verify.
    let proof = null;
    try {
      proof = trie.proveClosest(bytes(e.path));
    } catch (err) {
      check(`${label} (Go panics) refused with a typed error`, err instanceof smst.SmstError, String(err));
      return;
    }
    check(`${label} (Go panics) our proof verifies`, verdict(() => smst.verifyClosestProof(proof, root, spec)));
    return;
  }
  const proof = trie.proveClosest(bytes(e.path));
  check(`${label} closest proof`, same(closestJson(proof), e.proof), diff(closestJson(proof), e.proof));
  check(`${label} closest gob`, hex(smst.marshalSparseMerkleClosestProof(proof)) === e.proof_gob);
  const compact = smst.compactClosestProof(proof);
  check(`${label} compact closest`, same(compactClosestJson(compact), e.compact_proof), diff(compactClosestJson(compact), e.compact_proof));
  check(`${label} compact closest gob`, hex(smst.marshalSparseCompactMerkleClosestProof(compact)) === e.compact_proof_gob);
  check(`${label} get_value_hash`, hex(smst.getValueHash(proof)) === e.get_value_hash || (norm(hex(smst.getValueHash(proof))) === norm(e.get_value_hash)));
  if (e.closest_leaf) check(`${label} closest leaf`, hex(proof.closestPath) === e.closest_leaf.path);
  const verdicts = {
    verify_closest_proof: () => verdict(() => smst.verifyClosestProof(proof, root, spec)),
    verify_closest_proof_from_gob: () => verdict(() => smst.verifyClosestProof(smst.unmarshalSparseMerkleClosestProof(bytes(e.proof_gob)), root, spec)),
    verify_compact_closest_proof_from_gob: () =>
      verdict(() => smst.verifyCompactClosestProof(smst.unmarshalSparseCompactMerkleClosestProof(bytes(e.compact_proof_gob)), root, spec)),
  };
  for (const [field, fn] of Object.entries(verdicts)) {
    if (typeof e[field] === 'boolean') check(`${label} ${field}`, fn() === e[field]);
  }
}

function build(leaves, pathHasher) {
  const trie = newTrie(pathHasher);
  for (const l of leaves) trie.update(bytes(l.key), bytes(l.value), BigInt(l.weight));
  return trie;
}

/** Rebuild an edge case's trie with its history (the deletes change proof bytes, not roots). */
function buildEdgeCase(c, mainLeaves) {
  if (c.label === 'after_deletes') {
    const keep = new Set(c.leaves.map((l) => l.index));
    const last = Math.max(...keep);
    const trie = build(mainLeaves.slice(0, last + 1), c.path_hasher);
    for (const l of mainLeaves.slice(0, last + 1)) if (!keep.has(l.index)) trie.delete(bytes(l.key));
    return trie;
  }
  if (c.label === 'prove_closest_panic_after_delete') {
    const a = c.prove.find((p) => !p.present);
    const trie = newTrie(c.path_hasher);
    const key = bytes(a.key);
    trie.update(key, new Uint8Array(Buffer.concat([Buffer.from('v-'), key])), 1n);
    for (const l of c.leaves) trie.update(bytes(l.key), bytes(l.value), BigInt(l.weight));
    trie.delete(key);
    return trie;
  }
  return build(c.leaves, c.path_hasher);
}

async function proofs(v, check) {
  const main = build(v.leaves);
  const root = bytes(v.root);
  check('main root', hex(main.root()) === v.root && String(main.sum()) === v.sum && String(main.count()) === v.count);
  for (const e of v.prove) checkProve(main, root, e, check);
  for (const e of v.closest) checkClosest(main, root, e, check);
  for (const t of v.tampered) {
    const r = smst.checkClosestProofBytes(bytes(t.compact_proof_gob), bytes(t.root));
    const unmarshalOk = r.stage !== 'unmarshal';
    const decompactOk = unmarshalOk && r.stage !== 'decompact';
    check(`tampered ${t.label}`, r.valid === t.valid && unmarshalOk === t.unmarshal_ok && decompactOk === t.decompact_ok, JSON.stringify(r));
  }
  for (const c of v.edge_cases) {
    const trie = buildEdgeCase(c, v.leaves);
    const spec = c.path_hasher.startsWith('identity') ? { pathHasher: 'identity' } : undefined;
    const croot = bytes(c.root);
    check(`${c.label} root`, hex(trie.root()) === c.root && String(trie.sum()) === c.sum && String(trie.count()) === c.count);
    const fresh = build(c.leaves, c.path_hasher);
    for (const e of c.prove) {
      const p = checkProve(trie, croot, { ...e, label: `${c.label}/${e.label}` }, check, spec);
      if (typeof e.identical_to_fresh_trie_proof === 'boolean') {
        check(`${c.label}/${e.label} identical to fresh trie`, same(proofJson(p), proofJson(fresh.prove(bytes(e.key)))) === e.identical_to_fresh_trie_proof);
      }
    }
    for (const e of c.closest) {
      const t = e.label.endsWith('-on-fresh-trie') ? fresh : trie;
      checkClosest(t, croot, { ...e, label: `${c.label}/${e.label}` }, check, spec);
    }
    trie.dispose();
    fresh.dispose();
  }
  main.dispose();
}

/** expand(seed, n): the first n bytes of H(seed‖":0") ‖ H(seed‖":1") ‖ … */
function expand(seed, n) {
  const out = Buffer.alloc(n);
  for (let k = 0, off = 0; off < n; k++, off += 32) H(Buffer.from(`${seed}:${k}`)).slice(0, n - off).forEach((b, i) => (out[off + i] = b));
  return new Uint8Array(out);
}
const largeItem = (i) => ({
  key: H(Buffer.from(`large-key-${i}`)),
  value: expand(`large-value-${i}`, ((i * 31) % 200) + 1),
  weight: BigInt(((i * 13) % 1000) + 1),
});

async function large(v, check) {
  const byLabel = Object.fromEntries(v.checkpoints.map((c) => [c.label, c]));
  const expect = (label, trie) => {
    const c = byLabel[label];
    if (!c) return;
    check(label, hex(trie.root()) === c.root && String(trie.sum()) === c.sum && String(trie.count()) === c.count, `root ${hex(trie.root())}`);
  };
  const inserts = v.checkpoints.filter((c) => /^insert_\d+$/.test(c.label) && c.leaves_in_trie <= 100000).map((c) => c.leaves_in_trie);
  const total = Math.max(100000, ...inserts);
  const trie = newTrie();
  for (let i = 0; i < total; i++) {
    const it = largeItem(i);
    trie.update(it.key, it.value, it.weight);
    if (inserts.includes(i + 1)) expect(`insert_${i + 1}`, trie);
  }
  for (let i = 0; i < 100000; i += 3) trie.delete(largeItem(i).key);
  expect('after_deletes', trie);
  for (let i = 0; i < 100000; i++) {
    if (i % 5 !== 0 || i % 3 === 0) continue;
    trie.update(largeItem(i).key, expand(`large-value2-${i}`, 33), BigInt(((i * 13) % 1000) + 2));
  }
  expect('after_overwrites', trie);
  trie.dispose();
  for (const c of v.checkpoints.filter((c) => /^insert_\d+$/.test(c.label) && c.leaves_in_trie > 100000)) {
    if (process.env.SMST_SKIP_HUGE) continue;
    const big = newTrie();
    for (let i = 0; i < c.leaves_in_trie; i++) {
      const it = largeItem(i);
      big.update(it.key, it.value, it.weight);
    }
    expect(c.label, big);
    big.dispose();
  }
}

export const smstSuites = { smst_basic: basic, smst_proofs: proofs, smst_large: large };
