import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { computeSessionId, publicKeyFromPrivateKey } from '@relayminer/protocol';
import type { LocalnetHandle } from '@relayminer/localnet';
import {
  ChainIdMismatchError,
  ChainQueryClient,
  ChainTimeoutError,
  NotFoundError,
  resolveChainClientConfig,
} from '../../src/index.js';
import {
  APP,
  APP_KEY,
  CUPR,
  CUPR_LATER,
  GATEWAY,
  SERVICE,
  STRANGER,
  SUPPLIER,
  SUPPLIER_BALANCE,
  TARGET,
  TARGET_LATER,
  clientConfig,
  start,
} from './fixture.js';

let net: LocalnetHandle;
let q: ChainQueryClient;

beforeAll(async () => {
  net = await start();
  await net.advanceTo(12);
  q = new ChainQueryClient(resolveChainClientConfig(clientConfig(net)));
});

afterAll(async () => {
  q?.close();
  await net?.stop();
});

describe('queries over abci_query against localnet', () => {
  it('checks the chain id and reports the latest height', async () => {
    expect(await q.verifyChainId()).toBe(BigInt(net.height));
    const wrong = new ChainQueryClient(resolveChainClientConfig(clientConfig(net, { chain_id: 'other' })));
    await expect(wrong.verifyChainId()).rejects.toBeInstanceOf(ChainIdMismatchError);
  });

  it('decodes shared params, params at height and session params', async () => {
    const live = await q.sharedParams();
    expect(live.numBlocksPerSession).toBe(4n);
    expect(live.claimWindowCloseOffsetBlocks).toBe(8n);
    expect(await q.sharedParamsAtHeight(5n)).toEqual(live);
    expect(await q.sharedParamsAtHeight(0n)).toBe(live);
    expect((await q.sessionParams()).numSuppliersPerSession).toBe(15n);
  });

  it('decodes GetSession with the chain-computed session id', async () => {
    const s = await q.getSession(APP, SERVICE, 6n);
    expect(s.header?.sessionStartBlockHeight).toBe(5n);
    expect(s.header?.sessionEndBlockHeight).toBe(8n);
    expect(s.suppliers.map((x) => x.operatorAddress)).toContain(SUPPLIER);
    const expectedId = computeSessionId({
      blockHashAtSessionStart: Uint8Array.from(Buffer.from(net.blockHash(5)!, 'hex')),
      serviceId: SERVICE,
      applicationAddress: APP,
      sessionStartHeight: 5n,
    });
    expect(s.header?.sessionId).toBe(expectedId);
    // same session → served from cache (same object)
    expect(await q.getSession(APP, SERVICE, 7n)).toBe(s);
  });

  it('decodes application, account, balance', async () => {
    const app = await q.application(APP);
    expect(app.delegateeGatewayAddresses).toEqual([GATEWAY]);
    expect(app.serviceConfigs.map((c) => c.serviceId)).toEqual([SERVICE]);
    const acct = await q.account(APP);
    expect(acct?.pubKey).toEqual(publicKeyFromPrivateKey(APP_KEY));
    expect(acct?.accountNumber).toBe(0n);
    expect(acct?.sequence).toBe(0n);
    expect(await q.account(STRANGER)).toBeNull();
    expect(await q.balance(SUPPLIER)).toBe(SUPPLIER_BALANCE);
    expect(await q.balance(STRANGER)).toBe(0n);
    await expect(q.application(STRANGER)).rejects.toBeInstanceOf(NotFoundError);
  });

  it('decodes proof params; a missing claim is null', async () => {
    expect((await q.proofParams()).proofRequestProbability).toBe(0);
    expect(await q.claim('00'.repeat(32), SUPPLIER)).toBeNull();
    expect(await q.allClaims({ supplierOperatorAddress: SUPPLIER })).toEqual([]);
  });

  it('reads difficulty and compute units per relay from history', async () => {
    expect((await q.relayMiningDifficultyAtHeight(SERVICE, 5n)).targetHash).toEqual(TARGET);
    expect((await q.relayMiningDifficultyAtHeight(SERVICE, 9n)).targetHash).toEqual(TARGET_LATER);
    expect(await q.computeUnitsPerRelayAtHeight(SERVICE, 5n)).toBe(CUPR);
    expect(await q.computeUnitsPerRelayAtHeight(SERVICE, 9n)).toBe(CUPR_LATER);
  });

  it('decodes service and supplier', async () => {
    expect((await q.service(SERVICE)).computeUnitsPerRelay).toBe(CUPR_LATER);
    expect((await q.supplier(SUPPLIER)).services.map((s) => s.serviceId)).toEqual([SERVICE]);
  });

  it('falls back to Service.compute_units_per_relay when the node lacks the at-height method', async () => {
    const fresh = new ChainQueryClient(resolveChainClientConfig(clientConfig(net)));
    const undo = net.failQueries(/ComputeUnitsPerRelayAtHeight/, 6, 'unknown query path: unknown request');
    try {
      // live service value, not the historical one at height 5
      expect(await fresh.computeUnitsPerRelayAtHeight(SERVICE, 5n)).toBe(CUPR_LATER);
    } finally {
      undo();
      fresh.close();
    }
  });

  it('keeps session-scoped answers until a new session starts, and at-height memos for good', async () => {
    const c = new ChainQueryClient(resolveChainClientConfig(clientConfig(net)));
    await c.onBlock(13n); // session [13, 16]
    await c.balance(SUPPLIER);
    await c.sharedParamsAtHeight(5n);
    const undo = net.failQueries(/Balance|ParamsAtHeight/, 18, 'rpc error: code = InvalidArgument desc = nope: invalid request');
    try {
      expect(await c.balance(SUPPLIER)).toBe(SUPPLIER_BALANCE);
      await c.onBlock(16n);
      expect(await c.balance(SUPPLIER)).toBe(SUPPLIER_BALANCE);
      await c.onBlock(17n); // new session number
      await expect(c.balance(SUPPLIER)).rejects.toMatchObject({ abciCode: 18, grpcCode: 'InvalidArgument' });
      expect((await c.sharedParamsAtHeight(5n)).numBlocksPerSession).toBe(4n);
    } finally {
      undo();
      c.close();
    }
  });

  it('times out each attempt and gives up after the configured attempts', async () => {
    const c = new ChainQueryClient(resolveChainClientConfig(clientConfig(net, { query_timeout_ms: 200, query_max_attempts: 2 })));
    net.rpcLatency(1000);
    try {
      const t0 = Date.now();
      await expect(c.sessionParams()).rejects.toBeInstanceOf(ChainTimeoutError);
      expect(Date.now() - t0).toBeLessThan(2000);
    } finally {
      net.rpcLatency(0);
      c.close();
    }
  });
});
