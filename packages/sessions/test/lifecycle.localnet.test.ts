/**
 * The whole lifecycle against a real localnet over sockets: relays in, claims and proofs on chain,
 * checked against the chain's own records (claims, proofs and their validation, settlements).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, take, toArray, type Observable } from 'rxjs';
import { RelayerSessionsManager, type SessionEvent } from '../src/index.js';
import { CUPR, SERVICES, SUPPLIERS, freshSession, minedRelaysFor, referenceRoot, startNet, tempDir, txClientFor, type TestNet } from './net.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(opts: { proofRequestProbability?: number } = {}): Promise<{ t: TestNet; dir: string; open: () => Promise<RelayerSessionsManager> }> {
  const t = await startNet(opts);
  const dir = tempDir();
  cleanups.push(() => t.close(), () => dir.remove());
  const open = async () => {
    const m = await RelayerSessionsManager.open({ storePath: dir.path, chain: t.chain, txClientFor: txClientFor(t.chain) });
    cleanups.push(() => m.close());
    return m;
  };
  return { t, dir: dir.path, open };
}

function nextEvents(events$: Observable<SessionEvent>, pred: (e: SessionEvent) => boolean, count: number, ms = 30_000): Promise<SessionEvent[]> {
  return Promise.race([
    firstValueFrom(events$.pipe(filter(pred), take(count), toArray())),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`timed out waiting for ${count} events`)), ms)),
  ]);
}

describe('RelayerSessionsManager on localnet', () => {
  it('claims and proves several suppliers and services, one tx per supplier, every proof VALID on chain', async () => {
    const { t, open } = await setup();
    const manager = await open();
    manager.start();
    const headers = await Promise.all(SERVICES.map((s) => freshSession(t.chain, s, 3n)));
    const sent = new Map<string, Awaited<ReturnType<typeof minedRelaysFor>>>();
    for (const h of headers) for (const i of [0, 1]) sent.set(`${SUPPLIERS[i]}/${h.sessionId}`, await minedRelaysFor(t.chain, h, i, 4 + i));
    const done = nextEvents(manager.events$, (e) => e.kind === 'session_done', sent.size);
    const result = await manager.append([...sent.values()].flat());
    expect(result).toEqual({ accepted: 2 * (4 + 5), rejected: 0 });
    expect(manager.sessions().map((s) => s.state)).toEqual(['open', 'open', 'open', 'open']);

    const finished = await done;
    expect(finished.map((e) => e.kind === 'session_done' && e.outcome)).toEqual(['proven', 'proven', 'proven', 'proven']);
    const app = t.net.app!;
    for (const [key, relays] of sent) {
      const [supplier, sessionId] = key.split('/');
      const claim = app.claims().find((c) => c.supplierOperatorAddress === supplier && c.sessionHeader.sessionId === sessionId)!;
      expect(hex(claim.rootHash)).toBe(hex(referenceRoot(relays)));
      const proof = app.proofs().find((p) => p.supplierOperatorAddress === supplier && p.sessionHeader.sessionId === sessionId)!;
      expect(proof.status).toBe('VALIDATED');
    }
    // One claim tx and one proof tx per supplier: both services share the session end height.
    for (const supplier of SUPPLIERS) expect(t.net.txs({ sender: supplier }).filter((tx) => tx.deliver?.code === 0)).toHaveLength(2);
    const stats = manager.stats();
    expect(stats.claims.included).toBe(4);
    expect(stats.proofs).toMatchObject({ required: 4, included: 4, valid: 4, invalid: 0, failed: 0 });
    expect(stats.relaysClaimed).toBe(18n);
    expect(manager.sessions()).toEqual([]);
    // Every relay's compute units, once: CUPR of the service per relay.
    const cu = headers.reduce((sum, h) => sum + CUPR[h.serviceId]! * 9n, 0n);
    expect(app.claims().filter((c) => headers.some((h) => h.sessionId === c.sessionHeader.sessionId)).reduce((s, c) => s + new DataView(c.rootHash.buffer, c.rootHash.byteOffset).getBigUint64(32), 0n)).toBe(cu);
  }, 60_000);

  it('sends no proof when the chain does not require one', async () => {
    const { t, open } = await setup({ proofRequestProbability: 0 });
    const manager = await open();
    manager.start();
    const header = await freshSession(t.chain, 'svc1', 3n);
    const relays = await minedRelaysFor(t.chain, header, 0, 3);
    const done = nextEvents(manager.events$, (e) => e.kind === 'session_done' || e.kind === 'proof_requirement', 2);
    await manager.append(relays);
    const [requirement, finished] = await done;
    expect(requirement).toMatchObject({ kind: 'proof_requirement', required: false, reason: 'NOT_REQUIRED' });
    expect(finished).toMatchObject({ kind: 'session_done', outcome: 'claimed_no_proof', relays: 3n });
    expect(t.net.app!.claims().some((c) => c.sessionHeader.sessionId === header.sessionId)).toBe(true);
    expect(t.net.app!.proofs().filter((p) => p.sessionHeader.sessionId === header.sessionId)).toEqual([]);
    expect(manager.stats().proofs).toMatchObject({ notRequired: 1, submitted: 0 });
  }, 60_000);

  it('after a restart following the claim, still submits the proof', async () => {
    const { t, open } = await setup();
    const first = await open();
    first.start();
    const header = await freshSession(t.chain, 'svc2', 3n);
    const relays = await minedRelaysFor(t.chain, header, 1, 6);
    const claimed = nextEvents(first.events$, (e) => e.kind === 'claims_included', 1);
    await first.append(relays);
    await claimed;
    await first.close();

    const second = await open();
    const recovered = second.sessions();
    expect(recovered).toHaveLength(1);
    expect(recovered[0]).toMatchObject({ state: 'claimed', sessionId: header.sessionId, relays: 6n });
    const recoveredEvents = nextEvents(second.events$, (e) => e.kind === 'session_recovered', 1);
    const done = nextEvents(second.events$, (e) => e.kind === 'session_done', 1);
    second.start();
    expect(await recoveredEvents).toMatchObject([{ state: 'claimed', relays: 6n, sessionId: header.sessionId }]);
    expect(await done).toMatchObject([{ outcome: 'proven' }]);
    const proof = t.net.app!.proofs().find((p) => p.sessionHeader.sessionId === header.sessionId)!;
    expect(proof.status).toBe('VALIDATED');
    expect(hex(t.net.app!.claims().find((c) => c.sessionHeader.sessionId === header.sessionId)!.rootHash)).toBe(hex(referenceRoot(relays)));
  }, 60_000);

  it('gets a claim included although its first broadcast is silently dropped (rebroadcast)', async () => {
    const { t, open } = await setup();
    const manager = await open();
    const tx = await t.chain.txClientFor((await import('./net.js')).SUPPLIER_KEYS[0]);
    const rebroadcasts: unknown[] = [];
    const sub = tx.events$.subscribe((e) => e.kind === 'rebroadcast' && rebroadcasts.push(e));
    cleanups.push(() => sub.unsubscribe());
    const header = await freshSession(t.chain, 'svc1', 3n);
    const relays = await minedRelaysFor(t.chain, header, 0, 2);
    await manager.append(relays);
    t.net.dropNextBroadcast();
    const included = nextEvents(manager.events$, (e) => e.kind === 'claims_included' || e.kind === 'claims_failed', 1);
    manager.start();
    expect(await included).toMatchObject([{ kind: 'claims_included' }]);
    expect(rebroadcasts.length).toBeGreaterThan(0);
    expect(t.net.app!.claims().some((c) => c.sessionHeader.sessionId === header.sessionId)).toBe(true);
  }, 60_000);

  it('retries a claim stage stopped by a failing chain query on the next block', async () => {
    const { t, open } = await setup();
    const manager = await open();
    const header = await freshSession(t.chain, 'svc1', 3n);
    await manager.append(await minedRelaysFor(t.chain, header, 0, 2));
    const undo = t.net.failQueries('/cosmos.bank.v1beta1.Query/Balance', 13, 'balance store unavailable');
    const failed = nextEvents(manager.events$, (e) => e.kind === 'error', 1);
    const included = nextEvents(manager.events$, (e) => e.kind === 'claims_included', 1);
    manager.start();
    expect((await failed)[0]).toMatchObject({ message: expect.stringContaining('balance store unavailable') });
    expect(manager.sessions()[0]!.state).toBe('claiming');
    undo();
    expect(await included).toMatchObject([{ sessions: [{ sessionId: header.sessionId }] }]);
    expect(t.net.app!.claims().filter((c) => c.sessionHeader.sessionId === header.sessionId)).toHaveLength(1);
  }, 60_000);

  it('closes at once while a claim tx waits for a block, and the restarted manager finds the claim on chain', async () => {
    const { t, open } = await setup();
    const first = await open();
    const header = await freshSession(t.chain, 'svc1', 3n);
    const relays = await minedRelaysFor(t.chain, header, 0, 3);
    await first.append(relays);
    const submitted = nextEvents(first.events$, (e) => e.kind === 'claims_submitted', 1);
    first.start();
    await submitted;
    t.net.pause();
    const started = performance.now();
    await first.close();
    expect(performance.now() - started).toBeLessThan(1000);
    t.net.resume();

    await t.net.waitFor(() => t.net.app!.claims().some((c) => c.sessionHeader.sessionId === header.sessionId));
    const second = await open();
    expect(second.sessions()).toMatchObject([{ sessionId: header.sessionId, state: 'claimed' }]);
    const done = nextEvents(second.events$, (e) => e.kind === 'session_done', 1);
    second.start();
    expect(await done).toMatchObject([{ outcome: 'proven', relays: 3n }]);
  }, 60_000);

  it('refuses relays of a session whose claim window has opened, and changes nothing', async () => {
    const { t, open } = await setup();
    const manager = await open();
    manager.start();
    const header = await freshSession(t.chain, 'svc1', 1n);
    const relays = await minedRelaysFor(t.chain, header, 0, 3);
    const windows = await t.chain.query.sharedParamsAtHeight(header.sessionEndBlockHeight);
    const claimOpen = header.sessionEndBlockHeight + windows.claimWindowOpenOffsetBlocks + 1n;
    await t.net.waitFor(() => t.chain.blocks.height !== undefined && t.chain.blocks.height >= claimOpen);
    const errors: Error[] = [];
    const result = await manager.append(relays.map((r) => ({ ...r, onSettled: (e?: Error) => e && errors.push(e) })));
    expect(result).toEqual({ accepted: 0, rejected: 3 });
    expect(errors.map((e) => e.name)).toEqual(['RelayRejectedError', 'RelayRejectedError', 'RelayRejectedError']);
    expect(manager.sessions()).toEqual([]);
    expect(manager.stats().relaysRejected).toBe(3);
  }, 60_000);
});
