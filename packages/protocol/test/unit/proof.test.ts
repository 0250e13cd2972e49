import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, fromHex, toHex, utf8ToBytes } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  GO_RAND_COOKED,
  GoRandSource,
  goBinaryUvarint,
  goBinaryVarint,
  proofPath,
  proofRequirement,
  proofRequirementSampleValue,
  proofRequirementThresholdUpokt,
  seededFloat64,
  seededInt63,
  seededRandomSeed,
  type ProofParamsInput,
  type ProofRequirementInput,
} from '../../src/proof/index.js';
import type { pocket } from '../../src/wire/index.js';

// Compile-time guard: a decoded chain proof Params message can be passed straight in.
type DecodedProofParamsFit = pocket.proof.Params extends ProofParamsInput ? true : false;
const decodedProofParamsFit: DecodedProofParamsFit = true;

const VECTORS = new URL('../../../../../shared/vectors/protocol/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, VECTORS), 'utf8'));
const pr = load('proof_requirement.json');
const claims = load('claims_proofs.json');

type Row = Record<string, any>;

const view = new DataView(new ArrayBuffer(8));
function bits(x: number): string {
  view.setFloat64(0, x);
  return view.getBigUint64(0).toString(16).padStart(16, '0');
}
function fromBits(hex: string): number {
  view.setBigUint64(0, BigInt('0x' + hex));
  return view.getFloat64(0);
}

/** Go's binary.PutVarint, written independently of the decoder under test. */
function putVarint(x: bigint): Uint8Array {
  let ux = BigInt.asUintN(64, (x << 1n) ^ (x < 0n ? -1n : 0n));
  const out: number[] = [];
  while (ux >= 0x80n) {
    out.push(Number(ux & 0x7fn) | 0x80);
    ux >>= 7n;
  }
  out.push(Number(ux));
  return Uint8Array.from(out);
}

describe('Go math/rand source (proof_requirement.json math_rand_sources)', () => {
  it('carries Go’s 607-entry cooked table', () => {
    expect(GO_RAND_COOKED).toHaveLength(607);
    expect(Object.isFrozen(GO_RAND_COOKED)).toBe(true);
    for (const v of GO_RAND_COOKED) expect(v === BigInt.asIntN(64, v)).toBe(true);
    expect(GO_RAND_COOKED[0]).toBe(-4181792142133755926n);
    expect(GO_RAND_COOKED[606]).toBe(4152330101494654406n);
  });

  it('covers the 14 recorded seeds, including 0, ±(2^31 − 1) multiples and the int64 extremes', () => {
    const seeds = pr.math_rand_sources.map((s: Row) => BigInt(s.seed));
    expect(seeds).toHaveLength(14);
    for (const s of [0n, 2147483647n, -2147483647n, (1n << 63n) - 1n, -(1n << 63n)]) expect(seeds).toContain(s);
  });

  for (const src of pr.math_rand_sources as Row[]) {
    it(`seed ${src.seed}`, () => {
      const ints = new GoRandSource(BigInt(src.seed));
      expect(src.int63_first_5.map(() => ints.int63())).toEqual(src.int63_first_5.map(BigInt));
      const floats = new GoRandSource(BigInt(src.seed));
      expect(src.float64_first_3_bits.map(() => bits(floats.float64()))).toEqual(src.float64_first_3_bits);
    });
  }

  it('seeds 0 and 89482311 (and multiples of 2^31 − 1) identically', () => {
    const a = new GoRandSource(0n).int63();
    expect(new GoRandSource(89482311n).int63()).toBe(a);
    expect(new GoRandSource(2147483647n * 5n).int63()).toBe(a);
    expect(new GoRandSource(1n).int63()).toBe(5577006791947779410n);
  });

  it('re-seeding restarts the sequence', () => {
    const src = new GoRandSource(42n);
    const first = [src.int63(), src.int63()];
    src.seed(42n);
    expect([src.int63(), src.int63()]).toEqual(first);
  });

  it('Float64 draws again when Int63 / 2^63 rounds to exactly 1', () => {
    class Rigged extends GoRandSource {
      private readonly queue = [(1n << 63n) - 1n, (1n << 63n) - 512n, 1n << 62n];
      override int63(): bigint {
        return this.queue.shift()!;
      }
    }
    // 2^63 − 1 and 2^63 − 512 both round to 2^63 (f = 1): both are skipped.
    expect(new Rigged(1n).float64()).toBe(0.5);
  });

  it('produces Int63 in [0, 2^63) and Float64 in [0, 1)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (seed) => {
        const src = new GoRandSource(seed);
        const i = src.int63();
        expect(i >= 0n && i < 1n << 63n).toBe(true);
        const f = src.float64();
        expect(f >= 0 && f < 1).toBe(true);
      }),
      { numRuns: 30 },
    );
  });

  it('rejects seeds outside int64', () => {
    expect(() => new GoRandSource(1n << 63n)).toThrow(InvalidArgumentError);
    expect(() => new GoRandSource(1 as unknown as bigint)).toThrow(InvalidArgumentError);
  });
});

describe('Go binary.Varint', () => {
  it('decodes every int64 that PutVarint encodes, with its length', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.uint8Array({ maxLength: 4 }), (x, tail) => {
        const enc = putVarint(x);
        expect(goBinaryVarint(concatBytes(enc, tail))).toEqual({ value: x, bytesRead: enc.length });
      }),
    );
  });

  it('follows Go’s error conventions', () => {
    expect(goBinaryUvarint(new Uint8Array(0))).toEqual({ value: 0n, bytesRead: 0 });
    expect(goBinaryUvarint(fromHex('8080'))).toEqual({ value: 0n, bytesRead: 0 });
    // 9 continuation bytes then a 10th byte > 1: overflow after 10 bytes.
    expect(goBinaryVarint(fromHex('ff'.repeat(9) + '02'))).toEqual({ value: 0n, bytesRead: -10 });
    expect(goBinaryUvarint(fromHex('ff'.repeat(9) + '01'))).toEqual({ value: (1n << 64n) - 1n, bytesRead: 10 });
    // 10 continuation bytes: overflow detected at the 11th.
    expect(goBinaryVarint(fromHex('ff'.repeat(10) + '00'))).toEqual({ value: 0n, bytesRead: -11 });
    expect(goBinaryVarint(fromHex('01'))).toEqual({ value: -1n, bytesRead: 1 });
    expect(goBinaryVarint(fromHex('02'))).toEqual({ value: 1n, bytesRead: 1 });
  });
});

describe('seeded randomness (proof_requirement.json seeded_random and spec §6.4)', () => {
  for (const r of pr.seeded_random as Row[]) {
    it(r.label, () => {
      const parts = r.seed_parts.map(fromHex);
      const seed = seededRandomSeed(...parts);
      expect(toHex(seed.digest)).toBe(r.seed_sha256);
      expect(seed.varintBytesRead).toBe(r.varint_bytes_read);
      expect(seed.seed).toBe(BigInt(r.varint_seed));
      expect(bits(seededFloat64(...parts))).toBe(r.seeded_float64_bits);
      expect(seededInt63(...parts)).toBe(BigInt(r.seeded_int63));
    });
  }

  it('covers every varint length 1…10 and both overflow forms', () => {
    const lengths = new Set((pr.seeded_random as Row[]).map((r) => r.varint_bytes_read));
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, -10, -11]) expect(lengths.has(n)).toBe(true);
  });

  it('reproduces the spec §6.4 table', () => {
    const rows: [Uint8Array, bigint, number, bigint][] = [
      [new Uint8Array(0), -69766194n, 0.25352049889175265, 2338313880247663383n],
      [utf8ToBytes('abc'), 7709n, 0.35727663082120725, 3295295286138010165n],
      [fromHex('251665c7cf286a30fbd98acd983c63e9a34efc16496511373405e24eb02a8fb9'), -43n, 0.9725818115077456, 8970483883814102741n],
    ];
    for (const [bytes, seed, f, i] of rows) {
      expect(seededRandomSeed(bytes).seed).toBe(seed);
      expect(seededFloat64(bytes)).toBe(f);
      expect(seededInt63(bytes)).toBe(i);
    }
  });

  it('reproduces the spec §6.1 legacy per-supplier offset example', () => {
    const blockHash = fromHex('c7a39820ed8d6e27665630263503b84475f51a8a179e52cdbaa1257c5f4063a2');
    const supplier = utf8ToBytes('pokt18udq6v5rdwrepyx4asl87tdd0sqvqw47mtfd95');
    expect(seededRandomSeed(blockHash, supplier).seed).toBe(402891n);
    const n = seededInt63(blockHash, supplier);
    expect(n).toBe(1037464620935737571n);
    expect(n % 4n).toBe(3n);
  });
});

describe('proof path (claims_proofs.json proof_paths and spec §6.3)', () => {
  for (const p of claims.proof_paths as Row[]) {
    it(p.label, () => expect(toHex(proofPath(fromHex(p.block_hash), p.session_id))).toBe(p.path));
  }

  it('hashes the session id text, not its hex-decoded bytes (spec §12.3)', () => {
    const seedBlock = sha256(utf8ToBytes('example-block-25'));
    expect(toHex(seedBlock)).toBe('6a0e864f4d74e42321f47e1ff8585dcf69db0870a8e723691f7651c41dfa7560');
    const id = '09f9b50e9f1b0c24419b3aab7f9e9bb8b5f73f623a4a1bdd365bad87396ec18c';
    expect(toHex(proofPath(seedBlock, id))).toBe('508d951a260f55e779b49c1a5e4385faef4ab51982c1ad32834ddbecdbc2449a');
    expect(toHex(proofPath(seedBlock, id))).not.toBe(toHex(sha256(concatBytes(seedBlock, fromHex(id)))));
  });
});

function decisionInput(d: Row): ProofRequirementInput {
  return {
    claimHash: fromHex(d.claim_hash),
    proofSeedBlockHash: fromHex(d.proof_seed_block_hash),
    rootSum: BigInt(d.root_sum),
    targetHash: fromHex(d.relay_difficulty_target_hash),
    computeUnitsToTokensMultiplier: BigInt(d.compute_units_to_tokens_multiplier),
    computeUnitCostGranularity: BigInt(d.compute_unit_cost_granularity),
    proofRequirementThresholdUpokt: BigInt(d.proof_requirement_threshold_upokt),
    proofRequestProbability: fromBits(d.proof_request_probability_bits),
  };
}

describe('proof requirement decisions (proof_requirement.json decisions)', () => {
  it('has 4 THRESHOLD, 8 PROBABILISTIC and 18 NOT_REQUIRED cases', () => {
    const count = (r: string) => pr.decisions.filter((d: Row) => d.proof_requirement_reason === r).length;
    expect([count('THRESHOLD'), count('PROBABILISTIC'), count('NOT_REQUIRED')]).toEqual([4, 8, 18]);
  });

  for (const d of pr.decisions as Row[]) {
    it(d.label, () => {
      expect(toHex(sha256(fromHex(d.claim_bytes)))).toBe(d.claim_hash);
      const input = decisionInput(d);
      const out = proofRequirement(input);
      expect(out.reason).toBe(d.proof_requirement_reason);
      expect(out.required).toBe(d.proof_required);
      expect(out.claimedUpokt).toBe(BigInt(d.claimed_upokt));
      expect(bits(out.sample)).toBe(d.sample_value_bits);
      expect(bits(proofRequirementSampleValue(input.claimHash, input.proofSeedBlockHash))).toBe(d.sample_value_bits);
      expect(seededRandomSeed(fromHex(d.sample_seed)).seed).toBe(BigInt(d.sample_varint_seed));
      expect(out.claimedUpokt >= input.proofRequirementThresholdUpokt).toBe(d.claimed_upokt_gte_threshold);
      expect(out.sample <= input.proofRequestProbability).toBe(d.sample_lte_probability);
    });
  }

  it('decides the spec §12.3 claim: 42 uPOKT, sample 0.8238693252583832 > 0.25 → not required', () => {
    const out = proofRequirement({
      claimHash: fromHex('977186c6172bbd4444f9483d69470f2c6b8668c4958d5c17977f7518ee8989f0'),
      proofSeedBlockHash: sha256(utf8ToBytes('example-block-25')),
      rootSum: 1n,
      targetHash: fromHex('ff'.repeat(32)),
      computeUnitsToTokensMultiplier: 42_000_000n,
      computeUnitCostGranularity: 1_000_000n,
      proofRequirementThresholdUpokt: 20_000_000n,
      proofRequestProbability: 0.25,
    });
    expect(out).toEqual({ reason: 'NOT_REQUIRED', required: false, claimedUpokt: 42n, sample: 0.8238693252583832 });
    expect(seededRandomSeed(fromHex('977186c6172bbd4444f9483d69470f2c6b8668c4958d5c17977f7518ee8989f0'), sha256(utf8ToBytes('example-block-25'))).seed).toBe(-38n);
  });

  it('checks the threshold before the sample and compares the sample with ≤', () => {
    const base = decisionInput(pr.decisions.find((d: Row) => d.label === 'default-small'));
    const sample = proofRequirementSampleValue(base.claimHash, base.proofSeedBlockHash);
    expect(proofRequirement({ ...base, proofRequestProbability: sample }).reason).toBe('PROBABILISTIC');
    const below = fromBits((BigInt('0x' + bits(sample)) - 1n).toString(16).padStart(16, '0'));
    expect(proofRequirement({ ...base, proofRequestProbability: below }).reason).toBe('NOT_REQUIRED');
    expect(proofRequirement({ ...base, proofRequestProbability: 1, proofRequirementThresholdUpokt: 0n }).reason).toBe('THRESHOLD');
  });

  it('rejects bad inputs with typed errors', () => {
    const base = decisionInput(pr.decisions[0]);
    const bad: Partial<ProofRequirementInput>[] = [
      { claimHash: new Uint8Array(31) },
      { proofRequestProbability: Number.NaN },
      { proofRequestProbability: 1.5 },
      { proofRequestProbability: -0.1 },
      { proofRequirementThresholdUpokt: -1n },
      { rootSum: -1n },
      { targetHash: new Uint8Array(32) },
      { computeUnitCostGranularity: 0n },
    ];
    for (const patch of bad) expect(() => proofRequirement({ ...base, ...patch })).toThrow(InvalidArgumentError);
    expect(() => proofRequirement(null as unknown as ProofRequirementInput)).toThrow(InvalidArgumentError);
  });

  it('reads the threshold from decoded proof params', () => {
    expect(decodedProofParamsFit).toBe(true);
    const params = { proofRequestProbability: 0.25, proofRequirementThreshold: { denom: 'upokt', amount: '20000000' } };
    expect(proofRequirementThresholdUpokt(params)).toBe(20_000_000n);
    expect(() => proofRequirementThresholdUpokt({ proofRequestProbability: 0.25 })).toThrow(InvalidArgumentError);
    expect(() => proofRequirementThresholdUpokt({ ...params, proofRequirementThreshold: { denom: 'pokt', amount: '1' } })).toThrow(/denom/);
    expect(() => proofRequirementThresholdUpokt({ ...params, proofRequirementThreshold: { denom: 'upokt', amount: '-1' } })).toThrow(InvalidArgumentError);
  });
});
