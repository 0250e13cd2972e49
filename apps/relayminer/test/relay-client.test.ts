/**
 * The relay client against a real localnet (the demo genesis, manual blocks) and a real relay server of
 * @relayminer/proxy with the chain-backed authenticator and meter, in front of the demo backend.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChainClient } from '@relayminer/chain';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import { addressFromPrivateKey, publicKeyFromPrivateKey } from '@relayminer/protocol';
import { ChainRelayAuthenticator, ChainRelayMeter, StaticKeyRing, startRelayServers, type RelayServers, type ServedRelay } from '@relayminer/proxy';
import { relayCommand, sendRelays, type RelayClientOptions } from '../src/relay-client/index.js';
import { startDemoBackend, type DemoBackend } from '../src/demo/backend.js';
import { DEMO_SERVICE_ID, RELAYMINER_DEMO_GENESIS_PATH, demoAccountKey } from '../src/demo/demo-genesis.js';

const APP_KEY = demoAccountKey('app1');
const GATEWAY_KEY = demoAccountKey('gateway1');
const SUPPLIER_KEY = demoAccountKey('supplier1');
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

let net: LocalnetHandle;
let chain: ChainClient;
let backend: DemoBackend;
let servers: RelayServers;
const served: ServedRelay[] = [];

beforeAll(async () => {
  net = await startLocalnet({ genesis: RELAYMINER_DEMO_GENESIS_PATH, port: 0, blockTimeMs: 0 });
  await net.advance(1); // height 2: inside the first session, well before its end
  chain = await ChainClient.connect({ chain_id: net.chainId, query_node_rpc_url: net.rpcUrl, tx_node_rpc_url: net.rpcUrl });
  backend = await startDemoBackend();
  const keyRing = new StaticKeyRing(new Map([['supplier1', SUPPLIER_KEY]]));
  servers = await startRelayServers({
    suppliers: [{ serviceId: DEMO_SERVICE_ID, listenUrl: 'http://127.0.0.1:0', backend: { url: backend.url }, requestTimeoutMs: 5000, maxBodyBytes: 1 << 20 }],
    keyRing,
    authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing),
    meter: ChainRelayMeter.fromChainClient(chain),
    eagerValidation: true,
    overServicing: false,
    currentHeight: () => chain.blocks.height ?? 0n,
    rewardable: () => true,
    servedBuffer: { size: 1000, overflow: 'drop' },
  });
  servers.servedRelays().subscribe((r) => served.push(r));
});

afterAll(async () => {
  await servers?.close();
  await backend?.close();
  chain?.close();
  await net?.stop();
});

const options = (extra: Partial<RelayClientOptions> = {}): RelayClientOptions => ({
  rpcUrl: net.rpcUrl,
  relayUrl: servers.servers[0]!.url,
  serviceId: DEMO_SERVICE_ID,
  appPrivateKey: APP_KEY,
  count: 30,
  concurrency: 4,
  ...extra,
});

describe('sendRelays (localnet + relay server)', () => {
  it('sends N ring-signed relays as a delegated gateway and verifies every supplier signature', async () => {
    const before = served.length;
    const report = await sendRelays(options({ gatewayPrivateKey: GATEWAY_KEY }));
    expect(report).toMatchObject({ sent: 30, ok: 30, failed: 0, errors: {} });
    expect(report.sessions).toHaveLength(1);
    expect(report.latencyMs.p50).toBeGreaterThan(0);
    expect(report.latencyMs.p99).toBeGreaterThanOrEqual(report.latencyMs.p50);
    expect(report.relaysPerSecond).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(served.length - before).toBe(30);
    expect(served.at(-1)!.sessionHeader.sessionId).toBe(report.sessions[0]);
  });

  it('signs as the application itself when no gateway key is given', async () => {
    const report = await sendRelays(options({ count: 5, concurrency: 2 }));
    expect(report).toMatchObject({ sent: 5, ok: 5, failed: 0 });
  });

  it('counts answers that do not verify against the supplier key as bad signatures', async () => {
    const wrongKey = publicKeyFromPrivateKey(new Uint8Array(32).fill(0x42));
    const report = await sendRelays(options({ count: 8, supplierPublicKey: wrongKey }));
    expect(report).toMatchObject({ sent: 8, ok: 0, failed: 8, errors: { bad_signature: 8 } });
  });

  it("counts the relay miner's refusals by codespace and code", async () => {
    const stranger = addressFromPrivateKey(new Uint8Array(32).fill(0x55));
    const report = await sendRelays(options({ count: 3, concurrency: 1, supplierOperatorAddress: stranger }));
    expect(report.errors).toEqual({ 'relay_miner_error:relayer_proxy:9': 3 });
  });

  it('counts an unreachable relay server as network failures', async () => {
    const report = await sendRelays(options({ count: 2, relayUrl: 'http://127.0.0.1:1/', timeoutMs: 2000 }));
    expect(report).toMatchObject({ sent: 2, ok: 0, errors: { 'network:ECONNREFUSED': 2 } });
  });

  it('follows the chain into the next session and signs for it', async () => {
    // The relay server's own chain client: with eager validation, a client that saw the new session
    // before the server did would be refused, which is a race of two views, not what this test is about.
    let advanced: Promise<number> | undefined;
    const report = await sendRelays(
      options({
        chain,
        count: 16,
        concurrency: 1,
        ratePerSecond: 40,
        // into the next 4-block session once a few relays went out for this one
        // (to its first block: relays in flight for the old session are still inside its grace period)
        onRelay: (r) => r.index === 2 && (advanced = net.advance(3)),
      }),
    );
    await advanced;
    expect(report, JSON.stringify(report.errors)).toMatchObject({ sent: 16, ok: 16, failed: 0 });
    expect(report.sessions).toHaveLength(2);
  });

  it('stops early when the signal aborts', async () => {
    const stop = new AbortController();
    const report = await sendRelays(
      options({ count: Infinity, concurrency: 2, signal: stop.signal, onRelay: (r) => r.index >= 5 && stop.abort() }),
    );
    expect(report.sent).toBeGreaterThanOrEqual(6);
    expect(report.sent).toBeLessThan(20);
    expect(report.failed).toBe(0);
  });
});

describe('relayminer relay (CLI)', () => {
  it('reads the key from a file and prints the report as JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-client-'));
    try {
      writeFileSync(join(dir, 'app.key'), `0x${hex(APP_KEY)}\n`, { mode: 0o600 });
      writeFileSync(join(dir, 'gw.key'), hex(GATEWAY_KEY), { mode: 0o600 });
      const out: string[] = [];
      const code = await relayCommand(
        ['--node', net.rpcUrl, '--relay-url', servers.servers[0]!.url, '--service', DEMO_SERVICE_ID, '--app-key-file', join(dir, 'app.key'), '--gateway-key-file', join(dir, 'gw.key'), '--count', '6', '--concurrency', '3', '--json'],
        { stdout: (l) => out.push(l), stderr: (l) => out.push(l) },
      );
      expect(code).toBe(0);
      expect(JSON.parse(out.at(-1)!)).toMatchObject({ sent: 6, ok: 6, failed: 0 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the key from stdin with --app-key-hex - and prints a readable report', async () => {
    const out: string[] = [];
    const code = await relayCommand(
      ['--node', net.rpcUrl, '--relay-url', servers.servers[0]!.url, '--service', DEMO_SERVICE_ID, '--app-key-hex', '-', '--count', '2'],
      { stdout: (l) => out.push(l), stderr: (l) => out.push(l), stdin: Readable.from([hex(APP_KEY)]) },
    );
    expect(code).toBe(0);
    expect(out[0]).toBe('sent 2, ok 2 (supplier signature verified), failed 0');
  });

  it('refuses a key on the command line and never echoes it', async () => {
    const err: string[] = [];
    const code = await relayCommand(['--node', net.rpcUrl, '--relay-url', 'http://x:1', '--service', 's', '--app-key-hex', hex(APP_KEY)], {
      stdout: () => {},
      stderr: (l) => err.push(l),
    });
    expect(code).toBe(2);
    expect(err.join('\n')).not.toContain(hex(APP_KEY));
    expect(err[0]).toMatch(/--app-key-hex takes only "-"/);
  });

  it('never echoes a stray argument either (it may be a pasted key)', async () => {
    const err: string[] = [];
    const code = await relayCommand(['--node', net.rpcUrl, hex(APP_KEY)], { stdout: () => {}, stderr: (l) => err.push(l) });
    expect(code).toBe(2);
    expect(err.join('\n')).not.toContain(hex(APP_KEY));
    expect(err[0]).toMatch(/unexpected argument/);
  });
});
