// Relay miner durability benchmark: what `reply_after_persist` (the default: a reply waits until its relay
// is in the relay log) costs a client, against replying first (Go's behaviour) measured in the same run.
// The latency it adds is also the window a crash can lose with it off: relays answered but not yet logged.
// Whole relay miner in-process (localnet on manual blocks, so every relay lands in one open session; the demo
// backend), one client at concurrency 1 so that its ring signing never overlaps a measured request.
import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalnet } from '@relayminer/localnet';
import { startRelayMiner, silentLogger } from '@relayminer/app';
import { sendRelays } from '../../apps/relayminer/dist/relay-client/index.js';
import { startDemoBackend } from '../../apps/relayminer/dist/demo/backend.js';
import { RELAYMINER_DEMO_GENESIS_PATH, DEMO_SERVICE_ID, demoAccountKey } from '../../apps/relayminer/dist/demo/demo-genesis.js';
import { writeRelayMinerFiles } from '../../apps/relayminer/dist/demo/relay-miner-files.js';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function measure(replyAfterPersist, count) {
  const dir = mkdtempSync(join(tmpdir(), 'bench-relayminer-'));
  const net = await startLocalnet({ genesis: RELAYMINER_DEMO_GENESIS_PATH, port: 0, blockTimeMs: 0 });
  const backend = await startDemoBackend();
  try {
    await net.advance(1);
    const files = writeRelayMinerFiles(dir, { rpcUrl: net.rpcUrl, chainId: net.chainId, serviceId: DEMO_SERVICE_ID, backendUrl: backend.url, supplierKeyName: 'supplier1', supplierPrivateKey: demoAccountKey('supplier1') });
    appendFileSync(files.configPath, `reply_after_persist: ${replyAfterPersist}\n`);
    const miner = await startRelayMiner({ configPath: files.configPath, logger: silentLogger });
    try {
      const options = { rpcUrl: net.rpcUrl, chain: miner.chain, relayUrl: miner.relayUrlOf(DEMO_SERVICE_ID), serviceId: DEMO_SERVICE_ID, appPrivateKey: demoAccountKey('app1'), gatewayPrivateKey: demoAccountKey('gateway1'), concurrency: 1 };
      await sendRelays({ ...options, count: 20 }); // warm-up: session, ring, caches, JIT
      const report = await sendRelays({ ...options, count });
      // Answered but not yet in the relay log at the moment the client had its last reply: what a crash
      // right then would lose.
      const unlogged = count + 20 - miner.stats().sessions.relaysPersisted;
      await miner.close();
      const persisted = miner.stats().sessions.relaysPersisted;
      if (report.ok !== count || persisted !== count + 20) throw new Error(`ok ${report.ok}/${count}, persisted ${persisted} after close`);
      return { ...report.latencyMs, unlogged };
    } finally {
      await miner.close();
    }
  } finally {
    await backend.close();
    await net.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run({ quick }) {
  const count = quick ? 100 : 300;
  const rounds = quick ? 3 : 5;
  const runs = { true: [], false: [] };
  for (let i = 0; i < rounds; i++) for (const setting of [false, true]) runs[setting].push(await measure(setting, count));
  const results = [false, true].map((setting) => ({
    name: setting ? 'reply after the relay is logged (reply_after_persist: true, default)' : 'reply first (reply_after_persist: false, as Go)',
    reply_after_persist: setting,
    n: count,
    p50_ms: Number(median(runs[setting].map((l) => l.p50)).toFixed(3)),
    p99_ms: Number(median(runs[setting].map((l) => l.p99)).toFixed(3)),
    unlogged_at_last_reply: runs[setting].map((l) => l.unlogged),
  }));
  for (const r of results) console.log(`${r.name.padEnd(72)} p50 ${r.p50_ms.toFixed(2)} ms  p99 ${r.p99_ms.toFixed(2)} ms  answered but unlogged at the last reply: ${r.unlogged_at_last_reply.join(', ')}`);
  const ratios = { added_p50_ms: results[1].p50_ms - results[0].p50_ms, added_p99_ms: results[1].p99_ms - results[0].p99_ms };
  console.log(`reply_after_persist adds ${ratios.added_p50_ms.toFixed(2)} ms at p50, ${ratios.added_p99_ms.toFixed(2)} ms at p99: with it off, a crash can lose about that much of the latest answered relays`);
  const failures = results[1].unlogged_at_last_reply.some((n) => n !== 0) ? ['reply_after_persist answered a relay that was not in the relay log yet'] : [];
  return { suite: 'relayminer', results, ratios, failures };
}
