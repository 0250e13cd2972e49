/**
 * One relay miner process serving two suppliers and two services (one listen address) on a localnet
 * that produces blocks on a timer and asks a proof for every claim: every mined relay ends up in a
 * claim of the right supplier and service, and every proof is VALIDATED by the chain.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startLocalnet } from '@relayminer/localnet';
import { addressFromPrivateKey } from '@relayminer/protocol';
import { silentLogger } from '../src/log/logger.js';
import { startRelayMiner } from '../src/start.js';
import { sendRelays } from '../src/relay-client/index.js';
import { tempDir } from './cli-harness.js';
import { writeConfig, writeKeys } from './config-fixture.js';
import { APP_KEY, GATEWAY_KEY, OTHER_SUPPLIER_KEY, SUPPLIER_KEY, genesis, startBackend } from './localnet-fixture.js';

const SERVICES = ['svc1', 'svc2'];
const KEYS = [SUPPLIER_KEY, OTHER_SUPPLIER_KEY];
const SUPPLIERS = KEYS.map((k) => addressFromPrivateKey(k));
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function twoServiceGenesis(): object {
  const g = genesis() as Record<string, any>;
  return {
    ...g,
    params: { ...g.params, proof: { ...g.params.proof, proof_request_probability: 1 } },
    services: SERVICES.map((id, i) => ({ id, name: id, compute_units_per_relay: 7 + i, owner: 'app' })),
    relay_mining_difficulty: SERVICES.map((id) => ({ service_id: id, target_hash: 'ff'.repeat(32), num_relays_ema: 100 })),
    applications: [{ ...g.applications[0], services: SERVICES }],
    suppliers: g.suppliers.map((s: Record<string, any>) => ({
      ...s,
      services: SERVICES.map((service_id) => ({ service_id, endpoints: [{ url: 'http://127.0.0.1:1', rpc_type: 'JSON_RPC' }] })),
    })),
  };
}

it('claims and proves the relays of two suppliers and two services served by one process', async () => {
  const net = await startLocalnet({ genesis: twoServiceGenesis(), port: 0, blockTimeMs: 400 });
  const backend = await startBackend();
  const tmp = tempDir();
  cleanups.push(() => net.stop(), () => backend.close(), () => tmp.remove());
  writeKeys(tmp.dir, { 'op-a': KEYS[0]!, 'op-b': KEYS[1]! });
  const config = writeConfig(tmp.dir, {
    chainId: net.chainId,
    rpcUrl: net.rpcUrl,
    keyNames: ['op-a', 'op-b'],
    services: SERVICES.map((id) => ({ id, listen: 'http://127.0.0.1:0', backend: backend.url })),
    storePath: join(tmp.dir, 'smt'),
    pocketNodeExtra: ['query_timeout_ms: 2000', 'query_backoff_initial_ms: 20', 'query_backoff_max_ms: 100', 'block_interval_ms: 400'].join('\n'),
  });
  const miner = await startRelayMiner({ configPath: config, flags: { gasPrices: '0.000001upokt' }, logger: silentLogger });
  cleanups.push(() => miner.close());
  await miner.chain.blocks.waitFor(BigInt(net.height + 1));

  const reports = await Promise.all(
    SERVICES.flatMap((serviceId) =>
      SUPPLIERS.map((supplierOperatorAddress) =>
        sendRelays({
          rpcUrl: net.rpcUrl,
          chain: miner.chain,
          relayUrl: miner.relayUrlOf(serviceId),
          serviceId,
          supplierOperatorAddress,
          appPrivateKey: APP_KEY,
          gatewayPrivateKey: GATEWAY_KEY,
          count: 10,
          concurrency: 2,
        }),
      ),
    ),
  );
  const answered = reports.reduce((n, r) => n + r.ok, 0);
  expect(answered).toBe(40);

  // every session the miner holds is finished once the chain has settled it
  await net.waitFor(() => miner.sessions.sessions().length === 0 && miner.stats().sessions.proofs.included > 0, { ms: 45_000 });
  const stats = miner.stats();
  const ours = net.app!.claims().filter((c) => SUPPLIERS.includes(c.supplierOperatorAddress));
  const claimed = ours.reduce((n, c) => n + new DataView(c.rootHash.buffer, c.rootHash.byteOffset).getBigUint64(40), 0n);
  // answered relays are mined, except any validated in a grace period and mined after the claim window opened
  expect(stats.minedRelays + stats.proxy.dropped.not_rewardable).toBe(answered);
  expect(claimed).toBe(BigInt(stats.minedRelays));
  expect(new Set(ours.map((c) => c.supplierOperatorAddress))).toEqual(new Set(SUPPLIERS));
  expect(new Set(ours.map((c) => c.sessionHeader.serviceId))).toEqual(new Set(SERVICES));
  const proofs = net.app!.proofs().filter((p) => SUPPLIERS.includes(p.supplierOperatorAddress));
  expect(proofs).toHaveLength(ours.length);
  expect(proofs.every((p) => p.status === 'VALIDATED')).toBe(true);
  expect(stats.sessions.proofs).toMatchObject({ valid: ours.length, invalid: 0, failed: 0 });
}, 90_000);
