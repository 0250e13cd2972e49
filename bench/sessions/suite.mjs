// Sessions benchmark: mined relays per second into the relay log + session tries (RelayerSessionsManager
// .append, group commit), with and without fsync, against the naive log measured in the same run (one
// awaited LevelDB put per relay, as a per-relay WAL would do), plus the append latency (what a reply
// waits for with reply_after_persist). Synthetic 700-byte relays; the chain is a stub (params only).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { NEVER, Subject } from 'rxjs';
import { readdirSync } from 'node:fs';
import { Level } from 'level';
import { RelayerSessionsManager } from '@relayminer/sessions';

const MIN_RATIO = 5; // fsynced group commit vs one fsynced put per relay: where a per-relay log collapses
const BATCH = 64;
const IN_FLIGHT = 16;

const params = {
  numBlocksPerSession: 10n, gracePeriodEndOffsetBlocks: 1n, claimWindowOpenOffsetBlocks: 1n, claimWindowCloseOffsetBlocks: 4n,
  proofWindowOpenOffsetBlocks: 0n, proofWindowCloseOffsetBlocks: 4n, computeUnitsToTokensMultiplier: 42n, computeUnitCostGranularity: 1n,
  sessionGridAnchorHeight: 1n, sessionNumberAtAnchor: 1n,
};
const chain = { query: { sharedParamsAtHeight: async () => params }, blocks: { blocks$: NEVER, height: 1n } };

function relays(n, sessions, supplier = 'pokt1supplier') {
  return Array.from({ length: n }, (_, i) => {
    const relayBytes = randomBytes(700);
    const relayHash = createHash('sha256').update(relayBytes).digest();
    const s = i % sessions;
    const sessionHeader = { applicationAddress: 'pokt1app', serviceId: 'svc', sessionId: createHash('sha256').update(`s${s}`).digest('hex'), sessionStartBlockHeight: 1n, sessionEndBlockHeight: 10n };
    return { relayBytes, relayHash, smstKey: relayHash, weight: 1n, sessionHeader, supplierOperatorAddress: supplier, serviceId: 'svc' };
  });
}

const openFds = () => readdirSync('/proc/self/fd').length;
const rssMb = () => process.memoryUsage().rss / 2 ** 20;

/**
 * Many suppliers × sessions held at once, then all finished by a block past their proof window (with
 * the stub chain they expire unclaimed, which frees them as a proven session is freed); several rounds,
 * so what stays is what a long-running miner keeps.
 */
async function manySessions(suppliers, sessions, relaysPer, rounds) {
  const dir = tmp();
  const blocks$ = new Subject();
  const m = await RelayerSessionsManager.open({ storePath: dir, chain: { query: chain.query, blocks: { blocks$, height: 1n } }, txClientFor: () => { throw new Error('no txs'); } });
  const fds0 = openFds();
  const rss0 = rssMb();
  const out = [];
  for (let round = 0; round < rounds; round++) {
    const end = 10n + BigInt(round) * 1000n;
    for (let p = 0; p < suppliers; p++) {
      const list = relays(sessions * relaysPer, sessions, `pokt1supplier${p}`).map((r) => ({ ...r, sessionHeader: { ...r.sessionHeader, sessionId: createHash('sha256').update(`${round}/${r.sessionHeader.sessionId}`).digest('hex'), sessionStartBlockHeight: end - 9n, sessionEndBlockHeight: end } }));
      await m.append(list);
    }
    const held = { trees: m.sessions().length, rss_mb: rssMb() - rss0, fds: openFds() - fds0 };
    if (round === 0) m.start();
    blocks$.next({ height: end + 500n });
    while (m.sessions().length > 0) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    out.push({ held, after: { rss_mb: rssMb() - rss0, fds: openFds() - fds0 } });
  }
  await m.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const tmp = () => mkdtempSync(join(tmpdir(), 'bench-sessions-'));

async function naive(list, sync) {
  const dir = tmp();
  const db = new Level(dir, { keyEncoding: 'view', valueEncoding: 'view' });
  await db.open();
  const t0 = performance.now();
  for (const r of list) await db.put(r.relayHash, r.relayBytes, { sync });
  const s = (performance.now() - t0) / 1000;
  await db.close();
  rmSync(dir, { recursive: true, force: true });
  return { seconds: s };
}

async function grouped(list, fsync) {
  const dir = tmp();
  const m = await RelayerSessionsManager.open({ storePath: dir, chain, txClientFor: () => { throw new Error('no txs'); }, fsync });
  const latencies = [];
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < list.length) {
      const batch = list.slice(next, (next += BATCH));
      const a = performance.now();
      await m.append(batch);
      latencies.push(performance.now() - a);
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const s = (performance.now() - t0) / 1000;
  const held = m.stats().relaysPersisted;
  await m.close();
  rmSync(dir, { recursive: true, force: true });
  if (held !== list.length) throw new Error(`persisted ${held} of ${list.length}`);
  return { seconds: s, appendMs: median(latencies) };
}

export async function run({ quick }) {
  const n = quick ? 20_000 : 200_000;
  const rounds = quick ? 3 : 5;
  const list = relays(n, 4);
  const results = [];
  const measure = async (name, fn, count) => {
    const runs = [];
    for (let i = 0; i < rounds; i++) runs.push(await fn());
    const med = median(runs.map((r) => r.seconds));
    const row = { name, n: count, value_bytes: 700, median_s: med, relays_per_s: Math.round(count / med) };
    const lat = runs.map((r) => r.appendMs).filter((x) => x !== undefined);
    if (lat.length) row.append_latency_ms = Number(median(lat).toFixed(3));
    results.push(row);
    console.log(`${name.padEnd(44)} ${String(row.relays_per_s).padStart(9)} relays/s${row.append_latency_ms !== undefined ? `   append (${BATCH} relays, ${IN_FLIGHT} in flight) ${row.append_latency_ms} ms` : ''}`);
    return row;
  };
  const naiveN = quick ? 2000 : 10000;
  const nb = await measure('naive log: one awaited put per relay', () => naive(list.slice(0, naiveN), false), naiveN);
  const ns = await measure('naive log: one awaited put per relay, fsync', () => naive(list.slice(0, naiveN), true), naiveN);
  const g = await measure('append: group commit + tries', () => grouped(list, false), n);
  const f = await measure('append: group commit + tries, fsync', () => grouped(list, true), n);
  const [nSup, nSes, nRel, nRounds] = quick ? [100, 5, 20, 3] : [300, 10, 20, 4];
  const cycles = await manySessions(nSup, nSes, nRel, nRounds);
  const row = {
    name: `session trees: ${nSup} suppliers × ${nSes} sessions × ${nRel} relays, ${nRounds} rounds`,
    trees_per_round: cycles[0].held.trees,
    held_rss_mb: cycles.map((r) => Number(r.held.rss_mb.toFixed(1))),
    after_done_rss_mb: cycles.map((r) => Number(r.after.rss_mb.toFixed(1))),
    max_extra_fds: Math.max(...cycles.flatMap((r) => [r.held.fds, r.after.fds])),
  };
  results.push(row);
  console.log(`${row.name}: ${row.trees_per_round} trees per round; RSS held ${row.held_rss_mb.join(' / ')} MB, after each round ${row.after_done_rss_mb.join(' / ')} MB; extra fds ≤ ${row.max_extra_fds}`);
  const ratios = { group_commit_vs_naive: g.relays_per_s / nb.relays_per_s, fsync_group_commit_vs_naive_fsync: f.relays_per_s / ns.relays_per_s };
  console.log(`ratios: group commit ×${ratios.group_commit_vs_naive.toFixed(1)} one put per relay; with fsync ×${ratios.fsync_group_commit_vs_naive_fsync.toFixed(1)} one fsynced put per relay`);
  const failures = ratios.fsync_group_commit_vs_naive_fsync >= MIN_RATIO ? [] : [`fsynced group commit is only ×${ratios.fsync_group_commit_vs_naive_fsync.toFixed(2)} one fsynced put per relay (want ≥ ${MIN_RATIO})`];
  if (row.max_extra_fds > 4) failures.push(`holding ${row.trees_per_round} session trees opened ${row.max_extra_fds} file descriptors (want none per tree)`);
  return { suite: 'sessions', results, ratios, failures };
}
