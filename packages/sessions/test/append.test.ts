/** append() and open() with a stub chain (params only): malformed input and a damaged log change nothing. */
import { afterEach, describe, expect, it } from 'vitest';
import { NEVER, toArray, firstValueFrom, take, filter } from 'rxjs';
import { createHash } from 'node:crypto';
import type { MinedRelay } from '@relayminer/miner';
import { RelayerSessionsManager, RelayRejectedError, type SessionEvent, type SessionsChain } from '../src/index.js';
import { SessionStore, recordKey, relayKey } from '../src/store/session-store.js';
import { encodeSessionRecord } from '../src/store/session-record.js';
import { tempDir } from './net.js';

const params = {
  numBlocksPerSession: 4n, gracePeriodEndOffsetBlocks: 1n, claimWindowOpenOffsetBlocks: 1n, claimWindowCloseOffsetBlocks: 4n,
  proofWindowOpenOffsetBlocks: 0n, proofWindowCloseOffsetBlocks: 4n, sessionGridAnchorHeight: 1n, sessionNumberAtAnchor: 1n,
};
const chain = { query: { sharedParamsAtHeight: async () => params }, blocks: { blocks$: NEVER, height: 2n } } as unknown as SessionsChain;
const header = { applicationAddress: 'pokt1app', serviceId: 'svc1', sessionId: 'ab'.repeat(32), sessionStartBlockHeight: 1n, sessionEndBlockHeight: 4n };

function relay(i: number): MinedRelay {
  const relayBytes = new TextEncoder().encode(`relay ${i}`);
  const relayHash = new Uint8Array(createHash('sha256').update(relayBytes).digest());
  return { relayBytes, relayHash, smstKey: relayHash, weight: 3n, sessionHeader: header, supplierOperatorAddress: 'pokt1supplier', serviceId: 'svc1' };
}

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function open(path: string): Promise<RelayerSessionsManager> {
  const m = await RelayerSessionsManager.open({ storePath: path, chain, txClientFor: () => { throw new Error('no txs'); } });
  cleanups.push(() => m.close());
  return m;
}

describe('append', () => {
  it('refuses malformed relays with a clear error and keeps the good ones of the same batch', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const m = await open(dir.path);
    const errors: Error[] = [];
    const bad: MinedRelay[] = [
      { ...relay(1), smstKey: new Uint8Array(31) },
      { ...relay(2), weight: -1n },
      { ...relay(3), relayBytes: new Uint8Array(0) },
      { ...relay(4), sessionHeader: undefined as never },
    ].map((r) => ({ ...r, onSettled: (e?: Error) => e && errors.push(e) }));
    const result = await m.append([...bad, relay(5), relay(6)]);
    expect(result).toEqual({ accepted: 2, rejected: 4 });
    expect(errors).toHaveLength(4);
    expect(errors.every((e) => e instanceof RelayRejectedError && e.reason === 'invalid_relay')).toBe(true);
    expect(errors[0]!.message).toMatch(/smstKey must be 32 bytes/);
    expect(m.sessions()).toMatchObject([{ relays: 2n, computeUnits: 6n, state: 'open' }]);
    expect(m.stats()).toMatchObject({ relaysPersisted: 2, relaysRejected: 4 });
  });

  it('resumes an open session from its log after a graceful stop, and skips a damaged one without failing to start', async () => {
    const dir = tempDir();
    cleanups.push(() => dir.remove());
    const first = await RelayerSessionsManager.open({ storePath: dir.path, chain, txClientFor: () => { throw new Error('no txs'); } });
    await first.append([relay(1), relay(2), relay(3)]);
    await first.close();
    // a second session whose only logged relay is damaged (too short to carry a weight)
    const store = await SessionStore.open(dir.path, { fsync: false, maxGroupOps: 10 });
    const damaged = { ...header, sessionId: 'cd'.repeat(32) };
    await store.write([
      { type: 'put', key: recordKey(`pokt1supplier/${damaged.sessionId}`), value: encodeSessionRecord({ supplierOperatorAddress: 'pokt1supplier', header: damaged, state: 'open' }) },
      { type: 'put', key: relayKey(`pokt1supplier/${damaged.sessionId}`, new Uint8Array(32).fill(1)), value: new Uint8Array(3) },
    ]);
    await store.close();

    const second = await open(dir.path);
    const events = firstValueFrom(second.events$.pipe(filter((e: SessionEvent) => e.kind === 'session_recovered' || e.kind === 'error'), take(2), toArray()));
    second.start();
    const seen = await events;
    expect(seen.map((e) => e.kind).sort()).toEqual(['error', 'session_recovered']);
    expect(second.sessions()).toMatchObject([{ sessionId: header.sessionId, relays: 3n, state: 'open' }]);
  });
});
