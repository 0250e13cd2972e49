/** Every entry of smst_proofs.json: gob bytes, compaction, and all recorded Go verdicts. */
import { describe, expect, it } from 'vitest';
import {
  checkClosestProofBytes,
  compactClosestProof,
  compactProof,
  decompactClosestProof,
  decompactProof,
  getValueHash,
  marshalSparseCompactMerkleClosestProof,
  marshalSparseCompactMerkleProof,
  marshalSparseMerkleClosestProof,
  marshalSparseMerkleProof,
  unmarshalSparseCompactMerkleClosestProof,
  unmarshalSparseCompactMerkleProof,
  unmarshalSparseMerkleClosestProof,
  unmarshalSparseMerkleProof,
  verifyClosestProof,
  verifyCompactClosestProof,
  verifyCompactSumProof,
  verifySumProof,
  type VerifyOptions,
} from '../../../src/proof/index.js';
import {
  closestFromJson,
  compactClosestFromJson,
  compactProofFromJson,
  hex,
  loose,
  proofFromJson,
  scopes,
  toHex,
  vectors,
  type ProveEntry,
} from './vectors.js';

describe.each(scopes)('vectors: $name', (scope) => {
  const root = hex(scope.root);
  const opts: VerifyOptions = { pathHasher: scope.identity ? 'identity' : 'sha256' };

  describe.each(scope.prove)('prove $label', (e: ProveEntry) => {
    const proof = proofFromJson(e.proof);
    const compact = compactProofFromJson(e.compact_proof);
    const key = hex(e.key);
    const value = e.value === null ? new Uint8Array(0) : hex(e.value);
    const weight = BigInt(e.weight);
    const count = e.present ? 1n : 0n;

    it('gob decodes to the recorded fields', () => {
      expect(loose(unmarshalSparseMerkleProof(hex(e.proof_gob)))).toEqual(loose(proof));
      expect(loose(unmarshalSparseCompactMerkleProof(hex(e.compact_proof_gob)))).toEqual(loose(compact));
    });

    it('gob encodes to the recorded bytes', () => {
      expect(toHex(marshalSparseMerkleProof(proof))).toBe(e.proof_gob);
      expect(toHex(marshalSparseCompactMerkleProof(compact))).toBe(e.compact_proof_gob);
    });

    it('compacts and decompacts like Go', () => {
      expect(loose(compactProof(proof))).toEqual(loose(compact));
      expect(loose(decompactProof(compact))).toEqual(loose(proof));
    });

    it('reaches every recorded verdict', () => {
      expect(verifySumProof(proof, root, key, value, weight, count, opts)).toBe(e.verify_sum_proof);
      const fromGob = unmarshalSparseMerkleProof(hex(e.proof_gob));
      expect(verifySumProof(fromGob, root, key, value, weight, count, opts)).toBe(e.verify_sum_proof_from_gob);
      const compactFromGob = unmarshalSparseCompactMerkleProof(hex(e.compact_proof_gob));
      expect(verifyCompactSumProof(compactFromGob, root, key, value, weight, count, opts)).toBe(
        e.verify_compact_sum_proof_from_gob,
      );
      expect(verifySumProof(proof, root, key, value, weight + 1n, count, opts)).toBe(e.verify_with_weight_plus_1);
      expect(verifySumProof(proof, root, key, value, weight, 2n, opts)).toBe(e.verify_with_count_2);
      if (e.verify_with_value_byte_flipped !== undefined) {
        const flipped = Uint8Array.from(value);
        flipped[0]! ^= 0x01;
        expect(verifySumProof(proof, root, key, flipped, weight, count, opts)).toBe(e.verify_with_value_byte_flipped);
      }
      if (e.verify_as_exclusion !== undefined) {
        expect(verifySumProof(proof, root, key, new Uint8Array(0), 0n, 0n, opts)).toBe(e.verify_as_exclusion);
      }
    });
  });

  describe.each(scope.closest)('closest $label', (e) => {
    const proof = closestFromJson(e.proof);

    it('verifies the in-memory proof like Go', () => {
      expect(verifyClosestProof(proof, root, opts)).toBe(e.verify_closest_proof);
    });

    if (e.go_panics) {
      // Go's ProveClosest panicked: there are no bytes, and the zero proof it stands for is invalid.
      it('has no proof bytes', () => {
        expect(e.proof_gob).toBeNull();
        expect(e.compact_proof_gob).toBeNull();
      });
      return;
    }

    const compact = compactClosestFromJson(e.compact_proof);
    const gob = hex(e.proof_gob!);
    const compactGob = hex(e.compact_proof_gob!);

    it('gob decodes to the recorded fields', () => {
      expect(loose(unmarshalSparseMerkleClosestProof(gob))).toEqual(loose(proof));
      expect(loose(unmarshalSparseCompactMerkleClosestProof(compactGob))).toEqual(loose(compact));
    });

    it('gob encodes to the recorded bytes', () => {
      expect(toHex(marshalSparseMerkleClosestProof(proof))).toBe(e.proof_gob);
      expect(toHex(marshalSparseCompactMerkleClosestProof(compact))).toBe(e.compact_proof_gob);
    });

    it('compacts and decompacts like Go', () => {
      expect(loose(compactClosestProof(proof))).toEqual(loose(compact));
      expect(loose(decompactClosestProof(compact))).toEqual(loose(proof));
    });

    it('extracts the value like GetValueHash', () => {
      const v = getValueHash(proof);
      expect(v === null ? null : toHex(v)).toBe(e.get_value_hash);
      const c = getValueHash(compact);
      expect(c === null ? null : toHex(c)).toBe(e.get_value_hash);
    });

    it('reaches every recorded verdict', () => {
      expect(verifyClosestProof(unmarshalSparseMerkleClosestProof(gob), root, opts)).toBe(e.verify_closest_proof_from_gob);
      expect(verifyCompactClosestProof(unmarshalSparseCompactMerkleClosestProof(compactGob), root, opts)).toBe(
        e.verify_compact_closest_proof_from_gob,
      );
      const check = checkClosestProofBytes(compactGob, root);
      expect(check.valid).toBe(e.verify_compact_closest_proof_from_gob);
    });
  });
});

describe.each(vectors.tampered)('tampered $label', (t) => {
  it('fails (or passes) at the same stage as Go, without throwing', () => {
    const bytes = hex(t.compact_proof_gob);
    const root = hex(t.root);
    const check = checkClosestProofBytes(bytes, root);
    const expectedStage = !t.unmarshal_ok ? 'unmarshal' : !t.decompact_ok ? 'decompact' : t.valid ? 'ok' : 'verify';
    expect({ stage: check.stage, valid: check.valid }).toEqual({ stage: expectedStage, valid: t.valid });
    if (!t.valid) expect(check.error).toBeTypeOf('string');

    // The same verdict through the individual public functions.
    let decoded;
    try {
      decoded = unmarshalSparseCompactMerkleClosestProof(bytes);
    } catch {
      expect(t.unmarshal_ok).toBe(false);
      return;
    }
    expect(t.unmarshal_ok).toBe(true);
    expect(verifyCompactClosestProof(decoded, root)).toBe(t.valid);
    let ok = true;
    try {
      decompactClosestProof(decoded);
    } catch {
      ok = false;
    }
    expect(ok).toBe(t.decompact_ok);
  });
});
