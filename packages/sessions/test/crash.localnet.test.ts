/**
 * kill -9 in the middle of a session: every relay acknowledged before the kill is in the claim the
 * restarted process submits (the relay log is written before a relay is acknowledged).
 */
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, expect, it } from 'vitest';
import { filter, firstValueFrom, take, toArray } from 'rxjs';
import { SessionHeader } from '@relayminer/protocol';
import { RelayerSessionsManager } from '../src/index.js';
import { freshSession, minedRelaysFor, referenceRoot, startNet, tempDir, txClientFor } from './net.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

it('after kill -9 mid-session and a restart, the claim holds every acknowledged relay', async () => {
  const t = await startNet();
  const dir = tempDir();
  cleanups.push(() => t.close(), () => dir.remove());
  const header = await freshSession(t.chain, 'svc1', 3n);
  t.net.pause(); // the session stays open while the child runs
  const relays = await minedRelaysFor(t.chain, header, 0, 120);
  const file = join(dir.path, 'relays.json');
  writeFileSync(file, JSON.stringify(relays.map((r) => ({ relayBytes: hex(r.relayBytes), relayHash: hex(r.relayHash), weight: String(r.weight), header: hex(SessionHeader.marshal(r.sessionHeader)), supplier: r.supplierOperatorAddress, serviceId: r.serviceId }))));
  const store = join(dir.path, 'store');

  const child = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/append-child.mjs'), store, t.net.rpcUrl, t.net.wsUrl, t.net.chainId, file], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  let acked = 0;
  for await (const line of createInterface({ input: child.stdout })) {
    const m = /^acked (\d+)$/.exec(line);
    if (m) acked = Math.max(acked, Number(m[1]));
    if (acked >= 40) {
      child.kill('SIGKILL');
      break;
    }
  }
  expect(await exited).toBe('SIGKILL');
  expect(acked).toBeGreaterThanOrEqual(40);

  const manager = await RelayerSessionsManager.open({ storePath: store, chain: t.chain, txClientFor: txClientFor(t.chain) });
  cleanups.push(() => manager.close());
  const [recovered] = manager.sessions();
  const kept = Number(recovered!.relays);
  // Writes land in order, so what survived is a prefix at least as long as what was acknowledged.
  expect(kept).toBeGreaterThanOrEqual(acked);
  expect(recovered!.state).toBe('open');

  const done = firstValueFrom(manager.events$.pipe(filter((e) => e.kind === 'session_done'), take(1), toArray()));
  manager.start();
  t.net.resume();
  expect(await done).toMatchObject([{ outcome: 'proven', relays: BigInt(kept) }]);
  const claim = t.net.app!.claims().find((c) => c.sessionHeader.sessionId === header.sessionId)!;
  expect(hex(claim.rootHash)).toBe(hex(referenceRoot(relays.slice(0, kept))));
  expect(t.net.app!.proofs().find((p) => p.sessionHeader.sessionId === header.sessionId)!.status).toBe('VALIDATED');
}, 90_000);
