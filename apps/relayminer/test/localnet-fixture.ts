/**
 * A localnet of our own for the end-to-end tests: one app with a gateway, our supplier staked for
 * `svc1`, every relay minable (target ff…ff), short windows and no proofs asked, so a session goes from
 * relays to an included claim within a couple of dozen blocks. Keys are test-only constants.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import type { ChainClient } from '@relayminer/chain';
import { POKTHTTPRequest, RelayRequest, RingSigner, addressFromPrivateKey, relayRequestSignableHash, type SessionHeader } from '@relayminer/protocol';
import { RingCache } from '@relayminer/proxy';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const APP_KEY = key(0x11);
export const SUPPLIER_KEY = key(0x22);
export const GATEWAY_KEY = key(0x33);
export const OTHER_SUPPLIER_KEY = key(0x55);
export const APP = addressFromPrivateKey(APP_KEY);
export const SUPPLIER = addressFromPrivateKey(SUPPLIER_KEY);
export const OTHER_SUPPLIER = addressFromPrivateKey(OTHER_SUPPLIER_KEY);
export const SERVICE = 'svc1';

export function genesis(): object {
  const supplier = (operator: string) => ({
    operator,
    stake: '1000000upokt',
    services: [{ service_id: SERVICE, endpoints: [{ url: 'http://127.0.0.1:1', rpc_type: 'JSON_RPC' }] }],
  });
  return {
    chain_id: 'relayminer-app-test',
    block_time_ms: 1000,
    min_gas_price: '0.000001upokt',
    params: {
      shared: {
        num_blocks_per_session: 4,
        grace_period_end_offset_blocks: 1,
        claim_window_open_offset_blocks: 1,
        claim_window_close_offset_blocks: 4,
        proof_window_open_offset_blocks: 0,
        proof_window_close_offset_blocks: 4,
        supplier_unbonding_period_sessions: 4,
        application_unbonding_period_sessions: 4,
        gateway_unbonding_period_sessions: 4,
        compute_units_to_tokens_multiplier: 42_000_000,
        compute_unit_cost_granularity: 1_000_000,
      },
      proof: { proof_request_probability: 0, proof_submission_fee: '1000000upokt', proof_requirement_threshold: '20000000000upokt' },
    },
    accounts: [
      { name: 'app', private_key: hex(APP_KEY), balance: '1000000000000upokt' },
      { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
      { name: 'supplier', private_key: hex(SUPPLIER_KEY), balance: '50000000000upokt' },
      { name: 'other-supplier', private_key: hex(OTHER_SUPPLIER_KEY), balance: '50000000000upokt' },
    ],
    services: [{ id: SERVICE, name: 'Service One', compute_units_per_relay: 7, owner: 'app' }],
    relay_mining_difficulty: [{ service_id: SERVICE, target_hash: 'ff'.repeat(32), num_relays_ema: 100 }],
    applications: [{ account: 'app', stake: '100000000000upokt', services: [SERVICE], delegatees: ['gateway'] }],
    suppliers: [supplier('supplier'), supplier('other-supplier')],
  };
}

export function startNet(): Promise<LocalnetHandle> {
  return startLocalnet({ genesis: genesis(), port: 0, blockTimeMs: 0 });
}

/** The app's ring for a session, built from the chain as the relay miner's verifier builds it. */
export function ringOf(chain: ChainClient, header: SessionHeader): Promise<readonly Uint8Array[]> {
  return new RingCache(chain.query).ringFor(header.applicationAddress, header.sessionEndBlockHeight);
}

/** A RelayRequest as the app's gateway sends it: a JSON POST, ring-signed over the app's ring. */
export function signedRelay(header: SessionHeader, ring: readonly Uint8Array[], body: string, supplier = SUPPLIER): Uint8Array {
  const payload = POKTHTTPRequest.marshal({
    method: 'POST',
    header: { 'Content-Type': { key: 'Content-Type', values: ['application/json'] } },
    url: 'http://gateway/',
    bodyBz: new TextEncoder().encode(body),
  });
  const unsigned: RelayRequest = { meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: supplier }, payload };
  const signature = new RingSigner(GATEWAY_KEY).sign(relayRequestSignableHash(unsigned), ring);
  return RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta!, signature } });
}

export interface HttpReply {
  status: number;
  body: Buffer;
}

export function httpRequest(url: string, options: { method?: string; body?: Uint8Array } = {}): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? (options.body ? 'POST' : 'GET'), agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A JSON backend that echoes the request body. */
export async function startBackend(): Promise<{ url: string; requests: number; close(): Promise<void> }> {
  const state = { requests: 0 };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      state.requests++;
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: Buffer.concat(chunks).toString() }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}

/** Produces a block every `everyMs` until `done()` holds (or `maxBlocks` were made); returns whether it held. */
export async function driveUntil(net: LocalnetHandle, done: () => boolean | Promise<boolean>, everyMs = 60, maxBlocks = 40): Promise<boolean> {
  for (let i = 0; i < maxBlocks; i++) {
    if (await done()) return true;
    await net.advance(1);
    await new Promise((r) => setTimeout(r, everyMs));
  }
  return done();
}

/** One sample of a Prometheus exposition. */
export function metricValue(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(sample + ' '));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}
