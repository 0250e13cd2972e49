/**
 * cosmjs's own clients against the node (with the fake app): every CometBFT call of the acceptance list
 * that does not depend on Cosmos SDK state. The SDK-state calls run against the real app in
 * cosmjs-app.test.ts.
 */
import { StargateClient } from '@cosmjs/stargate';
import { comet38, Comet38Client, connectComet, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { afterEach, describe, expect, it } from 'vitest';
import { startLocalnet, type LocalnetHandle } from '../src/index.js';
import { createFakeApp, fakeTx } from './node-fake-app.js';

const open: { stop(): unknown }[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.stop();
});

async function start(): Promise<LocalnetHandle> {
  const net = await startLocalnet({ app: createFakeApp('cosmjs-fake') });
  open.push(net);
  return net;
}

function nextEvents<T>(stream: { subscribe(l: { next(v: T): void; error(e: unknown): void }): { unsubscribe(): void } }, n: number): Promise<T[]> {
  return new Promise((resolve, reject) => {
    const got: T[] = [];
    const sub = stream.subscribe({
      next(v) {
        got.push(v);
        if (got.length === n) {
          sub.unsubscribe();
          resolve(got);
        }
      },
      error: reject,
    });
  });
}

describe('Comet38Client over HTTP', () => {
  it('decodes every method', async () => {
    const net = await start();
    const client = await Comet38Client.connect(net.rpcUrl);
    open.push({ stop: () => client.disconnect() });

    const status = await client.status();
    expect(status.nodeInfo.network).toBe('cosmjs-fake');
    expect(status.syncInfo.latestBlockHeight).toBe(1);
    expect(status.syncInfo.latestAppHash.length).toBe(32);

    const info = await client.abciInfo();
    expect(info.lastBlockHeight).toBe(1);

    await client.health();
    const tx = fakeTx({ from: 'pokt1cosm00', seq: 0 });
    const sync = await client.broadcastTxSync({ tx });
    expect(sync.code).toBe(0);
    const asyncTx = fakeTx({ from: 'pokt1cosm01', seq: 0 });
    const asyncRes = await client.broadcastTxAsync({ tx: asyncTx });
    await net.advance(2);

    const block = await client.block(2);
    expect(block.block.txs).toHaveLength(2);
    expect(Buffer.from(block.blockId.hash).toString('hex').toUpperCase()).toBe(net.blockHash(2));
    const latest = await client.block();
    expect(latest.block.header.height).toBe(3);
    expect(latest.block.lastCommit?.blockId.hash).toEqual(block.blockId.hash);

    const chain = await client.blockchain(1, 3);
    expect(chain.blockMetas.map((m) => m.header.height)).toEqual([3, 2, 1]);
    expect(chain.blockMetas[1]!.numTxs).toBe(2);

    const results = await client.blockResults(2);
    expect(results.results).toHaveLength(2);
    expect(results.finalizeBlockEvents[0]!.type).toBe('fake.EndBlock');

    const got = await client.tx({ hash: sync.hash });
    expect(got.height).toBe(2);
    expect(got.tx).toEqual(tx);
    const search = await client.txSearch({ query: `tx.hash='${Buffer.from(asyncRes.hash).toString('hex').toUpperCase()}'` });
    expect(search.totalCount).toBe(1);
    const all = await client.txSearchAll({ query: 'tx.height=2', per_page: 1 });
    expect(all.txs.map((t) => t.index)).toEqual([0, 1]);

    const q = await client.abciQuery({ path: '/fake.Query/Seq', data: Buffer.from('pokt1cosm00') });
    expect(Buffer.from(q.value).toString()).toBe('1');
    expect(q.height).toBe(3);
  });

  it('decodes commit, validators and broadcast_tx_commit', async () => {
    const net = await startLocalnet({ app: createFakeApp('cosmjs-fake'), blockTimeMs: 50 });
    open.push(net);
    const client = await Comet38Client.connect(net.rpcUrl);
    open.push({ stop: () => client.disconnect() });
    const committed = await client.broadcastTxCommit({ tx: fakeTx({ from: 'pokt1commit0', seq: 0 }) });
    expect(committed.checkTx.code).toBe(0);
    expect(committed.txResult?.code).toBe(0);
    expect(committed.height).toBeGreaterThan(1);
    const commit = await client.commit(committed.height);
    expect(Buffer.from(commit.commit.blockId.hash).toString('hex').toUpperCase()).toBe(net.blockHash(committed.height));
    const vals = await client.validators({});
    expect(vals.total).toBe(1);
    expect(vals.validators[0]!.pubkey?.algorithm).toBe('ed25519');
  });

  it('connectComet picks the 0.38 client from status', async () => {
    const net = await start();
    const client = await connectComet(net.rpcUrl);
    open.push({ stop: () => client.disconnect() });
    expect(client).toBeInstanceOf(Comet38Client);
  });
});

describe('Comet38Client over the websocket', () => {
  it('streams headers, blocks and filtered txs, and serves calls on the same socket', async () => {
    const net = await start();
    const errors: unknown[] = [];
    const ws = new WebsocketClient(net.wsUrl, (e) => errors.push(e));
    const client = Comet38Client.create(ws);
    open.push({ stop: () => client.disconnect() });

    const headers = nextEvents<comet38.NewBlockHeaderEvent>(client.subscribeNewBlockHeader(), 2);
    const blocks = nextEvents(client.subscribeNewBlock(), 2);
    const txs = nextEvents<comet38.TxEvent>(client.subscribeTx("message.sender='pokt1wsuser'"), 1);
    expect((await client.status()).syncInfo.latestBlockHeight).toBe(1);
    // Let the subscriptions land before producing blocks.
    await new Promise((r) => setTimeout(r, 100));

    await client.broadcastTxSync({ tx: fakeTx({ from: 'pokt1other0', seq: 0 }) });
    await client.broadcastTxSync({ tx: fakeTx({ from: 'pokt1wsuser', seq: 0 }) });
    await net.advance(2);

    expect((await headers).map((h) => h.height)).toEqual([2, 3]);
    const [b2] = await blocks;
    expect(b2!.header.height).toBe(2);
    expect(b2!.txs).toHaveLength(2);
    const [t] = await txs;
    expect(t!.height).toBe(2);
    expect(JSON.parse(Buffer.from(t!.tx).toString()).from).toBe('pokt1wsuser');
    expect((await client.blockchain(1, 3)).blockMetas).toHaveLength(3);
    expect(errors).toEqual([]);
  });
});

describe('StargateClient (node-level calls)', () => {
  it('getChainId, getHeight, getBlock, broadcastTxSync, getTx, searchTx and broadcastTx polling', async () => {
    const net = await startLocalnet({ app: createFakeApp('stargate-fake'), blockTimeMs: 200 });
    open.push(net);
    const client = await StargateClient.connect(net.rpcUrl);
    open.push({ stop: () => client.disconnect() });
    expect(await client.getChainId()).toBe('stargate-fake');
    expect(await client.getHeight()).toBeGreaterThanOrEqual(1);
    const hash = await client.broadcastTxSync(fakeTx({ from: 'pokt1sg0000', seq: 0 }));
    // broadcastTx polls tx_search until the timer includes the tx.
    const res = await client.broadcastTx(fakeTx({ from: 'pokt1sg0001', seq: 0 }), 10_000, 100);
    expect(res.code).toBe(0);
    expect(res.events.some((e) => e.type === 'message')).toBe(true);
    await net.waitFor(() => net.txs({ hash })[0]?.status === 'included', { ms: 5000 });
    const tx = await client.getTx(hash);
    expect(tx?.hash).toBe(hash);
    const found = await client.searchTx("message.sender='pokt1sg0000'");
    expect(found.map((t) => t.hash)).toEqual([hash]);
    const block = await client.getBlock(tx!.height);
    expect(block.header.height).toBe(tx!.height);
    expect(block.id).toBe(net.blockHash(tx!.height));
  });
});
