import { describe, expect, it } from 'vitest';
import { ChainConfigError, parseGasPrice, resolveChainClientConfig } from '../../src/index.js';

const base = { chain_id: 'pocket', tx_node_rpc_url: 'http://127.0.0.1:26657' };

function keyOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof ChainConfigError) return e.key;
    throw e;
  }
  return undefined;
}

describe('resolveChainClientConfig', () => {
  it('fills defaults like the Go miner (query node = tx node, 4 s attempts, ws derived)', () => {
    const c = resolveChainClientConfig({ ...base, query_node_grpc_url: 'http://127.0.0.1:9090' });
    expect(c.queryRpcUrl).toBe('http://127.0.0.1:26657');
    expect(c.queryWsUrl).toBe('ws://127.0.0.1:26657');
    expect(c.queryGrpcUrl).toBe('http://127.0.0.1:9090');
    expect(c.queryTimeoutMs).toBe(4000);
    expect(c.maxRebroadcasts).toBe(2);
    expect(c.gasPrice).toEqual({ numerator: 1n, denominator: 1n, denom: 'upokt' });
  });

  it('derives wss from https and strips trailing slashes', () => {
    const c = resolveChainClientConfig({ ...base, query_node_rpc_url: 'https://node.example/' });
    expect(c.queryRpcUrl).toBe('https://node.example');
    expect(c.queryWsUrl).toBe('wss://node.example');
  });

  it('names the offending key', () => {
    expect(keyOf(() => resolveChainClientConfig({ ...base, chain_id: '' }))).toBe('chain_id');
    expect(keyOf(() => resolveChainClientConfig({ chain_id: 'x' } as never))).toBe('tx_node_rpc_url');
    expect(keyOf(() => resolveChainClientConfig({ ...base, query_node_rpc_url: 'ftp://x' }))).toBe('query_node_rpc_url');
    expect(keyOf(() => resolveChainClientConfig({ ...base, gas_prices: 'lots' }))).toBe('gas_prices');
    expect(keyOf(() => resolveChainClientConfig({ ...base, gas_adjustment: 0.5 }))).toBe('gas_adjustment');
    expect(keyOf(() => resolveChainClientConfig({ ...base, fees: '1.5upokt' }))).toBe('fees');
    expect(keyOf(() => resolveChainClientConfig({ ...base, query_timeout_ms: -1 }))).toBe('query_timeout_ms');
    expect(keyOf(() => resolveChainClientConfig({ ...base, ws_reconnect_initial_ms: 10, ws_reconnect_max_ms: 5 }))).toBe('ws_reconnect_max_ms');
  });

  it('parses decimal gas prices exactly', () => {
    expect(parseGasPrice('k', '0.000001upokt')).toEqual({ numerator: 1n, denominator: 1000000n, denom: 'upokt' });
    expect(parseGasPrice('k', '12.50upokt')).toEqual({ numerator: 1250n, denominator: 100n, denom: 'upokt' });
  });
});
