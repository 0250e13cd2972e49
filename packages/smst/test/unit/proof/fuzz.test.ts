/** Property tests: hostile bytes never throw, damage that matters is never accepted, round trips. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GobDecodeError } from '../../../src/errors.js';
import {
  checkClosestProofBytes,
  gobHeader,
  marshalSparseCompactMerkleClosestProof,
  marshalSparseCompactMerkleProof,
  marshalSparseMerkleClosestProof,
  marshalSparseMerkleProof,
  unmarshalSparseCompactMerkleClosestProof,
  unmarshalSparseCompactMerkleProof,
  unmarshalSparseMerkleClosestProof,
  unmarshalSparseMerkleProof,
  type SparseCompactMerkleClosestProof,
  type SparseCompactMerkleProof,
  type SparseMerkleClosestProof,
  type SparseMerkleProof,
} from '../../../src/proof/index.js';
import { hex, loose, scopes, toHex } from './vectors.js';

const STAGES = new Set(['unmarshal', 'decompact', 'verify', 'ok']);

/** Every valid compact closest proof in the vectors, with the byte ranges whose content matters. */
interface Base {
  label: string;
  bytes: Uint8Array;
  root: Uint8Array;
  sections: { name: string; start: number; end: number }[];
}

function indexOf(hay: Uint8Array, needle: Uint8Array, from = 0): number {
  outer: for (let i = from; i + needle.length <= hay.length; i++) {
    for (let j = 0; j < needle.length; j++) if (hay[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

const bases: Base[] = scopes.flatMap((s) =>
  s.closest
    .filter((c) => c.compact_proof_gob !== null && c.verify_compact_closest_proof_from_gob)
    .map((c): Base => {
      const bytes = hex(c.compact_proof_gob!);
      const p = unmarshalSparseCompactMerkleClosestProof(bytes);
      const sections: Base['sections'] = [];
      // Skip the header so that a search can only land inside the value message.
      const header = indexOf(bytes, p.path, 0);
      const add = (name: string, data: Uint8Array | null, from: number, len = data?.length ?? 0) => {
        if (!data || data.length === 0) return from;
        const at = indexOf(bytes, data, from);
        expect(at).toBeGreaterThan(0);
        if (len > 0) sections.push({ name, start: at, end: at + len });
        return at + data.length;
      };
      let at = add('path (bits below depth)', p.path, header, Math.floor(c.proof.depth / 8));
      // With no value the proof is an exclusion check: on an empty trie the path never enters a hash.
      if (p.closestValueHash !== null) at = add('closest path', p.closestPath.subarray(0, 32), at);
      at = add('closest value', p.closestValueHash, at);
      for (const [i, node] of p.closestProof!.sideNodes.entries()) at = add(`side node ${i}`, node, at);
      return { label: `${s.name}/${c.label}`, bytes, root: hex(s.root), sections };
    }),
).filter((b) => b.sections.length > 0);

const baseArb = fc.constantFrom(...bases);

describe('fuzz: checkClosestProofBytes', () => {
  it('has bases with damageable sections', () => {
    expect(bases.length).toBeGreaterThan(30);
    for (const b of bases) expect(checkClosestProofBytes(b.bytes, b.root)).toEqual({ valid: true, stage: 'ok' });
  });

  it('rejects a flipped byte in the path / closest path / value / side nodes of a valid proof', () => {
    fc.assert(
      fc.property(baseArb, fc.nat(), fc.nat(), fc.integer({ min: 1, max: 255 }), (b, s, o, mask) => {
        const section = b.sections[s % b.sections.length]!;
        const at = section.start + (o % (section.end - section.start));
        const bytes = Uint8Array.from(b.bytes);
        bytes[at]! ^= mask;
        const r = checkClosestProofBytes(bytes, b.root);
        expect(r.valid, `${b.label}: ${section.name} byte ${at}`).toBe(false);
        expect(STAGES.has(r.stage)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on byte flips anywhere', () => {
    fc.assert(
      fc.property(baseArb, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 4 }), (b, flips) => {
        const bytes = Uint8Array.from(b.bytes);
        for (const [o, mask] of flips) bytes[o % bytes.length]! ^= mask;
        const r = checkClosestProofBytes(bytes, b.root);
        expect(STAGES.has(r.stage)).toBe(true);
        expect(typeof r.valid).toBe('boolean');
      }),
      { numRuns: 3000 },
    );
  });

  it('rejects every truncation, never throwing', () => {
    fc.assert(
      fc.property(baseArb, fc.nat(), (b, n) => {
        const r = checkClosestProofBytes(b.bytes.subarray(0, n % b.bytes.length), b.root);
        expect(r).toMatchObject({ valid: false, stage: 'unmarshal' });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws on garbage, alone or after a valid header', () => {
    const header = gobHeader('SparseCompactMerkleClosestProof');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.boolean(), (junk, withHeader) => {
        const bytes = withHeader ? Uint8Array.from([...header, ...junk]) : junk;
        const r = checkClosestProofBytes(bytes, bases[0]!.root);
        expect(STAGES.has(r.stage)).toBe(true);
        for (const f of [unmarshalSparseMerkleProof, unmarshalSparseCompactMerkleProof, unmarshalSparseMerkleClosestProof, unmarshalSparseCompactMerkleClosestProof]) {
          try {
            f(bytes);
          } catch (e) {
            expect(e).toBeInstanceOf(GobDecodeError);
          }
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('never throws on inserted or deleted bytes', () => {
    fc.assert(
      fc.property(baseArb, fc.nat(), fc.uint8Array({ minLength: 0, maxLength: 8 }), fc.nat({ max: 8 }), (b, at, ins, del) => {
        const i = at % b.bytes.length;
        const bytes = Uint8Array.from([...b.bytes.subarray(0, i), ...ins, ...b.bytes.subarray(i + del)]);
        expect(STAGES.has(checkClosestProofBytes(bytes, b.root).stage)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});

// ---- round trips -------------------------------------------------------------------------------

const bytesArb = fc.uint8Array({ maxLength: 80 });
const nullableBytes = fc.option(bytesArb, { nil: null });
// `|| 0` folds -0 into 0: gob has no negative zero.
const goInt = fc.oneof(fc.integer({ min: -300, max: 300 }), fc.maxSafeInteger(), fc.maxSafeNat().map((n) => -n)).map((n) => n || 0);

const smpArb: fc.Arbitrary<SparseMerkleProof> = fc.record({
  sideNodes: fc.array(bytesArb, { maxLength: 12 }),
  nonMembershipLeafData: nullableBytes,
  siblingData: nullableBytes,
});
const scmpArb: fc.Arbitrary<SparseCompactMerkleProof> = fc.record({
  sideNodes: fc.array(bytesArb, { maxLength: 12 }),
  nonMembershipLeafData: nullableBytes,
  bitMask: nullableBytes,
  numSideNodes: goInt,
  siblingData: nullableBytes,
});
const smcpArb: fc.Arbitrary<SparseMerkleClosestProof> = fc.record({
  path: bytesArb,
  flippedBits: fc.array(goInt, { maxLength: 10 }),
  depth: goInt,
  closestPath: bytesArb,
  closestValueHash: nullableBytes,
  closestProof: fc.option(smpArb, { nil: null }),
});
const scmcpArb: fc.Arbitrary<SparseCompactMerkleClosestProof> = fc.record({
  path: bytesArb,
  flippedBits: fc.array(fc.uint8Array({ maxLength: 3 }), { maxLength: 10 }),
  depth: bytesArb,
  closestPath: bytesArb,
  closestValueHash: nullableBytes,
  closestProof: fc.option(scmpArb, { nil: null }),
});

describe('fuzz: marshal/unmarshal round trips', () => {
  const cases = [
    ['SparseMerkleProof', smpArb, marshalSparseMerkleProof, unmarshalSparseMerkleProof],
    ['SparseCompactMerkleProof', scmpArb, marshalSparseCompactMerkleProof, unmarshalSparseCompactMerkleProof],
    ['SparseMerkleClosestProof', smcpArb, marshalSparseMerkleClosestProof, unmarshalSparseMerkleClosestProof],
    ['SparseCompactMerkleClosestProof', scmcpArb, marshalSparseCompactMerkleClosestProof, unmarshalSparseCompactMerkleClosestProof],
  ] as const;

  it.each(cases)('%s', (_name, arb, marshal, unmarshal) => {
    fc.assert(
      fc.property(arb as fc.Arbitrary<never>, (p) => {
        const bytes = (marshal as (p: unknown) => Uint8Array)(p);
        const back = (unmarshal as (b: Uint8Array) => unknown)(bytes);
        expect(loose(back)).toEqual(loose(p));
        // Canonical: re-encoding the decoded value gives the same bytes.
        expect(toHex((marshal as (p: unknown) => Uint8Array)(back))).toBe(toHex(bytes));
      }),
      { numRuns: 500 },
    );
  });
});
