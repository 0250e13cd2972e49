/** Go's validation/verification semantics beyond what the vectors pin down directly. */
import { describe, expect, it } from 'vitest';
import { BadProofError } from '../../../src/errors.js';
import { sha256 } from '../../../src/hash.js';
import {
  compactClosestProof,
  compactProof,
  decompactClosestProof,
  decompactProof,
  getValueHash,
  hashSerialization,
  verifyClosestProof,
  verifyCompactSumProof,
  verifySumProof,
  type SparseMerkleProof,
} from '../../../src/proof/index.js';
import { closestFromJson, compactProofFromJson, hex, proofFromJson, toHex, vectors } from './vectors.js';

const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const u64 = (n: bigint) => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, n));
  return b;
};
const digestOf = (pre: Uint8Array) => cat(sha256(pre), pre.subarray(pre.length - 16));
const Z48 = new Uint8Array(48);
const inner = (l: Uint8Array, r: Uint8Array) => {
  const rd = (d: Uint8Array, o: number) => new DataView(d.buffer, d.byteOffset).getBigUint64(o);
  return digestOf(cat(Uint8Array.of(1), l, r, u64(rd(l, 32) + rd(r, 32)), u64(rd(l, 40) + rd(r, 40))));
};

const root = hex(vectors.root);
const member = vectors.prove.find((p) => p.present && p.value !== '' && p.proof.sibling_data !== null)!;
const memberProof = proofFromJson(member.proof);
const memberArgs = [root, hex(member.key), hex(member.value!), BigInt(member.weight), 1n] as const;

describe('hashSerialization (spec §9.1)', () => {
  it('hashes leaf and inner preimages as H(pre) ‖ trailer', () => {
    const leaf = cat(Uint8Array.of(0), new Uint8Array(32).fill(3), hex('abcd'), u64(9n), u64(1n));
    expect(toHex(hashSerialization(leaf))).toBe(toHex(digestOf(leaf)));
  });

  it('expands an extension into its chain of one-child inner nodes', () => {
    const child = inner(digestOf(cat(Uint8Array.of(0), new Uint8Array(32), u64(4n), u64(1n))), Z48);
    const path = new Uint8Array(32);
    path[0] = 0b0101_0000; // bits 1 and 3 set
    let expected = child;
    for (let d = 4; d >= 1; d--) {
      const bit = (path[0]! >> (7 - d)) & 1;
      expected = bit ? inner(Z48, expected) : inner(expected, Z48);
    }
    const ext = cat(Uint8Array.of(2, 1, 5), path, child, child.subarray(32));
    expect(toHex(hashSerialization(ext))).toBe(toHex(expected));
    // The extension's own trailer is not used.
    const otherTrailer = cat(Uint8Array.of(2, 1, 5), path, child, u64(999n), u64(7n));
    expect(toHex(hashSerialization(otherTrailer))).toBe(toHex(expected));
    // start ≥ end: no levels, the child digest itself.
    expect(toHex(hashSerialization(cat(Uint8Array.of(2, 5, 5), path, child, child.subarray(32))))).toBe(toHex(child));
  });

  it('throws BadProofError where Go panics', () => {
    for (const bad of [new Uint8Array(0), hex('0001020304'), cat(Uint8Array.of(2, 0, 1), new Uint8Array(40))]) {
      expect(() => hashSerialization(bad)).toThrow(BadProofError);
    }
    // An extension whose child digest cannot carry a sum/count trailer.
    expect(() => hashSerialization(cat(Uint8Array.of(2, 0, 1), new Uint8Array(32), new Uint8Array(8), new Uint8Array(16)))).toThrow(BadProofError);
  });
});

describe('validation and compaction (spec §8.3, §9.1–9.4)', () => {
  it('rejects malformed proofs with BadProofError', () => {
    const tooMany: SparseMerkleProof = { sideNodes: Array.from({ length: 257 }, () => Z48), nonMembershipLeafData: null, siblingData: null };
    expect(() => compactProof(tooMany)).toThrow(BadProofError);
    expect(() => compactProof({ ...memberProof, nonMembershipLeafData: new Uint8Array(32) })).toThrow(BadProofError);
    expect(() => compactProof({ ...memberProof, siblingData: hex('00ff') })).toThrow(BadProofError);
    const c = compactProof(memberProof);
    expect(() => decompactProof({ ...c, numSideNodes: 257 })).toThrow(BadProofError);
    expect(() => decompactProof({ ...c, numSideNodes: -1 })).toThrow(BadProofError);
    expect(() => decompactProof({ ...c, bitMask: cat(c.bitMask!, Uint8Array.of(0)) })).toThrow(BadProofError);
    expect(() => decompactProof({ ...c, sideNodes: c.sideNodes.slice(1) })).toThrow(BadProofError);
  });

  it('reports set bit-mask padding bits (a Go panic) as BadProofError', () => {
    // One side node, real; bit 0 clear but padding bit 1 set: the counts agree, decompaction runs dry.
    const p = { sideNodes: [], nonMembershipLeafData: null, bitMask: Uint8Array.of(0b0100_0000), numSideNodes: 1, siblingData: null };
    expect(() => decompactProof(p)).toThrow(BadProofError);
  });

  it('ignores compacted side nodes when NumSideNodes is 0 (spec §12 item 13)', () => {
    const p = { sideNodes: [Z48, Z48], nonMembershipLeafData: null, bitMask: null, numSideNodes: 0, siblingData: null };
    expect(decompactProof(p).sideNodes).toEqual([]);
  });

  it('validates closest proofs like Go', () => {
    const c = closestFromJson(vectors.closest.find((x) => x.proof.flipped_bits?.length)!.proof);
    expect(() => compactClosestProof(c)).not.toThrow();
    expect(() => compactClosestProof({ ...c, path: c.path.subarray(1) })).toThrow(BadProofError);
    expect(() => compactClosestProof({ ...c, depth: 257 })).toThrow(BadProofError);
    expect(() => compactClosestProof({ ...c, depth: -1 })).toThrow(BadProofError);
    expect(() => compactClosestProof({ ...c, flippedBits: [c.depth + 1] })).toThrow(BadProofError);
    expect(() => compactClosestProof({ ...c, closestProof: null })).toThrow(BadProofError);
    expect(() => compactClosestProof({ ...c, closestPath: c.closestPath.subarray(0, 1) })).toThrow(BadProofError);
    const cc = compactClosestProof(c);
    expect(() => decompactClosestProof({ ...cc, depth: hex('000001') })).toThrow(BadProofError);
    expect(() => decompactClosestProof({ ...cc, flippedBits: [hex('000001')] })).toThrow(BadProofError);
    expect(() => decompactClosestProof({ ...cc, closestProof: null })).toThrow(BadProofError);
    // Two-byte depth 256 is representable.
    expect(toHex(compactClosestProof({ ...c, path: c.closestPath, depth: 256, flippedBits: [] }).depth)).toBe('0100');
  });

  it('getValueHash strips the trailer, returns null without a value, rejects short values', () => {
    const c = closestFromJson(vectors.closest[0]!.proof);
    expect(toHex(getValueHash(c)!)).toBe(vectors.closest[0]!.get_value_hash);
    expect(getValueHash({ ...c, closestValueHash: null })).toBeNull();
    expect(toHex(getValueHash({ ...c, closestValueHash: new Uint8Array(16) })!)).toBe('');
    expect(() => getValueHash({ ...c, closestValueHash: new Uint8Array(15) })).toThrow(BadProofError);
  });
});

describe('verification quirks kept from Go (spec §9, §12)', () => {
  it('verifies the control and wraps sums modulo 2^64', () => {
    expect(verifySumProof(memberProof, ...memberArgs)).toBe(true);
    const [r, k, v, w, c] = memberArgs;
    expect(verifySumProof(memberProof, r, k, v, w + (1n << 64n), c + (1n << 64n))).toBe(true);
    expect(verifySumProof(memberProof, r, k, v, w - (1n << 64n), c)).toBe(true);
  });

  it('pads/truncates side nodes only when SiblingData is absent (spec §12 item 12)', () => {
    const i = memberProof.sideNodes.findIndex((s, j) => j > 0 && s.every((b) => b === 0));
    expect(i).toBeGreaterThan(0);
    const shortened = memberProof.sideNodes.map((s, j) => (j === i ? new Uint8Array(0) : s));
    expect(verifySumProof({ ...memberProof, sideNodes: shortened, siblingData: null }, ...memberArgs)).toBe(true);
    expect(verifySumProof({ ...memberProof, sideNodes: shortened }, ...memberArgs)).toBe(false);
    const longer = memberProof.sideNodes.map((s, j) => (j === 0 ? cat(s, hex('ff')) : s));
    expect(verifySumProof({ ...memberProof, sideNodes: longer, siblingData: null }, ...memberArgs)).toBe(true);
  });

  it('treats empty value + zero sum as exclusion, whatever the count', () => {
    const absent = vectors.prove.find((p) => !p.present)!;
    const proof = proofFromJson(absent.proof);
    const key = hex(absent.key);
    for (const count of [0n, 1n, 2n, (1n << 64n) - 1n]) {
      expect(verifySumProof(proof, root, key, new Uint8Array(0), 0n, count)).toBe(true);
    }
    expect(verifySumProof(proof, root, key, new Uint8Array(0), 1n, 0n)).toBe(false);
  });

  it('returns false (never throws) on exclusion data Go rejects or panics on', () => {
    const absent = vectors.prove.find((p) => p.exclusion_kind === 'other_leaf')!;
    const proof = proofFromJson(absent.proof);
    const key = hex(absent.key);
    const nmld = proof.nonMembershipLeafData!;
    expect(verifySumProof(proof, root, key, new Uint8Array(0), 0n, 0n)).toBe(true);
    const badPrefix = Uint8Array.from(nmld);
    badPrefix[0] = 1;
    expect(verifySumProof({ ...proof, nonMembershipLeafData: badPrefix }, root, key, new Uint8Array(0), 0n, 0n)).toBe(false);
    // Leaf data for the queried path itself is not an exclusion.
    const related = cat(Uint8Array.of(0), hex(absent.path), nmld.subarray(33));
    expect(verifySumProof({ ...proof, nonMembershipLeafData: related }, root, key, new Uint8Array(0), 0n, 0n)).toBe(false);
    expect(verifySumProof({ ...proof, nonMembershipLeafData: new Uint8Array(0) }, root, key, new Uint8Array(0), 0n, 0n)).toBe(false);
  });

  it('identity path hasher: keys shorter than 32 bytes are invalid, longer ones truncated', () => {
    const e = vectors.edge_cases.find((x) => x.path_hasher !== 'sha256')!;
    const p = e.prove[0]!;
    const proof = proofFromJson(p.proof);
    const args = [hex(e.root), hex(p.value!), BigInt(p.weight), 1n] as const;
    const opts = { pathHasher: 'identity' } as const;
    expect(verifySumProof(proof, args[0], hex(p.key), args[1], args[2], args[3], opts)).toBe(true);
    expect(verifySumProof(proof, args[0], cat(hex(p.key), hex('ff')), args[1], args[2], args[3], opts)).toBe(true);
    expect(verifySumProof(proof, args[0], hex(p.key).subarray(1), args[1], args[2], args[3], opts)).toBe(false);
    expect(verifySumProof(proof, args[0], hex(p.key), args[1], args[2], args[3])).toBe(false);
    const compact = compactProofFromJson(p.compact_proof);
    expect(verifyCompactSumProof(compact, args[0], hex(p.key), args[1], args[2], args[3], opts)).toBe(true);
  });

  it('closest proofs: short ClosestPath, short value, missing inner proof → false, no throw', () => {
    const c = closestFromJson(vectors.closest[0]!.proof);
    expect(verifyClosestProof(c, root)).toBe(true);
    expect(verifyClosestProof({ ...c, depth: 0, flippedBits: [], closestPath: c.closestPath.subarray(0, 3) }, root)).toBe(false);
    expect(verifyClosestProof({ ...c, closestValueHash: new Uint8Array(10) }, root)).toBe(false);
    expect(verifyClosestProof({ ...c, closestValueHash: new Uint8Array(0) }, root)).toBe(false);
    expect(verifyClosestProof({ ...c, closestProof: null }, root)).toBe(false);
    expect(verifyClosestProof({ ...c, flippedBits: [256], depth: 256 }, root)).toBe(false);
    // Longer ClosestPath is cut to 32 bytes, like Go's closest-proof path hasher.
    expect(verifyClosestProof({ ...c, closestPath: cat(c.closestPath, hex('00')) }, root)).toBe(true);
    // Depth 0 makes the prefix check vacuous: any Path passes (tampered quirk_depth0_any_leaf).
    expect(verifyClosestProof({ ...c, depth: 0, flippedBits: [], path: new Uint8Array(32) }, root)).toBe(true);
  });
});
