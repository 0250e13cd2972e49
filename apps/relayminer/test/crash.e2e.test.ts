/**
 * kill -9 of the `relayminer start` process in the middle of a session, right after its replies went out:
 * the restarted process claims exactly the relays that were answered (reply_after_persist, the default,
 * sends a reply only once its relay is in the relay log).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, expect, it } from 'vitest';
import { ChainClient } from '@relayminer/chain';
import { RelayRequest, RelayResponse, minedRelayBytes, publicKeyFromPrivateKey, relayHash, verifyRelayResponseSignature } from '@relayminer/protocol';
import { SparseMerkleSumTrie } from '@relayminer/smst';
import { tempDir } from './cli-harness.js';
import { writeConfig, writeKeys } from './config-fixture.js';
import { APP, SERVICE, SUPPLIER_KEY, driveUntil, httpRequest, ringOf, signedRelay, startBackend, startNet } from './localnet-fixture.js';

const BIN = fileURLToPath(new URL('../bin/relayminer.mjs', import.meta.url));
const CUPR = 7n; // the fixture genesis
const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Starts `relayminer start` and resolves with the relay URL from its start-up log line. */
async function startProcess(config: string): Promise<{ child: ChildProcess; url: string; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }> }> {
  const child = spawn(process.execPath, [BIN, 'start', '--config', config, '--gas-prices', '0.000001upokt', '--log-level', 'info'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, RELAYMINER_VERIFY_WORKERS: '0' },
  });
  cleanups.push(() => void child.kill('SIGKILL'));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  let stderr = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start-up line:\n${stderr}`)), 20_000);
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      const line = stderr.split('\n').find((l) => l.includes('"relay miner started"'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).services[0].url);
      }
    });
    child.on('exit', () => reject(new Error(`exited early:\n${stderr}`)));
  });
  return { child, url, exited };
}

it('after kill -9 right after its replies, the restarted process claims every relay that was answered', async () => {
  const net = await startNet();
  const backend = await startBackend();
  const tmp = tempDir();
  cleanups.push(() => net.stop(), () => backend.close(), () => tmp.remove());
  writeKeys(tmp.dir, { 'supplier-op-1': SUPPLIER_KEY });
  const config = writeConfig(tmp.dir, {
    chainId: net.chainId,
    rpcUrl: net.rpcUrl,
    services: [{ id: SERVICE, listen: 'http://127.0.0.1:0', backend: backend.url }],
    storePath: join(tmp.dir, 'smt'),
    pocketNodeExtra: ['query_timeout_ms: 2000', 'query_backoff_initial_ms: 20', 'query_backoff_max_ms: 100'].join('\n'),
  });
  await net.advance(1);
  const chain = await ChainClient.connect({ chain_id: net.chainId, query_node_rpc_url: net.rpcUrl, tx_node_rpc_url: net.rpcUrl, query_node_grpc_url: 'http://127.0.0.1:9090' });
  cleanups.push(() => chain.close());
  const header = (await chain.query.getSession(APP, SERVICE, BigInt(net.height))).header!;
  const ring = await ringOf(chain, header);

  const first = await startProcess(config);
  // 40 relays, 8 at a time; blocks stay put, so the session is open throughout
  const answered: Uint8Array[] = [];
  const supplierKey = publicKeyFromPrivateKey(SUPPLIER_KEY);
  let next = 0;
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      while (next < 40) {
        const body = signedRelay(header, ring, `{"id":${next++}}`);
        const reply = await httpRequest(first.url, { body });
        const response = RelayResponse.unmarshal(reply.body);
        expect(verifyRelayResponseSignature(response, supplierKey)).toBe(true);
        answered.push(minedRelayBytes(RelayRequest.unmarshal(body), response));
      }
    }),
  );
  first.child.kill('SIGKILL');
  expect((await first.exited).signal).toBe('SIGKILL');

  const second = await startProcess(config);
  expect(await driveUntil(net, () => net.app!.claims().length >= 1)).toBe(true);
  const claim = net.app!.claims()[0]!;
  const reference = new SparseMerkleSumTrie({ core: 'reference' });
  for (const bytes of answered) reference.update(relayHash(bytes), bytes, CUPR);
  const view = new DataView(claim.rootHash.buffer, claim.rootHash.byteOffset);
  expect(view.getBigUint64(40)).toBe(40n);
  expect(Buffer.from(claim.rootHash).toString('hex')).toBe(Buffer.from(reference.root()).toString('hex'));

  second.child.kill('SIGTERM');
  expect((await second.exited).code).toBe(0);
}, 90_000);
