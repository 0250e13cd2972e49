/**
 * A localnet of our own for the sessions tests (two suppliers, two services, short windows) and real
 * mined relays for it: ring-signed by the app's gateway, signed by the supplier, hashed and weighted
 * with the chain's own difficulty and compute units per relay at the session start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RingSigner,
  addressFromPrivateKey,
  fromHex,
  isRelayMinable,
  minedRelayBytes,
  relayHash,
  relayRequestSignableHash,
  ringAddressesForSession,
  signRelayResponse,
  type RelayRequest,
  type SessionHeader,
} from '@relayminer/protocol';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import { ChainClient } from '@relayminer/chain';
import type { MinedRelay } from '@relayminer/miner';
import { SparseMerkleSumTrie } from '@relayminer/smst';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const APP_KEY = key(0x11);
export const GATEWAY_KEY = key(0x33);
export const SUPPLIER_KEYS = [key(0x22), key(0x66)] as const;
export const APP = addressFromPrivateKey(APP_KEY);
export const SUPPLIERS = SUPPLIER_KEYS.map((k) => addressFromPrivateKey(k));
export const SERVICES = ['svc1', 'svc2'] as const;
export const CUPR: Record<string, bigint> = { svc1: 7n, svc2: 3n };

export interface NetOptions {
  proofRequestProbability?: number;
  blockTimeMs?: number;
}

export function genesis(o: NetOptions = {}): object {
  return {
    chain_id: 'sessions-test',
    block_time_ms: o.blockTimeMs ?? 200,
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
      proof: { proof_request_probability: o.proofRequestProbability ?? 1, proof_submission_fee: '1000000upokt', proof_requirement_threshold: '20000000000upokt' },
    },
    accounts: [
      { name: 'app', private_key: hex(APP_KEY), balance: '1000000000000upokt' },
      { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
      ...SUPPLIER_KEYS.map((k, i) => ({ name: `supplier${i}`, private_key: hex(k), balance: '50000000000upokt' })),
    ],
    services: SERVICES.map((id) => ({ id, name: id, compute_units_per_relay: Number(CUPR[id]), owner: 'app' })),
    relay_mining_difficulty: SERVICES.map((id) => ({ service_id: id, target_hash: 'ff'.repeat(32), num_relays_ema: 100 })),
    applications: [{ account: 'app', stake: '100000000000upokt', services: [...SERVICES], delegatees: ['gateway'] }],
    suppliers: SUPPLIER_KEYS.map((_, i) => ({
      operator: `supplier${i}`,
      stake: '1000000upokt',
      services: SERVICES.map((service_id) => ({ service_id, endpoints: [{ url: 'http://127.0.0.1:1', rpc_type: 'JSON_RPC' }] })),
    })),
  };
}

export interface TestNet {
  net: LocalnetHandle;
  chain: ChainClient;
  close(): Promise<void>;
}

export async function startNet(o: NetOptions = {}): Promise<TestNet> {
  const net = await startLocalnet({ genesis: genesis(o), port: 0, blockTimeMs: o.blockTimeMs ?? 200 });
  const chain = await ChainClient.connect({
    chain_id: net.chainId,
    query_node_rpc_url: net.rpcUrl,
    query_node_grpc_url: 'http://127.0.0.1:9090',
    tx_node_rpc_url: net.rpcUrl,
    query_node_ws_url: net.wsUrl,
    gas_prices: '0.000001upokt',
    query_timeout_ms: 2000,
    query_backoff_initial_ms: 50,
    query_backoff_max_ms: 200,
    ws_reconnect_initial_ms: 50,
    ws_reconnect_max_ms: 500,
  });
  return {
    net,
    chain,
    async close() {
      chain.close();
      await net.stop();
    },
  };
}

export const txClientFor = (chain: ChainClient) => (address: string) => chain.txClientFor(SUPPLIER_KEYS[SUPPLIERS.indexOf(address)]!);

export function tempDir(): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), 'sessions-test-'));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** The current session of (app, service), read from the chain. */
export async function currentSession(chain: ChainClient, serviceId: string): Promise<SessionHeader> {
  const height = chain.blocks.height ?? BigInt((await chain.query.rpc.status()).syncInfo.latestBlockHeight);
  return (await chain.query.getSession(APP, serviceId, height)).header!;
}

/** Waits for a block where the session `header` is still open for at least `blocksLeft` more blocks. */
export async function freshSession(chain: ChainClient, serviceId: string, blocksLeft = 2n): Promise<SessionHeader> {
  for (;;) {
    const header = await currentSession(chain, serviceId);
    const h = chain.blocks.height ?? 0n;
    if (header.sessionEndBlockHeight - h >= blocksLeft) return header;
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function ringOf(chain: ChainClient, header: SessionHeader): Promise<Uint8Array[]> {
  const app = await chain.query.application(header.applicationAddress);
  return Promise.all(
    ringAddressesForSession(app, header.sessionEndBlockHeight).map(async (address) => {
      if (address === RING_PLACEHOLDER_ADDRESS) return fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX);
      return (await chain.query.account(address))!.pubKey!;
    }),
  );
}

/** `count` real relays of `header` served by `supplier`, as the miner would emit them. */
export async function minedRelaysFor(chain: ChainClient, header: SessionHeader, supplierIndex: number, count: number, salt = 0): Promise<MinedRelay[]> {
  const start = header.sessionStartBlockHeight;
  const cupr = await chain.query.computeUnitsPerRelayAtHeight(header.serviceId, start);
  const target = (await chain.query.relayMiningDifficultyAtHeight(header.serviceId, start)).targetHash;
  const ring = await ringOf(chain, header);
  const signer = new RingSigner(GATEWAY_KEY);
  const supplier = SUPPLIERS[supplierIndex]!;
  const out: MinedRelay[] = [];
  for (let i = 0; out.length < count; i++) {
    const id = salt * 1_000_000 + i;
    const unsigned: RelayRequest = {
      meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: supplier },
      payload: new TextEncoder().encode(`{"jsonrpc":"2.0","id":${id},"method":"eth_blockNumber"}`),
    };
    const request: RelayRequest = { ...unsigned, meta: { ...unsigned.meta!, signature: signer.sign(relayRequestSignableHash(unsigned), ring) } };
    const response = signRelayResponse(
      { meta: { sessionHeader: header, supplierOperatorSignature: new Uint8Array(0) }, payload: new TextEncoder().encode(`{"id":${id},"result":"0x1"}`), relayMinerError: undefined },
      SUPPLIER_KEYS[supplierIndex]!,
    );
    const relayBytes = minedRelayBytes(request, response);
    const hash = relayHash(relayBytes);
    if (!isRelayMinable(hash, target)) continue;
    out.push({ relayBytes, relayHash: hash, smstKey: hash, weight: cupr, sessionHeader: header, supplierOperatorAddress: supplier, serviceId: header.serviceId });
  }
  return out;
}

/** The root an independent trie (the pure-TypeScript reference core) gives these relays. */
export function referenceRoot(relays: readonly MinedRelay[]): Uint8Array {
  const trie = new SparseMerkleSumTrie({ core: 'reference' });
  for (const r of relays) trie.update(r.smstKey, r.relayBytes, r.weight);
  return trie.root();
}
