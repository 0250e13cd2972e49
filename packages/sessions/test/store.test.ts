/** The relay log and session records on a real LevelDB: group commit, reads, corrupt records, recovery rules. */
import { afterEach, describe, expect, it } from 'vitest';
import { SessionStore, recordKey, relayEntry, relayKey } from '../src/store/session-store.js';
import { decodeSessionRecord, encodeSessionRecord } from '../src/store/session-record.js';
import { classifyRecoveredSession, SessionRecordError } from '../src/index.js';
import { tempDir } from './net.js';

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openStore(options: { fsync?: boolean; maxGroupOps?: number } = {}): Promise<{ store: SessionStore; writes: number[] }> {
  const dir = tempDir();
  const writes: number[] = [];
  const store = await SessionStore.open(dir.path, { fsync: options.fsync ?? false, maxGroupOps: options.maxGroupOps ?? 4096, onWrite: (w) => writes.push(w.relays) });
  cleanups.push(() => dir.remove(), () => store.close());
  return { store, writes };
}

const path = (i: number): Uint8Array => new Uint8Array(32).fill(i);
const value = (i: number): Uint8Array => new TextEncoder().encode(`relay-${i}`);

describe('SessionStore', () => {
  it('writes appends that arrive during a write together (group commit), each resolved once on disk', async () => {
    const { store, writes } = await openStore();
    const appends = Array.from({ length: 50 }, (_, i) => store.write([{ type: 'put', key: relayKey('s/1', path(i)), value: relayEntry(value(i), 7n) }], 1));
    await Promise.all(appends);
    // The first append starts a write alone; the other 49 queue behind it and go in one batch.
    expect(writes).toEqual([1, 49]);
    for (let i = 0; i < 50; i++) expect(new TextDecoder().decode(store.relayValue('s/1', path(i)))).toBe(`relay-${i}`);
    const listed = [];
    for await (const r of store.relays('s/1')) listed.push(r);
    expect(listed).toHaveLength(50);
    expect(listed.every((r) => r.weight === 7n)).toBe(true);
  });

  it('caps a group at maxGroupOps and keeps sessions apart', async () => {
    const { store, writes } = await openStore({ maxGroupOps: 10, fsync: true });
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.write([{ type: 'put', key: relayKey(`s/${i % 2}`, path(i)), value: relayEntry(value(i), 1n) }], 1)));
    expect(writes.every((n) => n <= 10)).toBe(true);
    expect(writes.reduce((a, b) => a + b, 0)).toBe(25);
    let odd = 0;
    for await (const _ of store.relays('s/1')) odd++;
    expect(odd).toBe(12);
    await store.forget('s/1');
    expect(store.relayValue('s/1', path(1))).toBeUndefined();
    expect(new TextDecoder().decode(store.relayValue('s/0', path(0)))).toBe('relay-0');
  });

  it('refuses writes after close', async () => {
    const { store } = await openStore();
    await store.close();
    await expect(store.write([{ type: 'del', key: recordKey('x') }])).rejects.toThrow(/closed/);
  });
});

describe('session records', () => {
  const header = { applicationAddress: 'pokt1app', serviceId: 'svc1', sessionId: 'ab'.repeat(32), sessionStartBlockHeight: 5n, sessionEndBlockHeight: 8n };

  it('round-trips', () => {
    const root = new Uint8Array(48).fill(3);
    const r = decodeSessionRecord('k', encodeSessionRecord({ supplierOperatorAddress: 'pokt1sup', header, state: 'claimed', root }));
    expect(r).toEqual({ supplierOperatorAddress: 'pokt1sup', header, state: 'claimed', root });
  });

  it.each([
    ['not json', new TextEncoder().encode('{')],
    ['another version', new TextEncoder().encode('{"v":2}')],
    ['an unknown state', new TextEncoder().encode(JSON.stringify({ v: 1, supplier: 's', header: '', state: 'dancing' }))],
    ['a short root', new TextEncoder().encode(JSON.stringify({ v: 1, supplier: 's', header: '', state: 'open', root: 'ab' }))],
  ])('rejects %s with a SessionRecordError', (_, bytes) => {
    expect(() => decodeSessionRecord('k', bytes)).toThrow(SessionRecordError);
  });
});

describe('classifyRecoveredSession (protocol.md §6.2, restart)', () => {
  const windows = { claimWindowOpenHeight: 10n, claimWindowCloseHeight: 14n, proofWindowCloseHeight: 18n };
  const base = { windows, recordState: 'open' as const, recordRoot: undefined, relays: 3n, onChainClaimRoot: null };
  const chainRoot = new Uint8Array(48).fill(9);

  it.each([
    ['still open', { height: 9n }, { action: 'resume', state: 'open' }],
    ['claim window open, not claimed', { height: 12n }, { action: 'resume', state: 'open' }],
    ['claimed on chain', { height: 12n, onChainClaimRoot: chainRoot }, { action: 'resume', state: 'claimed', root: chainRoot }],
    ['claim window closed without a claim', { height: 15n }, { action: 'drop' }],
    ['past the proof window', { height: 19n, onChainClaimRoot: chainRoot }, { action: 'drop' }],
    ['no relays', { height: 5n, relays: 0n }, { action: 'drop' }],
    ['query failed, record claimed', { height: 16n, onChainClaimRoot: 'unknown', recordState: 'claimed', recordRoot: chainRoot }, { action: 'resume', state: 'claimed', root: chainRoot }],
    ['query failed, claim window closed', { height: 16n, onChainClaimRoot: 'unknown' }, { action: 'drop' }],
  ] as const)('%s', (_, input, expected) => {
    expect(classifyRecoveredSession({ ...base, ...input } as never)).toMatchObject(expected);
  });
});
