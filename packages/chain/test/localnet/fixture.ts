/**
 * A small genesis of our own, so tests know every key, height and number they assert on. Keys are test-only
 * constants (never real funds).
 */
import { addressFromPrivateKey, MsgCreateClaim, type SessionHeader } from '@relayminer/protocol';
import { startLocalnet, type LocalnetHandle } from '@relayminer/localnet';
import { claimMessage, type ChainClientConfig, type PocketTxMessage } from '../../src/index.js';

const key = (byte: number): Uint8Array => new Uint8Array(32).fill(byte);

export const APP_KEY = key(0x11);
export const SUPPLIER_KEY = key(0x22);
export const GATEWAY_KEY = key(0x33);
export const LONER_KEY = key(0x44);
export const APP = addressFromPrivateKey(APP_KEY);
export const SUPPLIER = addressFromPrivateKey(SUPPLIER_KEY);
export const GATEWAY = addressFromPrivateKey(GATEWAY_KEY);
/** An address the chain has never seen. */
export const STRANGER = addressFromPrivateKey(key(0x55));

export const CHAIN_ID = 'chain-pkg-test';
export const SERVICE = 'svc1';
export const CUPR = 7n;
export const CUPR_LATER = 9n;
export const CUPR_CHANGE_HEIGHT = 9n;
export const TARGET = new Uint8Array(32).fill(0x0f);
export const TARGET_LATER = new Uint8Array(32).fill(0x03);
export const DIFFICULTY_CHANGE_HEIGHT = 9n;
export const SUPPLIER_BALANCE = 50_000_000_000n;

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export function genesis(): object {
  return {
    chain_id: CHAIN_ID,
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
      { name: 'supplier', private_key: hex(SUPPLIER_KEY), balance: `${SUPPLIER_BALANCE}upokt` },
      { name: 'gateway', private_key: hex(GATEWAY_KEY), balance: '1000000upokt' },
      { name: 'loner', private_key: hex(LONER_KEY), balance: '5upokt' },
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
    schedule: [
      { at_height: Number(CUPR_CHANGE_HEIGHT), cupr: { service_id: SERVICE, compute_units_per_relay: Number(CUPR_LATER) } },
      { at_height: Number(DIFFICULTY_CHANGE_HEIGHT), difficulty: { service_id: SERVICE, target_hash: hex(TARGET_LATER) } },
    ],
  };
}

/** On-demand blocks unless a test asks for a timer. */
export function start(blockTimeMs = 0): Promise<LocalnetHandle> {
  return startLocalnet({ genesis: genesis(), port: 0, blockTimeMs });
}

export function clientConfig(net: LocalnetHandle, extra: Partial<ChainClientConfig> = {}): ChainClientConfig {
  return {
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
    ...extra,
  };
}

/**
 * A claim the chain accepts: the root's sum/count trailer (8-byte BE each) must satisfy
 * sum = count × compute units per relay at the session start.
 */
export function claimFor(header: SessionHeader, relays: bigint, cupr: bigint, supplier = SUPPLIER): PocketTxMessage {
  const root = new Uint8Array(48);
  root.fill(0xab, 0, 32);
  const view = new DataView(root.buffer);
  view.setBigUint64(32, relays * cupr);
  view.setBigUint64(40, relays);
  return claimMessage(MsgCreateClaim.fromPartial({ supplierOperatorAddress: supplier, sessionHeader: header, rootHash: root }));
}
