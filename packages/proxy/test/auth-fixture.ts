/**
 * A genesis of our own for the authenticator and meter tests, so every key, height and budget the
 * tests assert on is known: an app with a gateway, a small-stake app without gateways (placeholder
 * ring), two suppliers of `svc1` (one ours), one of ours staked only for `svc2`, and a compute-units
 * change at height 5 so the relay cost depends on the session start.
 */
import { ChainClient, type ChainClientConfig } from '@relayminer/chain';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import {
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RingSigner,
  addressFromPrivateKey,
  fromHex,
  publicKeyFromPrivateKey,
  relayRequestSignableHash,
  ringAddressesForSession,
  type RelayRequest,
  type SessionHeader,
} from '@relayminer/protocol';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export const APP_KEY = key(0x11);
export const SUPPLIER_KEY = key(0x22);
export const GATEWAY_KEY = key(0x33);
export const SMALL_APP_KEY = key(0x44);
export const PEER_SUPPLIER_KEY = key(0x55);
export const OTHER_SUPPLIER_KEY = key(0x66);
/** An account with a public key that is in nobody's ring. */
export const STRANGER_KEY = key(0x77);

export const APP = addressFromPrivateKey(APP_KEY);
export const SUPPLIER = addressFromPrivateKey(SUPPLIER_KEY);
export const GATEWAY = addressFromPrivateKey(GATEWAY_KEY);
export const SMALL_APP = addressFromPrivateKey(SMALL_APP_KEY);
export const PEER_SUPPLIER = addressFromPrivateKey(PEER_SUPPLIER_KEY);
export const OTHER_SUPPLIER = addressFromPrivateKey(OTHER_SUPPLIER_KEY);

export const SERVICE = 'svc1';
export const OTHER_SERVICE = 'svc2';
export const CUPR = 7n;
export const CUPR_LATER = 9n;
export const CUPR_CHANGE_HEIGHT = 5;
export const APP_STAKE = 100_000_000_000n;
/** floor(floor(73 650 / 15) / 5) = 982 uPOKT: three relays of 294 fit, a fourth does not. */
export const SMALL_APP_STAKE = 73_650n;
export const BLOCKS_PER_SESSION = 4n;

export function genesis(): object {
  const supplier = (operator: string, service: string, port: number) => ({
    operator,
    stake: '1000000upokt',
    services: [{ service_id: service, endpoints: [{ url: `http://127.0.0.1:${port}`, rpc_type: 'JSON_RPC' }] }],
  });
  return {
    chain_id: 'proxy-auth-test',
    block_time_ms: 1000,
    min_gas_price: '0.000001upokt',
    params: {
      shared: {
        num_blocks_per_session: Number(BLOCKS_PER_SESSION),
        grace_period_end_offset_blocks: 1,
        claim_window_open_offset_blocks: 1,
        claim_window_close_offset_blocks: 8,
        proof_window_open_offset_blocks: 0,
        proof_window_close_offset_blocks: 4,
        supplier_unbonding_period_sessions: 4,
        application_unbonding_period_sessions: 4,
        gateway_unbonding_period_sessions: 4,
        compute_units_to_tokens_multiplier: 42_000_000,
        compute_unit_cost_granularity: 1_000_000,
      },
      session: { num_suppliers_per_session: 15 },
      proof: { proof_request_probability: 0 },
    },
    accounts: [
      { name: 'app', private_key: hex(APP_KEY), balance: '1000000000000upokt' },
      { name: 'small-app', private_key: hex(SMALL_APP_KEY), balance: '1000000upokt' },
      { name: 'supplier', private_key: hex(SUPPLIER_KEY), balance: '1000000000upokt' },
      { name: 'peer-supplier', private_key: hex(PEER_SUPPLIER_KEY), balance: '1000000000upokt' },
      { name: 'other-supplier', private_key: hex(OTHER_SUPPLIER_KEY), balance: '1000000000upokt' },
      { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
      { name: 'stranger', private_key: hex(STRANGER_KEY), balance: '1000000upokt' },
    ],
    services: [
      { id: SERVICE, name: 'Service One', compute_units_per_relay: Number(CUPR), owner: 'app' },
      { id: OTHER_SERVICE, name: 'Service Two', compute_units_per_relay: 1, owner: 'app' },
    ],
    relay_mining_difficulty: [{ service_id: SERVICE, target_hash: 'ff'.repeat(32), num_relays_ema: 100 }],
    applications: [
      { account: 'app', stake: `${APP_STAKE}upokt`, services: [SERVICE], delegatees: ['gateway'] },
      { account: 'small-app', stake: `${SMALL_APP_STAKE}upokt`, services: [SERVICE], delegatees: [] },
    ],
    suppliers: [supplier('supplier', SERVICE, 1), supplier('peer-supplier', SERVICE, 2), supplier('other-supplier', OTHER_SERVICE, 3)],
    schedule: [{ at_height: CUPR_CHANGE_HEIGHT, cupr: { service_id: SERVICE, compute_units_per_relay: Number(CUPR_LATER) } }],
  };
}

export function startNet(): Promise<LocalnetHandle> {
  return startLocalnet({ genesis: genesis(), port: 0, blockTimeMs: 0 });
}

export function clientConfig(net: LocalnetHandle): ChainClientConfig {
  return {
    chain_id: net.chainId,
    query_node_rpc_url: net.rpcUrl,
    query_node_grpc_url: 'http://127.0.0.1:9090',
    tx_node_rpc_url: net.rpcUrl,
    query_node_ws_url: net.wsUrl,
    query_timeout_ms: 2000,
    query_max_attempts: 2,
    query_backoff_initial_ms: 20,
    query_backoff_max_ms: 50,
    ws_reconnect_initial_ms: 50,
    ws_reconnect_max_ms: 500,
  };
}

export function connect(net: LocalnetHandle): Promise<ChainClient> {
  return ChainClient.connect(clientConfig(net));
}

/** Produces `n` blocks and waits until the client's block watcher has seen the last one. */
export async function advance(net: LocalnetHandle, chain: ChainClient, n: number): Promise<void> {
  await net.advance(n);
  await chain.blocks.waitFor(BigInt(net.height));
}

/** The app's ring as the chain defines it, read over sockets (independently of the code under test). */
export async function chainRing(chain: ChainClient, app: string, sessionEnd: bigint): Promise<Uint8Array[]> {
  const addresses = ringAddressesForSession(await chain.query.application(app), sessionEnd);
  return Promise.all(
    addresses.map(async (a) => (a === RING_PLACEHOLDER_ADDRESS ? fromHex(RING_PLACEHOLDER_PUBLIC_KEY_HEX) : (await chain.query.account(a))!.pubKey!)),
  );
}

export interface RequestOptions {
  signerKey?: Uint8Array;
  ring?: Uint8Array[];
  supplier?: string;
  payload?: string;
}

/** A ring-signed request as a gateway (or the app itself) would send it. */
export function signedRequest(header: SessionHeader, ring: Uint8Array[], opts: RequestOptions = {}): RelayRequest {
  const unsigned: RelayRequest = {
    meta: { sessionHeader: header, signature: new Uint8Array(0), supplierOperatorAddress: opts.supplier ?? SUPPLIER },
    payload: new TextEncoder().encode(opts.payload ?? '{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"}'),
  };
  const signature = new RingSigner(opts.signerKey ?? GATEWAY_KEY).sign(relayRequestSignableHash(unsigned), opts.ring ?? ring);
  return { ...unsigned, meta: { ...unsigned.meta!, signature } };
}

export const strangerPublicKey = (): Uint8Array => publicKeyFromPrivateKey(STRANGER_KEY);
