import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { fromHex } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  BASE_RELAY_DIFFICULTY_TARGET_INT,
  claimedUpokt,
  claimedUpoktWithParams,
  meterRelay,
  numEstimatedComputeUnits,
  numEstimatedRelays,
  refundRelay,
  relayCostUpokt,
  relayDifficultyMultiplier,
  relayMeterMaxUpokt,
  relayMeterPendingSessions,
} from '../../src/mining/index.js';

const VECTORS = new URL('../../../../../shared/vectors/protocol/', import.meta.url);
const claims = JSON.parse(readFileSync(new URL('claims_proofs.json', VECTORS), 'utf8')) as {
  claimed_upokt: {
    label: string;
    root_sum: string;
    root_count: string;
    target_hash: string;
    compute_units_to_tokens_multiplier: string;
    compute_unit_cost_granularity: string;
    difficulty_multiplier_num: string;
    difficulty_multiplier_den: string;
    num_estimated_compute_units: string | null;
    num_estimated_relays: string | null;
    claimed_upokt: string;
  }[];
};

const FF32 = fromHex('ff'.repeat(32));
const DEFAULT_SHARED = {
  numBlocksPerSession: 10n,
  claimWindowOpenOffsetBlocks: 1n,
  claimWindowCloseOffsetBlocks: 4n,
  proofWindowOpenOffsetBlocks: 0n,
  proofWindowCloseOffsetBlocks: 4n,
  computeUnitsToTokensMultiplier: 42_000_000n,
  computeUnitCostGranularity: 1_000_000n,
};

describe('claim pricing (claims_proofs.json claimed_upokt)', () => {
  it('has the 20 recorded cases', () => expect(claims.claimed_upokt).toHaveLength(20));

  for (const c of claims.claimed_upokt) {
    it(c.label, () => {
      const target = fromHex(c.target_hash);
      const sum = BigInt(c.root_sum);
      const m = relayDifficultyMultiplier(target);
      expect(m).toEqual({ num: BigInt(c.difficulty_multiplier_num), den: BigInt(c.difficulty_multiplier_den) });
      if (c.num_estimated_compute_units !== null) expect(numEstimatedComputeUnits(sum, target)).toBe(BigInt(c.num_estimated_compute_units));
      else expect(numEstimatedComputeUnits(sum, target) >= 1n << 64n).toBe(true);
      if (c.num_estimated_relays !== null) expect(numEstimatedRelays(sum, BigInt(c.root_count), target)).toBe(BigInt(c.num_estimated_relays));
      const cuttm = BigInt(c.compute_units_to_tokens_multiplier);
      const granularity = BigInt(c.compute_unit_cost_granularity);
      expect(claimedUpokt(sum, target, cuttm, granularity)).toBe(BigInt(c.claimed_upokt));
      expect(claimedUpoktWithParams(sum, target, { computeUnitsToTokensMultiplier: cuttm, computeUnitCostGranularity: granularity })).toBe(
        BigInt(c.claimed_upokt),
      );
    });
  }
});

describe('difficulty multiplier (spec §5.2)', () => {
  it('is 1 for the base target and 2^256 − 1 for target 1', () => {
    expect(relayDifficultyMultiplier(FF32)).toEqual({ num: 1n, den: 1n });
    expect(relayDifficultyMultiplier(fromHex('00'.repeat(31) + '01'))).toEqual({ num: BASE_RELAY_DIFFICULTY_TARGET_INT, den: 1n });
  });

  it('is just above 2 for 7fff…ff and just above 4 for 3fff…ff', () => {
    const two = relayDifficultyMultiplier(fromHex('7f' + 'ff'.repeat(31)));
    expect(two.num / two.den).toBe(2n);
    expect(two.num % two.den).toBe(1n);
    const four = relayDifficultyMultiplier(fromHex('3f' + 'ff'.repeat(31)));
    expect(four.num / four.den).toBe(4n);
  });

  it('reads a short target as a smaller integer, not as a left-aligned hash', () => {
    const m = relayDifficultyMultiplier(fromHex('ff'.repeat(31)));
    expect(m.num / m.den).toBe(256n);
  });

  it('rejects zero or empty targets', () => {
    expect(() => relayDifficultyMultiplier(new Uint8Array(32))).toThrow(InvalidArgumentError);
    expect(() => relayDifficultyMultiplier(new Uint8Array(0))).toThrow(InvalidArgumentError);
    expect(() => claimedUpokt(1n, new Uint8Array(0), 1n, 1n)).toThrow(/target/);
  });
});

describe('claimed uPOKT properties', () => {
  const target = fc.uint8Array({ minLength: 1, maxLength: 32 }).filter((b) => b.some((x) => x !== 0));
  const u64 = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });

  it('equals one floor of the exact product (never a double rounding)', () => {
    fc.assert(
      fc.property(u64, target, u64, fc.bigInt({ min: 1n, max: (1n << 64n) - 1n }), (sum, t, cuttm, gran) => {
        const tInt = BigInt('0x' + Buffer.from(t).toString('hex'));
        const expected = (sum * BASE_RELAY_DIFFICULTY_TARGET_INT * cuttm) / (tInt * gran);
        expect(claimedUpokt(sum, t, cuttm, gran)).toBe(expected);
      }),
    );
  });

  it('is monotone in the root sum', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), target, (sum, t) => {
        expect(claimedUpokt(sum + 1n, t, 42_000_000n, 1_000_000n) >= claimedUpokt(sum, t, 42_000_000n, 1_000_000n)).toBe(true);
      }),
    );
  });

  it('rejects out-of-range inputs', () => {
    expect(() => claimedUpokt(-1n, FF32, 1n, 1n)).toThrow(InvalidArgumentError);
    expect(() => claimedUpokt(1n << 64n, FF32, 1n, 1n)).toThrow(/uint64/);
    expect(() => claimedUpokt(1n, FF32, 1n, 0n)).toThrow(/Granularity/);
    expect(() => numEstimatedRelays(1n, -1n, FF32)).toThrow(InvalidArgumentError);
    expect(() => claimedUpokt(1 as unknown as bigint, FF32, 1n, 1n)).toThrow(/bigint/);
  });

  it('prices the spec §12.3 claim at 42 uPOKT', () => {
    expect(claimedUpokt(1n, FF32, 42_000_000n, 1_000_000n)).toBe(42n);
  });
});

describe('relay metering (spec §7)', () => {
  it('reproduces the worked example: max 3 333 333, cost 42, 79 365 relays', () => {
    expect(relayMeterPendingSessions(DEFAULT_SHARED)).toBe(2n);
    const max = relayMeterMaxUpokt(100_000_000n, 15n, DEFAULT_SHARED);
    expect(max).toBe(3_333_333n);
    const cost = relayCostUpokt(1n, DEFAULT_SHARED);
    expect(cost).toBe(42n);
    let state = { maxUpokt: max, consumedUpokt: 0n };
    let served = 0;
    for (;;) {
      const out = meterRelay(state, cost);
      if (out.overServicing) {
        expect(out.consumedUpokt).toBe(state.consumedUpokt);
        break;
      }
      served++;
      state = { ...state, consumedUpokt: out.consumedUpokt };
    }
    expect(served).toBe(79_365);
    expect(state.consumedUpokt).toBe(79_365n * 42n);
  });

  it('accepts a relay that lands exactly on the max and refunds optimistic charges', () => {
    expect(meterRelay({ maxUpokt: 84n, consumedUpokt: 42n }, 42n)).toEqual({ overServicing: false, consumedUpokt: 84n });
    expect(meterRelay({ maxUpokt: 83n, consumedUpokt: 42n }, 42n)).toEqual({ overServicing: true, consumedUpokt: 42n });
    expect(refundRelay({ maxUpokt: 84n, consumedUpokt: 84n }, 42n)).toEqual({ maxUpokt: 84n, consumedUpokt: 42n });
    expect(refundRelay({ maxUpokt: 84n, consumedUpokt: 10n }, 42n).consumedUpokt).toBe(0n);
  });

  it('floors the relay cost and validates its inputs', () => {
    expect(relayCostUpokt(7n, { computeUnitsToTokensMultiplier: 3n, computeUnitCostGranularity: 10n })).toBe(2n);
    expect(() => relayCostUpokt(1n, { computeUnitsToTokensMultiplier: 1n, computeUnitCostGranularity: 0n })).toThrow(InvalidArgumentError);
    expect(() => relayMeterMaxUpokt(1n, 0n, DEFAULT_SHARED)).toThrow(/numSuppliersPerSession/);
    expect(() => meterRelay({ maxUpokt: 1n, consumedUpokt: -1n }, 1n)).toThrow(InvalidArgumentError);
  });

  it('never lets consumption exceed the max', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.array(fc.bigInt({ min: 0n, max: 10n ** 6n }), { maxLength: 50 }), (max, costs) => {
        let state = { maxUpokt: max, consumedUpokt: 0n };
        for (const c of costs) {
          const out = meterRelay(state, c);
          expect(out.consumedUpokt <= max).toBe(true);
          state = { ...state, consumedUpokt: out.consumedUpokt };
        }
      }),
    );
  });

  it('counts the current session on top of the unsettled ones', () => {
    // tail 9 < N 100: one unsettled session + the current one.
    const longSessions = { ...DEFAULT_SHARED, numBlocksPerSession: 100n };
    expect(relayMeterPendingSessions(longSessions)).toBe(2n);
    expect(relayMeterMaxUpokt(29n, 3n, longSessions)).toBe(4n);
    // tail 9 with N 1: nine unsettled sessions + the current one.
    const shortSessions = { ...DEFAULT_SHARED, numBlocksPerSession: 1n };
    expect(relayMeterPendingSessions(shortSessions)).toBe(10n);
    expect(relayMeterMaxUpokt(1000n, 1n, shortSessions)).toBe(100n);
  });
});
