// proof_requirement.json: Go math/rand sources, SeededFloat64/SeededInt63, full proof-requirement
// decisions. The claim hash is taken from the JSON (claim encoding is the wire area's job) and
// only checked to be sha256 of the recorded claim bytes.
import { sha256 } from '@noble/hashes/sha2.js';
import {
  GoRandSource,
  claimedUpokt,
  concatBytes,
  fromHex,
  numEstimatedComputeUnits,
  proofRequirement,
  proofRequirementSampleValue,
  readU64be,
  seededFloat64,
  seededInt63,
  seededRandomSeed,
  toHex,
} from '@relayminer/protocol';
import { floatBits, floatFromBits, guarded } from '../checks.mjs';

export default async (json, check) => {
  for (const src of json.math_rand_sources) {
    guarded(check, `math_rand_sources seed=${src.seed}`, () => {
      const tag = `math_rand_sources seed=${src.seed}`;
      const ints = new GoRandSource(BigInt(src.seed));
      src.int63_first_5.forEach((want, i) => {
        const got = ints.int63();
        check(`${tag} Int63 #${i}`, got === BigInt(want), `got ${got}, want ${want}`);
      });
      const floats = new GoRandSource(BigInt(src.seed));
      src.float64_first_3_bits.forEach((want, i) => {
        const got = floatBits(floats.float64());
        check(`${tag} Float64 #${i} bits`, got === want, `got ${got}, want ${want}`);
      });
    });
  }

  for (const r of json.seeded_random) {
    guarded(check, `seeded_random ${r.label}`, () => {
      const tag = `seeded_random ${r.label}`;
      const parts = r.seed_parts.map(fromHex);
      const seed = seededRandomSeed(...parts);
      check(`${tag} seed_sha256`, toHex(seed.digest) === r.seed_sha256, toHex(seed.digest));
      check(`${tag} varint_bytes_read`, seed.varintBytesRead === r.varint_bytes_read, `got ${seed.varintBytesRead}`);
      check(`${tag} varint_seed`, seed.seed === BigInt(r.varint_seed), `got ${seed.seed}`);
      const f = floatBits(seededFloat64(...parts));
      check(`${tag} seeded_float64_bits`, f === r.seeded_float64_bits, `got ${f}`);
      const i = seededInt63(...parts);
      check(`${tag} seeded_int63`, i === BigInt(r.seeded_int63), `got ${i}`);
    });
  }

  for (const d of json.decisions) {
    guarded(check, `decisions ${d.label}`, () => {
      const tag = `decisions ${d.label}`;
      const claimHash = fromHex(d.claim_hash);
      const blockHash = fromHex(d.proof_seed_block_hash);
      const target = fromHex(d.relay_difficulty_target_hash);
      const rootHash = fromHex(d.claim.root_hash);
      check(`${tag} root_sum = BE64 in root_hash`, readU64be(rootHash, 32) === BigInt(d.root_sum));
      check(`${tag} root_count = BE64 in root_hash`, readU64be(rootHash, 40) === BigInt(d.root_count));
      check(`${tag} claim_hash = H(claim_bytes)`, toHex(sha256(fromHex(d.claim_bytes))) === d.claim_hash);
      const probability = floatFromBits(d.proof_request_probability_bits);
      check(`${tag} probability bits/number agree`, probability === d.proof_request_probability);

      const sampleSeed = concatBytes(claimHash, blockHash);
      check(`${tag} sample_seed`, toHex(sampleSeed) === d.sample_seed);
      const seed = seededRandomSeed(sampleSeed);
      check(`${tag} sample_varint_seed`, seed.seed === BigInt(d.sample_varint_seed), `got ${seed.seed}`);
      const sampleBits = floatBits(proofRequirementSampleValue(claimHash, blockHash));
      check(`${tag} sample_value_bits`, sampleBits === d.sample_value_bits, `got ${sampleBits}`);

      const sum = BigInt(d.root_sum);
      const cuttm = BigInt(d.compute_units_to_tokens_multiplier);
      const granularity = BigInt(d.compute_unit_cost_granularity);
      const estimated = numEstimatedComputeUnits(sum, target);
      // null = does not fit Go's uint64 (its value is undefined there); the exact value must then be ≥ 2^64.
      const wantEstimated = d.num_estimated_compute_units;
      check(
        `${tag} num_estimated_compute_units`,
        wantEstimated === null ? estimated >= 1n << 64n : estimated === BigInt(wantEstimated),
        `got ${estimated}`,
      );
      const claimed = claimedUpokt(sum, target, cuttm, granularity);
      check(`${tag} claimed_upokt`, claimed === BigInt(d.claimed_upokt), `got ${claimed}`);

      const decision = proofRequirement({
        claimHash,
        proofSeedBlockHash: blockHash,
        rootSum: sum,
        targetHash: target,
        computeUnitsToTokensMultiplier: cuttm,
        computeUnitCostGranularity: granularity,
        proofRequirementThresholdUpokt: BigInt(d.proof_requirement_threshold_upokt),
        proofRequestProbability: probability,
      });
      check(`${tag} decision.claimedUpokt`, decision.claimedUpokt === BigInt(d.claimed_upokt), `got ${decision.claimedUpokt}`);
      check(`${tag} decision.sample bits`, floatBits(decision.sample) === d.sample_value_bits);
      const gte = decision.claimedUpokt >= BigInt(d.proof_requirement_threshold_upokt);
      check(`${tag} claimed_upokt_gte_threshold`, gte === d.claimed_upokt_gte_threshold);
      check(`${tag} sample_lte_probability`, (decision.sample <= probability) === d.sample_lte_probability);
      check(`${tag} proof_requirement_reason`, decision.reason === d.proof_requirement_reason, `got ${decision.reason}`);
      check(`${tag} proof_required`, decision.required === d.proof_required, `got ${decision.required}`);
    });
  }
};
