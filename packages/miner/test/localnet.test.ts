/**
 * End to end on a localnet: ring-signed relays are served by the proxy's relay servers (real
 * authenticator and meter), and their served relays flow into minedRelays with the chain's
 * difficulty and compute units per relay as dependencies.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, from, toArray } from 'rxjs';
import { ChainClient } from '@relayminer/chain';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import {
  POKTHTTPRequest,
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RelayRequest,
  RingSigner,
  addressFromPrivateKey,
  fromHex,
  isRelayMinable,
  minedRelayBytes,
  relayHash,
  relayRequestSignableHash,
  ringAddressesForSession,
  type SessionHeader,
} from '@relayminer/protocol';
import { ChainRelayAuthenticator, ChainRelayMeter, StaticKeyRing, startRelayServers, type ServedRelay } from '@relayminer/proxy';
import { miningParamsFromChain, minedRelays } from '../src/index.js';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const APP_KEY = key(0x11);
const SUPPLIER_KEY = key(0x22);
const GATEWAY_KEY = key(0x33);
const APP = addressFromPrivateKey(APP_KEY);
const SERVICE = 'svc1';
const CUPR = 7n;
const CUPR_LATER = 9n;
const TARGET = fromHex('7f' + 'ff'.repeat(31));
const RELAYS = 16;

let net: LocalnetHandle;
let chain: ChainClient;
let backend: http.Server;
let backendUrl: string;

beforeAll(async () => {
  net = await startLocalnet({
    port: 0,
    blockTimeMs: 0,
    genesis: {
      chain_id: 'miner-test',
      block_time_ms: 1000,
      min_gas_price: '0.000001upokt',
      params: {
        shared: {
          num_blocks_per_session: 4,
          grace_period_end_offset_blocks: 1,
          claim_window_open_offset_blocks: 1,
          claim_window_close_offset_blocks: 8,
          proof_window_open_offset_blocks: 0,
          proof_window_close_offset_blocks: 4,
          supplier_unbonding_period_sessions: 4,
          application_unbonding_period_sessions: 4,
          gateway_unbonding_period_sessions: 4,
        },
        proof: { proof_request_probability: 0 },
      },
      accounts: [
        { name: 'app', private_key: hex(APP_KEY), balance: '1000000000000upokt' },
        { name: 'supplier', private_key: hex(SUPPLIER_KEY), balance: '1000000000upokt' },
        { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
      ],
      services: [{ id: SERVICE, name: 'Service One', compute_units_per_relay: Number(CUPR), owner: 'app' }],
      relay_mining_difficulty: [{ service_id: SERVICE, target_hash: hex(TARGET), num_relays_ema: 100 }],
      applications: [{ account: 'app', stake: '100000000000upokt', services: [SERVICE], delegatees: ['gateway'] }],
      suppliers: [
        {
          operator: 'supplier',
          stake: '1000000upokt',
          services: [{ service_id: SERVICE, endpoints: [{ url: 'http://127.0.0.1:1', rpc_type: 'JSON_RPC' }] }],
        },
      ],
      // The live CUPR changes after the session; a mined relay must keep the session-start value.
      schedule: [{ at_height: 5, cupr: { service_id: SERVICE, compute_units_per_relay: Number(CUPR_LATER) } }],
    },
  });
  chain = await ChainClient.connect({
    chain_id: net.chainId,
    query_node_rpc_url: net.rpcUrl,
    query_node_grpc_url: 'http://127.0.0.1:9090',
    tx_node_rpc_url: net.rpcUrl,
    query_node_ws_url: net.wsUrl,
    query_timeout_ms: 2000,
    query_max_attempts: 2,
    query_backoff_initial_ms: 20,
    query_backoff_max_ms: 50,
  });
  await net.advance(1);
  await chain.blocks.waitFor(BigInt(net.height));
  backend = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(JSON.stringify({ jsonrpc: '2.0', id: 1, result: `0x${Math.random().toString(16).slice(2)}` })));
  });
  await new Promise<void>((r) => backend.listen(0, '127.0.0.1', r));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
}, 60_000);

afterAll(async () => {
  backend?.closeAllConnections();
  await new Promise((r) => backend?.close(r));
  chain?.close();
  await net?.stop();
});

async function ringOf(sessionEnd: bigint): Promise<Uint8Array[]> {
  const addresses = ringAddressesForSession(await chain.query.application(APP), sessionEnd);
  return Promise.all(
    addresses.map(async (a) => (a === RING_PLACEHOLDER_ADDRESS ? fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX) : (await chain.query.account(a))!.pubKey!)),
  );
}

function signedRequest(header: SessionHeader, ring: Uint8Array[], supplier: string, i: number): Uint8Array {
  const unsigned: RelayRequest = {
    meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: supplier },
    payload: POKTHTTPRequest.marshal({
      method: 'POST',
      header: { 'Content-Type': { key: 'Content-Type', values: ['application/json'] } },
      url: 'http://gateway/',
      bodyBz: new TextEncoder().encode(`{"jsonrpc":"2.0","id":${i},"method":"eth_blockNumber"}`),
    }),
  };
  const signature = new RingSigner(GATEWAY_KEY).sign(relayRequestSignableHash(unsigned), ring);
  return RelayRequest.marshal({ ...unsigned, meta: { ...unsigned.meta!, signature } });
}

describe('minedRelays on served relays of a localnet', () => {
  it('mines what the proxy served, against the chain target, weighted with the session-start CUPR', async () => {
    const keyRing = new StaticKeyRing(new Map([['supplier', SUPPLIER_KEY]]));
    const servers = await startRelayServers({
      suppliers: [{ serviceId: SERVICE, listenUrl: 'http://127.0.0.1:0', backend: { url: backendUrl }, requestTimeoutMs: 5000, maxBodyBytes: 1 << 20 }],
      keyRing,
      authenticator: ChainRelayAuthenticator.fromChainClient(chain, keyRing),
      meter: ChainRelayMeter.fromChainClient(chain),
      eagerValidation: true,
      overServicing: false,
      currentHeight: () => chain.blocks.height ?? 0n,
      rewardable: () => true,
      servedBuffer: { size: 100, overflow: 'drop' },
    });
    const served: ServedRelay[] = [];
    servers.servedRelays().subscribe((r) => served.push(r));
    try {
      const header = (await chain.query.getSession(APP, SERVICE, BigInt(net.height))).header!;
      expect(header.sessionStartBlockHeight).toBe(1n);
      const ring = await ringOf(header.sessionEndBlockHeight);
      for (let i = 0; i < RELAYS; i++) {
        const reply = await fetch(servers.servers[0]!.url, { method: 'POST', body: Buffer.from(signedRequest(header, ring, keyRing.operatorAddresses[0]!, i)) });
        expect(reply.status).toBe(200);
        await reply.arrayBuffer();
      }
      for (let i = 0; i < 100 && served.length < RELAYS; i++) await new Promise((r) => setTimeout(r, 20));
      expect(served).toHaveLength(RELAYS);
    } finally {
      await servers.close();
    }

    // Mine after the live CUPR changed: the weight must still be the session start's.
    await net.advance(5);
    await chain.blocks.waitFor(BigInt(net.height));
    expect((await chain.query.service(SERVICE)).computeUnitsPerRelay).toBe(CUPR_LATER);

    const mined$ = minedRelays(from(served), miningParamsFromChain(chain.query), { batchSize: 5, batchWaitMs: 2 });
    const mined = await firstValueFrom(mined$.pipe(toArray()));

    // Independently: which served relays should be mined against the genesis target.
    const expected = served
      .map((s) => relayHash(minedRelayBytes(s.request, s.response)))
      .filter((h) => isRelayMinable(h, TARGET));
    expect(mined.map((m) => hex(m.relayHash))).toEqual(expected.map(hex));
    expect(mined.length).toBeGreaterThan(0);
    for (const m of mined) {
      expect(m.weight).toBe(CUPR);
      expect(m.serviceId).toBe(SERVICE);
      expect(m.supplierOperatorAddress).toBe(keyRing.operatorAddresses[0]);
      expect(m.sessionHeader.sessionStartBlockHeight).toBe(1n);
    }
    expect(mined$.stats()).toEqual({
      received: RELAYS,
      mined: expected.length,
      notMinable: RELAYS - expected.length,
      dropped: { invalid_request: 0, invalid_response: 0, lookup_failed: 0, encode_failed: 0 },
    });
  });
});
