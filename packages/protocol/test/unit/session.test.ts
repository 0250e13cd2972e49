import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { fromHex, toHex, u64le, utf8ToBytes } from '../../src/bytes.js';
import { InvalidArgumentError } from '../../src/errors.js';
import {
  claimWindowCloseHeight,
  claimWindowOpenHeight,
  computeSessionId,
  isSessionEndHeight,
  isSessionGracePeriodElapsed,
  isSessionStartHeight,
  nextSessionStartHeight,
  numPendingSessions,
  proofRequirementSeedBlockHeight,
  proofWindowCloseHeight,
  proofWindowOpenHeight,
  selectSessionSuppliers,
  sessionEndHeight,
  sessionGracePeriodEndHeight,
  sessionIdFromPreimage,
  sessionIdPreimage,
  sessionLifecycleHeights,
  sessionNumber,
  sessionStartHeight,
  settlementHeight,
  sortSuppliersBySelectionWeight,
  supplierSelectionWeight,
  supplierWeightSeed,
  type ComputeUnitPricingParamsInput,
  type SessionLifecycleHeights,
  type SharedSessionParamsInput,
} from '../../src/session/index.js';
import type { pocket } from '../../src/wire/index.js';

// Compile-time guard: a decoded chain shared Params message can be passed straight in.
type DecodedSharedParamsFit = pocket.shared.Params extends SharedSessionParamsInput & ComputeUnitPricingParamsInput ? true : false;
const decodedSharedParamsFit: DecodedSharedParamsFit = true;

const VECTORS = new URL('../../../../../shared/vectors/protocol/', import.meta.url);
const sessions = JSON.parse(readFileSync(new URL('sessions.json', VECTORS), 'utf8'));

type Row = Record<string, unknown>;

function toParams(p: Row): SharedSessionParamsInput {
  return {
    numBlocksPerSession: BigInt(p.num_blocks_per_session as number),
    gracePeriodEndOffsetBlocks: BigInt(p.grace_period_end_offset_blocks as number),
    claimWindowOpenOffsetBlocks: BigInt(p.claim_window_open_offset_blocks as number),
    claimWindowCloseOffsetBlocks: BigInt(p.claim_window_close_offset_blocks as number),
    proofWindowOpenOffsetBlocks: BigInt(p.proof_window_open_offset_blocks as number),
    proofWindowCloseOffsetBlocks: BigInt(p.proof_window_close_offset_blocks as number),
    sessionGridAnchorHeight: BigInt(p.session_grid_anchor_height as number),
    sessionNumberAtAnchor: BigInt(p.session_number_at_anchor as number),
  };
}
const params = new Map<string, SharedSessionParamsInput>(sessions.params.map((p: Row) => [p.label, toParams(p)]));

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
const FIELD_RENAMES: Record<string, string> = { gracePeriodEndHeight: 'grace_period_end_height' };

function expected(row: Row): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const probe = sessionLifecycleHeights(params.get('n1')!, 1n);
  for (const key of Object.keys(probe) as (keyof SessionLifecycleHeights)[]) {
    const v = row[FIELD_RENAMES[key] ?? snake(key)];
    out[key] = typeof v === 'boolean' ? v : BigInt(v as number);
  }
  return out;
}

const DEFAULT: SharedSessionParamsInput = {
  numBlocksPerSession: 10n,
  gracePeriodEndOffsetBlocks: 1n,
  claimWindowOpenOffsetBlocks: 1n,
  claimWindowCloseOffsetBlocks: 4n,
  proofWindowOpenOffsetBlocks: 0n,
  proofWindowCloseOffsetBlocks: 4n,
  sessionGridAnchorHeight: 0n,
  sessionNumberAtAnchor: 0n,
};

describe('session grid and windows (sessions.json windows)', () => {
  it('has the 67 recorded rows', () => expect(sessions.windows).toHaveLength(67));

  for (const row of sessions.windows as Row[]) {
    it(`${row.params} at height ${row.query_height}`, () => {
      const got = sessionLifecycleHeights(params.get(row.params as string)!, BigInt(row.query_height as number));
      expect(got).toEqual(expected(row));
    });
  }
});

describe('grace period (sessions.json grace_checks)', () => {
  for (const g of sessions.grace_checks as Row[]) {
    it(`${g.params} E=${g.session_end_height} current=${g.current_height}`, () => {
      const p = params.get(g.params as string)!;
      const end = BigInt(g.session_end_height as number);
      expect(sessionGracePeriodEndHeight(p, end)).toBe(BigInt(g.grace_period_end_height as number));
      expect(isSessionGracePeriodElapsed(p, end, BigInt(g.current_height as number))).toBe(g.grace_period_elapsed);
    });
  }
});

describe('spec worked examples', () => {
  const n4 = { ...DEFAULT, numBlocksPerSession: 4n };

  it('§4.3 legacy grid with N = 4', () => {
    const cases: [bigint, bigint, bigint, bigint][] = [
      [1n, 1n, 4n, 1n],
      [5n, 5n, 8n, 2n],
      [6n, 5n, 8n, 2n],
      [10n, 9n, 12n, 3n],
    ];
    for (const [h, start, end, num] of cases) {
      expect([sessionStartHeight(n4, h), sessionEndHeight(n4, h), sessionNumber(n4, h)]).toEqual([start, end, num]);
    }
  });

  it('§4.3 anchored grid: genesis N = 60, then N = 7 anchored at 181 (number 4)', () => {
    const genesis = { ...DEFAULT, numBlocksPerSession: 60n };
    const anchored = { ...DEFAULT, numBlocksPerSession: 7n, sessionGridAnchorHeight: 181n, sessionNumberAtAnchor: 4n };
    expect([sessionStartHeight(genesis, 130n), sessionEndHeight(genesis, 130n)]).toEqual([121n, 180n]);
    for (let h = 181n; h <= 187n; h++) {
      expect([sessionStartHeight(anchored, h), sessionEndHeight(anchored, h), sessionNumber(anchored, h)]).toEqual([181n, 187n, 4n]);
    }
    expect([sessionStartHeight(anchored, 188n), sessionEndHeight(anchored, 188n), sessionNumber(anchored, 188n)]).toEqual([188n, 194n, 5n]);
    // Below the anchor the genesis grid applies (anchor 1, number 1).
    expect([sessionStartHeight(anchored, 180n), sessionNumber(anchored, 180n)]).toEqual([176n, 26n]);
  });

  it('§6.1 worked table: default params, session [11, 20]', () => {
    for (const h of [11n, 15n, 20n]) {
      const w = sessionLifecycleHeights(DEFAULT, h);
      expect(w).toMatchObject({
        sessionStartHeight: 11n,
        sessionEndHeight: 20n,
        gracePeriodEndHeight: 21n,
        claimWindowOpenHeight: 22n,
        earliestSupplierClaimCommitHeight: 22n,
        claimWindowCloseHeight: 26n,
        proofWindowOpenHeight: 26n,
        earliestSupplierProofCommitHeight: 26n,
        proofRequirementSeedBlockHeight: 25n,
        proofWindowCloseHeight: 30n,
        settlementHeight: 30n,
      });
    }
  });

  it('heights ≤ 0 give session 0 but the window helpers still add offsets', () => {
    for (const h of [0n, -1n, -(1n << 63n)]) {
      expect([sessionStartHeight(DEFAULT, h), sessionEndHeight(DEFAULT, h), sessionNumber(DEFAULT, h)]).toEqual([0n, 0n, 0n]);
      expect(claimWindowOpenHeight(DEFAULT, h)).toBe(2n);
      expect(proofWindowCloseHeight(DEFAULT, h)).toBe(10n);
    }
    expect(isSessionStartHeight(DEFAULT, 0n)).toBe(true);
    expect(isSessionStartHeight(DEFAULT, -5n)).toBe(false);
  });
});

describe('session ids (sessions.json session_ids and spec §4.2)', () => {
  for (const c of sessions.session_ids as Row[]) {
    it(c.label as string, () => {
      const p = params.get(c.params as string)!;
      const start = sessionStartHeight(p, BigInt(c.query_height as number));
      expect(start).toBe(BigInt(c.session_start_height as number));
      expect(toHex(u64le(start))).toBe(c.session_start_height_le64);
      const input = {
        blockHashAtSessionStart: fromHex(c.block_hash_at_session_start as string),
        serviceId: c.service_id as string,
        applicationAddress: c.application_address as string,
        sessionStartHeight: start,
      };
      const preimage = sessionIdPreimage(input);
      expect(toHex(preimage)).toBe(c.session_id_preimage);
      expect(computeSessionId(input)).toBe(c.session_id);
      expect(sessionIdFromPreimage(preimage)).toBe(c.session_id);
      if (c.repo_expected_session_id) expect(computeSessionId(input)).toBe(c.repo_expected_session_id);
    });
  }

  it('reproduces the spec §4.2 table', () => {
    const app1 = 'pokt1mdccn4u38eyjdxkk4h0jaddw4n3c72u82m5m9e';
    const hash5 = '261594ddc3c8afc5b4c63f59ee58e89d3a115bcd164c83fd79349de0b1ffd21d';
    const rows: [bigint, string, string, string, string][] = [
      [1n, '1b1051b7bf236fea13efa65b6be678514fa5b6ea0ae9a7a4b68d45f95e4f18e0', 'svc1', app1, 'afd00273055a4fddc0beb30074e14d474c07f9e895d2795db006a5139048d54b'],
      [5n, hash5, 'svc1', app1, 'e161348f2153bb41092040c3c287596f8daf98e90986475be21412a1ded945ed'],
      [9n, '251665c7cf286a30fbd98acd983c63e9a34efc16496511373405e24eb02a8fb9', 'svc1', app1, 'fea5d6f7544ff6d8af5c22529b2ccf01ed7930b3d454d42dda5ccc0b65b6ebfd'],
      [5n, hash5, 'svc12', app1, 'c01eb8924dbb9dae7cab8ed56016ce8fdd2d23542f9e0b7ca8d6972d3fb45ce5'],
      [5n, hash5, 'svc12', 'pokt133amv5suh75zwkxxcq896azvmmwszg99grvk9f', 'f6dbe4961afd8ff0e444a1159d02bc645f9ded3daaa605c187e6bd7ee2232a68'],
    ];
    for (const [start, hash, serviceId, app, id] of rows) {
      expect(computeSessionId({ blockHashAtSessionStart: fromHex(hash), serviceId, applicationAddress: app, sessionStartHeight: start })).toBe(id);
    }
  });

  it('reproduces the spec §12.3 session id', () => {
    expect(
      computeSessionId({
        blockHashAtSessionStart: sha256(utf8ToBytes('example-block-11')),
        serviceId: 'anvil',
        applicationAddress: 'pokt1mrqt5f7qh8uxs27cjm9t7v9e74a9vvdnq5jva4',
        sessionStartHeight: 11n,
      }),
    ).toBe('09f9b50e9f1b0c24419b3aab7f9e9bb8b5f73f623a4a1bdd365bad87396ec18c');
  });

  it('uses SHA3-256 (FIPS 202) of the documented preimage', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.string(), fc.string(), fc.bigInt({ min: 0n, max: (1n << 63n) - 1n }), (hash, svc, app, start) => {
        const input = { blockHashAtSessionStart: hash, serviceId: svc, applicationAddress: app, sessionStartHeight: start };
        const manual = new Uint8Array([...hash, 0x2e, ...utf8ToBytes(svc), 0x2e, ...utf8ToBytes(app), 0x2e, ...u64le(start)]);
        expect(sessionIdPreimage(input)).toEqual(manual);
        expect(computeSessionId(input)).toBe(toHex(sha3_256(manual)));
      }),
      { numRuns: 50 },
    );
  });
});

describe('supplier selection (sessions.json supplier_selection)', () => {
  for (const s of sessions.supplier_selection as Row[]) {
    it(s.label as string, () => {
      const preimage = fromHex(s.session_id_preimage as string);
      const candidates = s.candidates as Row[];
      for (const c of candidates) {
        expect(toHex(supplierWeightSeed(preimage, c.operator_address as string))).toBe(c.weight_seed);
        expect(supplierSelectionWeight(preimage, c.operator_address as string)).toBe(BigInt(c.weight as string));
      }
      const addresses = candidates.map((c) => c.operator_address as string);
      expect(sortSuppliersBySelectionWeight(preimage, addresses)).toEqual(s.sorted_operator_addresses);
      const k = BigInt(s.num_suppliers_per_session as number);
      expect(selectSessionSuppliers(preimage, addresses, k)).toEqual(s.selected_operator_addresses);
      // Objects carrying operatorAddress are selected identically.
      const objects = addresses.map((operatorAddress) => ({ operatorAddress }));
      expect(selectSessionSuppliers(preimage, objects, k).map((o) => o.operatorAddress)).toEqual(s.selected_operator_addresses);
    });
  }

  it('reads weights as signed int64 (some recorded weights are negative)', () => {
    const weights = (sessions.supplier_selection as Row[]).flatMap((s) => (s.candidates as Row[]).map((c) => BigInt(c.weight as string)));
    expect(weights.some((w) => w < 0n)).toBe(true);
    expect(weights.some((w) => w > 0n)).toBe(true);
  });

  it('does not sort when there are no more candidates than slots', () => {
    const s = sessions.supplier_selection[0] as Row;
    const preimage = fromHex(s.session_id_preimage as string);
    const addresses = (s.candidates as Row[]).map((c) => c.operator_address as string).slice(0, 5);
    expect(selectSessionSuppliers(preimage, addresses, 5n)).toEqual(addresses);
    expect(selectSessionSuppliers(preimage, addresses, 15)).toEqual(addresses);
    expect(selectSessionSuppliers(preimage, addresses, 4n)).toEqual(sortSuppliersBySelectionWeight(preimage, addresses).slice(0, 4));
  });

  it('breaks weight ties by address bytes', () => {
    // Duplicated addresses have equal weights; the order must then be deterministic and stable.
    const preimage = utf8ToBytes('p');
    const sorted = sortSuppliersBySelectionWeight(preimage, ['b', 'a', 'b', 'a']);
    expect(sorted.slice(0, 2)).toEqual(sorted[0] === 'a' ? ['a', 'a'] : ['b', 'b']);
  });
});

describe('session properties', () => {
  const arbParams = fc.record({
    numBlocksPerSession: fc.bigInt({ min: 1n, max: 1000n }),
    gracePeriodEndOffsetBlocks: fc.bigInt({ min: 0n, max: 50n }),
    claimWindowOpenOffsetBlocks: fc.bigInt({ min: 0n, max: 50n }),
    claimWindowCloseOffsetBlocks: fc.bigInt({ min: 0n, max: 50n }),
    proofWindowOpenOffsetBlocks: fc.bigInt({ min: 0n, max: 50n }),
    proofWindowCloseOffsetBlocks: fc.bigInt({ min: 0n, max: 50n }),
    sessionGridAnchorHeight: fc.bigInt({ min: 0n, max: 100000n }),
    sessionNumberAtAnchor: fc.bigInt({ min: 0n, max: 1000n }),
  });
  // One params set describes one grid: heights below a non-zero anchor belong to the previous
  // grid (with its own params on chain), so the properties draw heights at or above the anchor.
  const paramsAndHeight = fc
    .tuple(arbParams, fc.bigInt({ min: 0n, max: 10n ** 12n }))
    .map(([p, offset]) => [p, (p.sessionGridAnchorHeight > 0n ? p.sessionGridAnchorHeight : 1n) + offset] as const);

  it('start ≤ h ≤ end, end − start + 1 = N, and the next session starts right after', () => {
    fc.assert(
      fc.property(paramsAndHeight, ([p, h]) => {
        const start = sessionStartHeight(p, h);
        const end = sessionEndHeight(p, h);
        expect(start <= h && h <= end).toBe(true);
        expect(end - start + 1n).toBe(p.numBlocksPerSession);
        expect(sessionStartHeight(p, start)).toBe(start);
        expect(sessionEndHeight(p, end)).toBe(end);
        expect(isSessionStartHeight(p, start) && isSessionEndHeight(p, end)).toBe(true);
        expect(nextSessionStartHeight(p, h)).toBe(end + 1n);
        expect(sessionNumber(p, end + 1n)).toBe(sessionNumber(p, h) + 1n);
        expect(sessionNumber(p, h) >= 1n).toBe(true);
      }),
    );
  });

  it('windows are ordered and consistent', () => {
    fc.assert(
      fc.property(paramsAndHeight, ([p, h]) => {
        const w = sessionLifecycleHeights(p, h);
        expect(w.sessionEndHeight < w.claimWindowOpenHeight).toBe(true);
        expect(w.gracePeriodEndHeight >= w.sessionEndHeight).toBe(true);
        expect(w.claimWindowOpenHeight <= w.claimWindowCloseHeight).toBe(true);
        expect(w.claimWindowCloseHeight <= w.proofWindowOpenHeight).toBe(true);
        expect(w.proofWindowOpenHeight <= w.proofWindowCloseHeight).toBe(true);
        expect(w.proofRequirementSeedBlockHeight).toBe(w.proofWindowOpenHeight - 1n);
        expect(w.settlementHeight).toBe(w.proofWindowCloseHeight);
        expect(claimWindowCloseHeight(p, h) - claimWindowOpenHeight(p, h)).toBe(p.claimWindowCloseOffsetBlocks);
        expect(proofWindowOpenHeight(p, h)).toBe(w.proofWindowOpenHeight);
        expect(proofRequirementSeedBlockHeight(p, h)).toBe(w.proofRequirementSeedBlockHeight);
        expect(settlementHeight(p, h)).toBe(w.settlementHeight);
        // ceil(tail / N) pending sessions cover the whole tail.
        const n = numPendingSessions(p);
        expect(n * p.numBlocksPerSession >= w.sessionEndToProofWindowCloseBlocks).toBe(true);
        expect((n - 1n) * p.numBlocksPerSession < w.sessionEndToProofWindowCloseBlocks || n === 0n).toBe(true);
      }),
    );
  });
});

describe('session input validation', () => {
  it('accepts decoded shared Params structurally (checked by tsc)', () => expect(decodedSharedParamsFit).toBe(true));

  it('rejects N = 0, negative params and non-bigint heights', () => {
    expect(() => sessionStartHeight({ ...DEFAULT, numBlocksPerSession: 0n }, 5n)).toThrow(InvalidArgumentError);
    expect(() => sessionEndHeight({ ...DEFAULT, numBlocksPerSession: 0n }, 0n)).toThrow(InvalidArgumentError);
    expect(() => numPendingSessions({ ...DEFAULT, numBlocksPerSession: 0n })).toThrow(/numBlocksPerSession/);
    expect(() => claimWindowOpenHeight({ ...DEFAULT, claimWindowOpenOffsetBlocks: -1n }, 5n)).toThrow(InvalidArgumentError);
    expect(() => sessionStartHeight(DEFAULT, 5 as unknown as bigint)).toThrow(/bigint/);
    expect(() => sessionStartHeight(DEFAULT, 1n << 63n)).toThrow(/int64/);
    expect(() => computeSessionId({ blockHashAtSessionStart: 'ab' as unknown as Uint8Array, serviceId: 's', applicationAddress: 'a', sessionStartHeight: 1n })).toThrow(
      InvalidArgumentError,
    );
    expect(() => selectSessionSuppliers(new Uint8Array(1), ['a'], -1n)).toThrow(InvalidArgumentError);
    expect(() => selectSessionSuppliers(new Uint8Array(1), [{} as { operatorAddress: string }], 0n)).toThrow(InvalidArgumentError);
  });

  it('treats an absent anchor as the genesis grid', () => {
    const legacy = { numBlocksPerSession: 4n };
    expect([sessionStartHeight(legacy, 7n), sessionNumber(legacy, 7n)]).toEqual([5n, 2n]);
  });
});
