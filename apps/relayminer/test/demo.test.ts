/**
 * The demo end to end, as `npm start` runs it (smaller load): local chain, backend, relay miner from
 * a config file, a gateway across two sessions, and the chain's claims and proofs as the verdict.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runDemo } from '../src/demo/run-demo.js';
import type { ClaimRecord } from '@relayminer/localnet';
import { tallyClaims } from '../src/demo/chain-tally.js';
import { demoFailures, summaryLine } from '../src/demo/verdict.js';

const SUMMARY = /^summary: served=(\d+) mined=(\d+) claimed=(\d+) proofs_required=(\d+) proofs_valid=(\d+) lost=(-?\d+)$/;

describe('relayminer demo', () => {
  it('serves, mines, claims and proves two sessions, and every mined relay is claimed', { timeout: 120_000 }, async () => {
    const lines: string[] = [];
    const report = await runDemo({ relaysPerSecond: 25, sessions: 2, log: (l) => lines.push(l) });
    const printed = lines.join('\n');

    expect(report.failures, printed).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.mined).toBeGreaterThan(0);
    expect(report.claimed).toBe(report.mined);
    expect(report.lost).toBe(0);
    expect(report.served).toBeGreaterThanOrEqual(report.mined);
    expect(report.proofsRequired).toBeGreaterThanOrEqual(2);
    expect(report.proofsValid).toBe(report.proofsRequired);
    expect(report.sessionsClaimed).toBeGreaterThanOrEqual(2);
    expect(report.claims.every((c) => c.settlement === 'SETTLED' && c.proof === 'VALID')).toBe(true);
    expect(report.load.failed).toBe(0);

    // the last line is the machine-readable summary, and it says what the report says
    expect(lines.at(-1)).toBe(report.summary);
    const m = SUMMARY.exec(lines.at(-1)!);
    expect(m).not.toBeNull();
    expect(m!.slice(1).map(Number)).toEqual([report.served, report.mined, report.claimed, report.proofsRequired, report.proofsValid, report.lost]);
    expect(printed).toMatch(/claim included at height \d+/);
    expect(printed).toMatch(/proof of \w+ checked by the chain: VALID/);

    // nothing left behind
    expect(report.dataDir).toBeUndefined();
    const configLine = lines.find((l) => l.includes('relay miner config in '))!;
    expect(existsSync(configLine.split('relay miner config in ')[1]!)).toBe(false);
  });
});

describe('demo verdict', () => {
  const good = { served: 10, mined: 10, claimed: 10, proofsRequired: 2, proofsValid: 2, lost: 0, sessionsClaimed: 2 };

  it('formats the summary line exactly', () => {
    expect(summaryLine(good)).toBe('summary: served=10 mined=10 claimed=10 proofs_required=2 proofs_valid=2 lost=0');
  });

  it('passes only when claims account for every mined relay, proofs are valid and enough sessions were claimed', () => {
    expect(demoFailures(good, 2)).toEqual([]);
    expect(demoFailures({ ...good, claimed: 7, lost: 3 }, 2)).toEqual(['3 mined relays are not counted in any claim on chain']);
    expect(demoFailures({ ...good, proofsValid: 1 }, 2)).toEqual(['1 of 2 required proofs are not VALID on chain']);
    expect(demoFailures({ ...good, sessionsClaimed: 1 }, 2)).toEqual(['only 1 session(s) claimed on chain, wanted at least 2']);
    expect(demoFailures({ ...good, mined: 0, claimed: 0 }, 2)).toContain('no relay was mined');
  });
});

describe('chain tally', () => {
  const root = (sum: bigint, count: bigint): Uint8Array => {
    const r = new Uint8Array(48).fill(0xab);
    const view = new DataView(r.buffer);
    view.setBigUint64(32, sum);
    view.setBigUint64(40, count);
    return r;
  };
  const claim = (id: string, end: bigint, count: bigint, extra: Partial<ClaimRecord>): ClaimRecord => ({
    supplierOperatorAddress: 'pokt1supplier',
    sessionHeader: { applicationAddress: 'pokt1app', serviceId: 'anvil', sessionId: id, sessionStartBlockHeight: end - 3n, sessionEndBlockHeight: end },
    rootHash: root(count * 100n, count),
    status: 'PENDING_VALIDATION',
    claimedAtHeight: end + 2n,
    ...extra,
  });

  it('counts root counts, required proofs (also those never sent) and VALID ones, for our supplier only', () => {
    const tally = tallyClaims(
      [
        claim('b', 8n, 5n, { proofRequired: true, status: 'VALIDATED', settlement: 'SETTLED' }),
        claim('a', 4n, 7n, { proofRequired: true, status: 'INVALID', settlement: 'EXPIRED_PROOF_INVALID' }),
        claim('c', 12n, 3n, { settlement: 'EXPIRED_PROOF_MISSING' }),
        claim('d', 16n, 2n, { settlement: 'SETTLED' }),
        { ...claim('e', 16n, 9n, {}), supplierOperatorAddress: 'pokt1other' },
      ],
      'pokt1supplier',
    );
    expect(tally.sessions.map((s) => [s.sessionId, s.relays, s.proof])).toEqual([
      ['a', 7n, 'INVALID'],
      ['b', 5n, 'VALID'],
      ['c', 3n, 'MISSING'],
      ['d', 2n, 'NOT_REQUIRED'],
    ]);
    expect(tally.claimedRelays).toBe(17n);
    expect(tally.proofsRequired).toBe(3);
    expect(tally.proofsValid).toBe(1);
    expect(tally.sessions[1]!.computeUnits).toBe(500n);
  });
});
