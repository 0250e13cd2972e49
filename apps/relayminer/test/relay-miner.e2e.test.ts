/**
 * The whole relay miner against a localnet over real sockets: startRelayMiner from a config file and a
 * keys file, ring-signed relays served and signed, mined, persisted and claimed on chain, metrics and
 * readiness following along, and a clean close; then the `relayminer start` process stopping on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalnetHandle } from '@relayminer/localnet';
import { RelayResponse, publicKeyFromPrivateKey, verifyRelayResponseSignature, type SessionHeader } from '@relayminer/protocol';
import { createLogger, silentLogger } from '../src/log/logger.js';
import { startRelayMiner, type RelayMinerHandle } from '../src/start.js';
import { tempDir } from './cli-harness.js';
import { writeConfig, writeKeys } from './config-fixture.js';
import {
  APP,
  OTHER_SUPPLIER,
  SERVICE,
  SUPPLIER,
  SUPPLIER_KEY,
  driveUntil,
  httpRequest,
  metricValue,
  ringOf,
  signedRelay,
  startBackend,
  startNet,
} from './localnet-fixture.js';

const SUPPLIER_KEY_HEX = Buffer.from(SUPPLIER_KEY).toString('hex');
/** Tight chain client timings so that the test notices things in milliseconds, not minutes. */
const FAST_CHAIN = ['query_timeout_ms: 2000', 'query_max_attempts: 2', 'query_backoff_initial_ms: 20', 'query_backoff_max_ms: 100', 'ws_reconnect_initial_ms: 50', 'ws_reconnect_max_ms: 500'].join('\n');

let net: LocalnetHandle;
let backend: Awaited<ReturnType<typeof startBackend>>;
let tmp: ReturnType<typeof tempDir>;

beforeAll(async () => {
  net = await startNet();
  backend = await startBackend();
  tmp = tempDir();
  writeKeys(tmp.dir, { 'supplier-op-1': SUPPLIER_KEY });
});

afterAll(async () => {
  await backend?.close();
  await net?.stop();
  tmp?.remove();
});

function configFor(name: string, metricsAddr = '127.0.0.1:0'): string {
  return writeConfig(
    tmp.dir,
    {
      chainId: net.chainId,
      rpcUrl: net.rpcUrl,
      services: [{ id: SERVICE, listen: 'http://127.0.0.1:0', backend: backend.url }],
      storePath: join(tmp.dir, `${name}-smt`),
      metricsAddr,
      pocketNodeExtra: FAST_CHAIN,
    },
    `${name}.yaml`,
  );
}

describe('startRelayMiner on a localnet', () => {
  let handle: RelayMinerHandle;
  const logs: string[] = [];

  it('serves, mines, persists and claims relays, with metrics, readiness and logs along the way', async () => {
    const logger = createLogger({ level: 'debug', write: (l) => logs.push(l) });
    handle = await startRelayMiner({ configPath: configFor('e2e'), flags: { gasPrices: '0.000001upokt' }, logger });
    expect(handle.metricsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(() => handle.relayUrlOf('nope')).toThrow('service "nope" is not configured');

    const started = logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'relay miner started');
    expect(started).toMatchObject({ level: 'info', chain_id: net.chainId, operators: [SUPPLIER], services: [{ service_id: SERVICE, url: handle.relayUrlOf(SERVICE) }], metrics_url: handle.metricsUrl });

    await net.advance(1);
    await handle.chain.blocks.waitFor(BigInt(net.height));
    expect((await httpRequest(`${handle.metricsUrl}/readyz`)).status).toBe(200);
    expect((await httpRequest(`${handle.metricsUrl}/healthz`)).status).toBe(200);

    const header: SessionHeader = (await handle.chain.query.getSession(APP, SERVICE, BigInt(net.height))).header!;
    const ring = await ringOf(handle.chain, header);
    const url = handle.relayUrlOf(SERVICE);
    const supplierPublicKey = publicKeyFromPrivateKey(SUPPLIER_KEY);
    const RELAYS = 5;
    // reply_after_persist is on by default: each reply comes once its relay is in the relay log
    const replies = await Promise.all(Array.from({ length: RELAYS }, (_, i) => httpRequest(url, { body: signedRelay(header, ring, `{"id":${i}}`) })));
    for (const reply of replies) {
      expect(reply.status).toBe(200);
      const response = RelayResponse.unmarshal(reply.body);
      expect(response.relayMinerError).toBeUndefined();
      expect(verifyRelayResponseSignature(response, supplierPublicKey)).toBe(true);
    }
    // a supplier that is not ours: Go's relayer_proxy 9, never forwarded
    const foreign = RelayResponse.unmarshal((await httpRequest(url, { body: signedRelay(header, ring, '{}', OTHER_SUPPLIER) })).body);
    expect(foreign.relayMinerError).toMatchObject({ codespace: 'relayer_proxy', code: 9 });
    expect(backend.requests).toBe(RELAYS);

    const stats = handle.stats();
    expect(stats).toMatchObject({ served: RELAYS, minedRelays: RELAYS, minerDropped: 0, notMinable: 0 });
    expect(stats.sessions.relaysPersisted).toBe(RELAYS);
    expect(stats.sessions.trees.open).toBe(1);

    let metrics = (await httpRequest(`${handle.metricsUrl}/metrics`)).body.toString();
    const ours = `service_id="${SERVICE}",supplier_operator_address="${SUPPLIER}"`;
    expect(metricValue(metrics, `relayminer_requests_total{${ours}}`)).toBe(RELAYS);
    expect(metricValue(metrics, `relayminer_requests_success_total{${ours}}`)).toBe(RELAYS);
    expect(metricValue(metrics, `relayminer_requests_errors_total{service_id="${SERVICE}",supplier_operator_address="${OTHER_SUPPLIER}",error_type="supplier_not_reachable"}`)).toBe(1);
    // sizes are per service: the foreign-supplier rejection counts too
    expect(metricValue(metrics, `relayminer_request_size_bytes_count{service_id="${SERVICE}"}`)).toBe(RELAYS + 1);
    expect(metricValue(metrics, `relayminer_relay_duration_seconds_count{service_id="${SERVICE}"}`)).toBe(RELAYS + 1);
    expect(metricValue(metrics, 'relayminer_relays_mined_total')).toBe(RELAYS);
    expect(metricValue(metrics, 'relayminer_relays_persisted_total')).toBe(RELAYS);
    expect(metricValue(metrics, 'relayminer_session_trees{state="open"}')).toBe(1);
    expect(metricValue(metrics, 'relayminer_block_height')).toBe(net.height);

    // through the claim window: the claim lands on chain and, no proof being asked, the session ends
    const claimed = await driveUntil(net, () => handle.stats().sessions.claims.included >= 1 && handle.sessions.sessions().length === 0);
    metrics = (await httpRequest(`${handle.metricsUrl}/metrics`)).body.toString();
    expect(claimed, `sessions: ${JSON.stringify(handle.stats().sessions, (_, v) => (typeof v === 'bigint' ? String(v) : v))}`).toBe(true);
    expect(net.app!.claims()).toHaveLength(1);
    expect(metricValue(metrics, 'relayminer_claims_submitted_total')).toBeGreaterThanOrEqual(1);
    expect(metricValue(metrics, 'relayminer_claims_included_total')).toBe(1);
    expect(metricValue(metrics, 'relayminer_upokt_claimed_total')).toBeGreaterThan(0);
    expect(metricValue(metrics, 'relayminer_sessions_done_total{outcome="claimed_no_proof"}')).toBe(1);
    const events = logs.map((l) => JSON.parse(l));
    expect(events.find((e) => e.msg === 'claims included')).toMatchObject({ level: 'info', supplier_operator_address: SUPPLIER, sessions: 1, relays: String(RELAYS) });
    expect(events.find((e) => e.msg === 'session done')).toMatchObject({ outcome: 'claimed_no_proof', relays: String(RELAYS) });
  });

  it('closes cleanly and idempotently, and never logged the key', async () => {
    const first = handle.close();
    expect(handle.close()).toBe(first);
    await first;
    await handle.closed;
    await expect(httpRequest(`${handle.metricsUrl}/metrics`)).rejects.toThrow(/ECONNREFUSED/);
    await expect(httpRequest(handle.relayUrlOf(SERVICE), { body: new Uint8Array(1) })).rejects.toThrow(/ECONNREFUSED/);
    expect(logs.map((l) => JSON.parse(l).msg)).toContain('relay miner stopped');
    expect(logs.join('\n')).not.toContain(SUPPLIER_KEY_HEX.slice(0, 16));
  });
});

describe('startRelayMiner start-up failures', () => {
  it('names the stage that failed, and undoes what had started (the store can be opened again)', async () => {
    const wrongChain = startRelayMiner({ configPath: configFor('wrong-chain'), flags: { chainId: 'not-this-chain' }, logger: silentLogger });
    await expect(wrongChain).rejects.toMatchObject({ name: 'StartupError', stage: 'chain' });

    // the metrics port is taken: everything started before it is closed again
    const blocker = await startBackend();
    const busy = startRelayMiner({ configPath: configFor('busy-metrics', new URL(blocker.url).host), logger: silentLogger });
    await expect(busy).rejects.toMatchObject({ name: 'StartupError', stage: 'metrics' });
    await blocker.close();
    // same store path: LevelDB would refuse it had the failed start left it open
    const again = await startRelayMiner({ configPath: configFor('busy-metrics'), logger: silentLogger });
    await again.close();
  });
});

describe('relayminer start (process)', () => {
  it('starts from the config file, logs its summary, and exits 0 on SIGTERM after a graceful stop', async () => {
    const bin = fileURLToPath(new URL('../bin/relayminer.mjs', import.meta.url));
    const child = spawn(process.execPath, [bin, 'start', '--config', configFor('cli'), '--gas-prices', '0.000001upokt', '--log-level', 'info'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, RELAYMINER_VERIFY_WORKERS: '0' },
    });
    let stderr = '';
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no start-up line; stderr so far:\n${stderr}`)), 20_000);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (stderr.includes('"relay miner started"')) {
          clearTimeout(timer);
          resolve();
        }
      });
      child.on('exit', () => reject(new Error(`exited early:\n${stderr}`)));
    });
    const started = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l)).find((l) => l.msg === 'relay miner started');
    expect(started.metrics_url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await httpRequest(`${started.metrics_url}/healthz`)).status).toBe(200);

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    const messages = stderr.split('\n').filter(Boolean).map((l) => JSON.parse(l).msg);
    expect(messages).toContain('relay miner stopped');
    expect(stderr).not.toContain(SUPPLIER_KEY_HEX.slice(0, 16));
  });
});
