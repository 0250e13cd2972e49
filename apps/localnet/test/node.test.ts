import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startLocalnet, type LocalnetHandle } from '../src/index.js';
import { b64, createFakeApp, fakeTx, rpc, type FakeControl } from './node-fake-app.js';

const open: LocalnetHandle<FakeControl>[] = [];
async function start(opts: Parameters<typeof startLocalnet>[0] = {}): Promise<LocalnetHandle<FakeControl>> {
  const h = await startLocalnet<FakeControl>({ app: createFakeApp(), ...opts });
  open.push(h);
  return h;
}
afterEach(async () => {
  while (open.length) await open.pop()!.stop();
});

const sha256Hex = async (u: Uint8Array) => {
  const { createHash } = await import('node:crypto');
  return createHash('sha256').update(u).digest('hex').toUpperCase();
};

describe('blocks', () => {
  it('produces height 1 at start and stamps virtual times', async () => {
    const net = await start({ genesisTime: '2030-01-01T00:00:00Z' });
    expect(net.height).toBe(1);
    const { result } = await rpc(net.rpcUrl, 'status');
    expect(result.sync_info.latest_block_height).toBe('1');
    expect(result.sync_info.latest_block_time).toBe('2030-01-01T00:00:01Z');
    expect(result.node_info.network).toBe('fake-localnet');
    expect(result.node_info.version).toMatch(/^0\.38\./);
    await net.advance(2);
    const b3 = (await rpc(net.rpcUrl, 'block', { height: '3' })).result;
    expect(b3.block.header.time).toBe('2030-01-01T00:00:03Z');
  });

  it('uses one block hash everywhere: block_id, next last_block_id, status, blockchain, events, the app', async () => {
    const net = await start();
    await net.advance(4);
    const status = (await rpc(net.rpcUrl, 'status')).result;
    expect(status.sync_info.latest_block_hash).toBe(net.blockHash(5));
    const chain = (await rpc(net.rpcUrl, 'blockchain', { minHeight: '1', maxHeight: '5' })).result;
    expect(chain.block_metas.map((m: any) => m.header.height)).toEqual(['5', '4', '3', '2', '1']);
    for (let h = 1; h <= 4; h++) {
      const cur = (await rpc(net.rpcUrl, 'block', { height: String(h) })).result;
      const next = (await rpc(net.rpcUrl, 'block', { height: String(h + 1) })).result;
      expect(cur.block_id.hash).toBe(net.blockHash(h));
      expect(next.block.header.last_block_id.hash).toBe(cur.block_id.hash);
      expect(next.block.last_commit.block_id.hash).toBe(cur.block_id.hash);
      expect(chain.block_metas[5 - h].block_id.hash).toBe(cur.block_id.hash);
    }
    const seen = net.abciApp as unknown as { control: FakeControl };
    expect(seen.control.blocksSeen.map((b) => b.hash)).toEqual([1, 2, 3, 4, 5].map((h) => net.blockHash(h)));
    expect(seen.control.blocksSeen[1]!.lastBlockHash).toBe(net.blockHash(1));
    const first = (await rpc(net.rpcUrl, 'block', { height: '1' })).result;
    expect(first.block.header.last_block_id).toEqual({ hash: '', parts: { total: 0, hash: '' } });
  });

  it('is deterministic: same app, same txs, same hashes', async () => {
    const run = async () => {
      const net = await start();
      await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1alice0000', seq: 0 })) });
      await net.advance(3);
      return [1, 2, 3, 4].map((h) => net.blockHash(h));
    };
    expect(await run()).toEqual(await run());
  });

  it('caps blockchain at 20 metas and rejects heights beyond the tip', async () => {
    const net = await start();
    await net.advance(29);
    const r = (await rpc(net.rpcUrl, 'blockchain', { minHeight: '1', maxHeight: '30' })).result;
    expect(r.last_height).toBe('30');
    expect(r.block_metas).toHaveLength(20);
    expect(r.block_metas[0].header.height).toBe('30');
    const e = await rpc(net.rpcUrl, 'block', { height: '31' });
    expect(e.error.code).toBe(-32603);
    expect(e.error.data).toMatch(/must be less than or equal to the current blockchain height 30/);
  });

  it('serves block_results with tx results and finalize_block_events, and header app_hash is the previous commit', async () => {
    const net = await start();
    await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1bob0000', seq: 0 })) });
    await net.advance(1);
    const r = (await rpc(net.rpcUrl, 'block_results', { height: '2' })).result;
    expect(r.height).toBe('2');
    expect(r.txs_results).toHaveLength(1);
    expect(r.txs_results[0].code).toBe(0);
    expect(r.finalize_block_events[0].type).toBe('fake.EndBlock');
    const b3 = await net.advance(1).then(() => rpc(net.rpcUrl, 'block', { height: '3' }));
    expect(Buffer.from(r.app_hash, 'base64').toString('hex').toUpperCase()).toBe(b3.result.block.header.app_hash);
  });
});

describe('mempool and tx index', () => {
  it('includes txs in arrival order, indexes them by upper-case sha256, and refuses duplicates', async () => {
    const net = await start();
    const txs = ['a', 'b', 'c'].map((n) => fakeTx({ from: `pokt1${n}user`, seq: 0 }));
    const hashes: string[] = [];
    for (const tx of txs) {
      const r = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result;
      expect(r.code).toBe(0);
      expect(r.hash).toBe(await sha256Hex(tx));
      hashes.push(r.hash);
    }
    const dup = await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(txs[0]!) });
    expect(dup.error).toEqual({ code: -32603, message: 'Internal error', data: 'tx already exists in cache' });
    await net.advance(1);
    const block = (await rpc(net.rpcUrl, 'block', { height: '2' })).result;
    expect(block.block.data.txs).toEqual(txs.map(b64));
    const t = (await rpc(net.rpcUrl, 'tx', { hash: Buffer.from(hashes[1]!, 'hex').toString('base64') })).result;
    expect(t).toMatchObject({ hash: hashes[1], height: '2', index: 1, tx: b64(txs[1]!) });
    expect(t.tx_result.events.find((e: any) => e.type === 'message')).toBeTruthy();
    // Committed txs stay in the cache, as in CometBFT.
    expect((await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(txs[2]!) })).error.data).toBe('tx already exists in cache');
    const missing = await rpc(net.rpcUrl, 'tx', { hash: Buffer.alloc(32).toString('base64') });
    expect(missing.error.data).toBe(`tx (${'00'.repeat(32)}) not found`);
  });

  it('reports CheckTx failures in the broadcast result and in txs()', async () => {
    const net = await start();
    const r = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1carol00', seq: 5 })) })).result;
    expect(r.code).toBe(32);
    expect(r.log).toMatch(/sequence mismatch/);
    const [rec] = net.txs({ hash: r.hash });
    expect(rec).toMatchObject({ status: 'rejected', rejectReason: 'WRONG_SEQUENCE' });
    expect(rec!.check!.code).toBe(32);
  });

  it('check state counts mempool txs: a second tx needs the next sequence', async () => {
    const net = await start();
    const first = await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1dave00', seq: 0 })) });
    const again = await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1dave00', seq: 0, note: 'x' })) });
    const next = await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1dave00', seq: 1 })) });
    expect([first.result.code, again.result.code, next.result.code]).toEqual([0, 32, 0]);
    await net.advance(1);
    expect(net.txs({ sender: 'pokt1dave00', height: 2 }).map((t) => t.status)).toEqual(['included', 'included']);
  });

  it('rechecks the rest of the mempool after each commit and evicts what no longer passes', async () => {
    const net = await start();
    const tx = fakeTx({ from: 'pokt1frank0', seq: 0 });
    net.delayInclusion(await sha256Hex(tx), 2);
    const { hash } = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result;
    (net.abciApp as unknown as { control: FakeControl }).control.bumpCommitted('pokt1frank0');
    await net.advance(1);
    const [rec] = net.txs({ hash });
    expect(rec).toMatchObject({ status: 'rejected', rejectReason: 'WRONG_SEQUENCE' });
    expect(rec!.recheck!.code).toBe(32);
    await net.advance(3);
    expect((await rpc(net.rpcUrl, 'tx', { hash: Buffer.from(hash, 'hex').toString('base64') })).error).toBeTruthy();
    // Evicted txs leave the cache: the same bytes are judged afresh (and fail CheckTx now).
    expect((await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result.code).toBe(32);
  });

  it('records a tx that fails in the block with its deliver result', async () => {
    const net = await start();
    const { hash } = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1gina00', seq: 0, fail: true })) })).result;
    await net.advance(1);
    const [rec] = net.txs({ hash });
    expect(rec).toMatchObject({ status: 'rejected', height: 2, rejectReason: 'FAKE_MSG_FAILURE' });
    const t = (await rpc(net.rpcUrl, 'tx', { hash: Buffer.from(hash, 'hex').toString('base64') })).result;
    expect(t.tx_result.code).toBe(1);
  });
});

describe('tx_search', () => {
  it('matches key=value conditions joined by AND, pages, and orders', async () => {
    const net = await start();
    for (let seq = 0; seq < 5; seq++) {
      await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1hank00', seq })) });
      await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1ivy000', seq })) });
      await net.advance(1);
    }
    const all = (await rpc(net.rpcUrl, 'tx_search', { query: "message.sender='pokt1hank00'" })).result;
    expect(all.total_count).toBe('5');
    expect(all.txs.map((t: any) => t.height)).toEqual(['2', '3', '4', '5', '6']);
    const and = (await rpc(net.rpcUrl, 'tx_search', { query: "message.sender='pokt1ivy000' AND tx.height=4" })).result;
    expect(and.txs).toHaveLength(1);
    expect(and.txs[0].height).toBe('4');
    const range = (await rpc(net.rpcUrl, 'tx_search', { query: "tx.height>=3 AND tx.height<5 AND fake.Noted.seq='1'" })).result;
    expect(range.total_count).toBe('2');
    const page2 = (await rpc(net.rpcUrl, 'tx_search', { query: 'tx.height>0', per_page: '3', page: '2', order_by: 'desc' })).result;
    expect(page2.total_count).toBe('10');
    expect(page2.txs.map((t: any) => t.height)).toEqual(['5', '4', '4']);
    const byHash = (await rpc(net.rpcUrl, 'tx_search', { query: `tx.hash='${all.txs[2].hash}'` })).result;
    expect(byHash.txs[0].hash).toBe(all.txs[2].hash);
    expect((await rpc(net.rpcUrl, 'tx_search', { query: 'tx.height>0', page: '9' })).error.data).toMatch(/page should be within/);
    expect((await rpc(net.rpcUrl, 'tx_search', { query: "message.sender='x' OR" })).error.code).toBe(-32603);
    expect((await rpc(net.rpcUrl, 'tx_search', { query: "message.sender='nobody1xxxxxx'" })).result).toEqual({ txs: [], total_count: '0' });
  });
});

describe('rpc surface', () => {
  it('answers unknown methods with -32601, supports batches and GET URI requests', async () => {
    const net = await start();
    const e = await rpc(net.rpcUrl, 'genesis');
    expect(e.error).toEqual({ code: -32601, message: 'Method not found' });
    const batch = await fetch(net.rpcUrl, {
      method: 'POST',
      body: JSON.stringify([
        { jsonrpc: '2.0', id: 1, method: 'health', params: {} },
        { jsonrpc: '2.0', id: 'two', method: 'abci_info', params: {} },
      ]),
    }).then((r) => r.json());
    expect(batch).toEqual([
      { jsonrpc: '2.0', id: 1, result: {} },
      { jsonrpc: '2.0', id: 'two', result: expect.objectContaining({ response: expect.objectContaining({ version: 'v0.0.1-fake', last_block_height: '1' }) }) },
    ]);
    const get = await fetch(`${net.rpcUrl}/block?height=1`).then((r) => r.json());
    expect(get.result.block.header.height).toBe('1');
    const q = await fetch(`${net.rpcUrl}/abci_query?path="/fake.Query/Seq"&data=0x${Buffer.from('pokt1x').toString('hex')}`).then((r) => r.json());
    expect(Buffer.from(q.result.response.value, 'base64').toString()).toBe('0');
    const bad = await fetch(net.rpcUrl, { method: 'POST', body: '{nope' });
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe(-32700);
  });

  it('passes abci_query to the app and fills the height', async () => {
    const net = await start();
    await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1jack00', seq: 0 })) });
    await net.advance(1);
    const r = (await rpc(net.rpcUrl, 'abci_query', { path: '/fake.Query/Seq', data: Buffer.from('pokt1jack00').toString('hex'), prove: false })).result.response;
    expect(r).toMatchObject({ code: 0, height: '2' });
    expect(Buffer.from(r.value, 'base64').toString()).toBe('1');
    const future = (await rpc(net.rpcUrl, 'abci_query', { path: '/fake.Query/Seq', data: '', height: '99' })).result.response;
    expect(future.code).toBe(26);
  });
});

/** A raw websocket JSON-RPC client that keeps every message it receives. */
async function wsClient(url: string) {
  const ws = new WebSocket(`${url}/websocket`);
  const messages: any[] = [];
  const waiters: (() => void)[] = [];
  ws.on('message', (d) => {
    messages.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  await new Promise((r, j) => ws.once('open', r).once('error', j));
  const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
  return {
    ws,
    messages,
    closed,
    send: (id: number | string, method: string, params: object = {}) => ws.send(JSON.stringify({ jsonrpc: '2.0', id, method, params })),
    async until(pred: (m: any[]) => boolean, ms = 3000) {
      const end = Date.now() + ms;
      while (!pred(messages)) {
        if (Date.now() > end) throw new Error(`timed out; got ${JSON.stringify(messages).slice(0, 500)}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 50);
        });
      }
    },
  };
}

describe('websocket', () => {
  it('replies {} to subscribe and pushes events with the subscribe id', async () => {
    const net = await start();
    const c = await wsClient(net.wsUrl);
    c.send(7, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    c.send(8, 'subscribe', { query: "tm.event='Tx' AND message.sender='pokt1kim000'" });
    c.send(9, 'subscribe', { query: "tm.event='NewBlock'" });
    await c.until((m) => m.length === 3);
    expect(c.messages).toEqual([
      { jsonrpc: '2.0', id: 7, result: {} },
      { jsonrpc: '2.0', id: 8, result: {} },
      { jsonrpc: '2.0', id: 9, result: {} },
    ]);
    await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1kim000', seq: 0 })) });
    await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1lee000', seq: 0 })) });
    await net.advance(1);
    await c.until((m) => m.length >= 6);
    const [header, block, tx] = c.messages.slice(3);
    expect(header.id).toBe(7);
    expect(header.result.query).toBe("tm.event='NewBlockHeader'");
    expect(header.result.data.type).toBe('tendermint/event/NewBlockHeader');
    expect(header.result.data.value.header.height).toBe('2');
    expect(header.result.events['tm.event']).toEqual(['NewBlockHeader']);
    expect(block.id).toBe(9);
    expect(block.result.data.value.block_id.hash).toBe(net.blockHash(2));
    expect(block.result.data.value.result_finalize_block.events[0].type).toBe('fake.EndBlock');
    expect(tx.id).toBe(8);
    expect(tx.result.data.type).toBe('tendermint/event/Tx');
    expect(tx.result.data.value.TxResult).toMatchObject({ height: '2', index: 0 });
    expect(tx.result.events['tx.hash']).toEqual([await sha256Hex(fakeTx({ from: 'pokt1kim000', seq: 0 }))]);
    expect(c.messages).toHaveLength(6); // the other sender's tx did not match
    c.ws.close();
  });

  it('serves ordinary methods over the socket, and unsubscribes', async () => {
    const net = await start();
    const c = await wsClient(net.wsUrl);
    c.send(1, 'status');
    c.send(2, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    c.send(3, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    await c.until((m) => m.length === 3);
    expect(c.messages[0].result.sync_info.latest_block_height).toBe('1');
    expect(c.messages[2].error.data).toBe('already subscribed');
    c.send(2, 'unsubscribe', { query: "tm.event='NewBlockHeader'" });
    await c.until((m) => m.length === 4);
    expect(c.messages[3]).toEqual({ jsonrpc: '2.0', id: 2, result: {} });
    await net.advance(2);
    c.send(4, 'unsubscribe', { query: "tm.event='NewBlockHeader'" });
    c.send(5, 'unsubscribe_all');
    c.send(6, 'blockchain', {});
    await c.until((m) => m.length === 7);
    expect(c.messages[4].error.data).toBe('subscription not found');
    expect(c.messages[6].result.last_height).toBe('3');
    c.ws.close();
  });

  it('blocks on a timer and publishes every height in order', async () => {
    const net = await start({ blockTimeMs: 30 });
    const c = await wsClient(net.wsUrl);
    c.send(1, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    await c.until((m) => m.filter((x) => x.result?.query).length >= 5);
    const heights = c.messages.filter((x) => x.result?.query).map((x) => Number(x.result.data.value.header.height));
    expect(heights.slice(1).every((h, i) => h === heights[i]! + 1)).toBe(true);
    c.ws.close();
  });
});

describe('faults', () => {
  it('dropNextBroadcast acknowledges then loses the tx; the same bytes can be re-broadcast', async () => {
    const net = await start();
    net.dropNextBroadcast();
    const tx = fakeTx({ from: 'pokt1mia000', seq: 0 });
    const r = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result;
    expect(r.code).toBe(0);
    await net.advance(1);
    expect(net.txs({ hash: r.hash })[0]).toMatchObject({ status: 'evicted', rejectReason: 'DROPPED_BY_FAULT' });
    expect((await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result.code).toBe(0);
    await net.advance(1);
    expect(net.txs({ hash: r.hash })[0]).toMatchObject({ status: 'included', height: 3, broadcasts: 2 });
  });

  it('delayInclusion holds back a tx that is already pending', async () => {
    const net = await start();
    const { hash } = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1erin00', seq: 0 })) })).result;
    net.delayInclusion(hash, 1);
    await net.advance(1);
    expect(net.txs({ hash })[0]!.status).toBe('pending');
    await net.advance(1);
    expect(net.txs({ hash })[0]).toMatchObject({ status: 'included', height: 3 });
  });

  it('delayInclusion holds a tx back for n blocks', async () => {
    const net = await start();
    const tx = fakeTx({ from: 'pokt1ned000', seq: 0 });
    net.delayInclusion(await sha256Hex(tx), 2);
    const { hash } = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(tx) })).result;
    await net.advance(2);
    expect(net.txs({ hash })[0]!.status).toBe('pending');
    await net.advance(1);
    expect(net.txs({ hash })[0]).toMatchObject({ status: 'included', height: 4 });
  });

  it('rejectNextCheckTx answers the next broadcast with the given code', async () => {
    const net = await start();
    net.rejectNextCheckTx(19, 'tx already in mempool');
    const r = (await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1oli000', seq: 0 })) })).result;
    expect(r).toMatchObject({ code: 19, log: 'tx already in mempool', codespace: 'sdk' });
    expect((await rpc(net.rpcUrl, 'broadcast_tx_sync', { tx: b64(fakeTx({ from: 'pokt1oli000', seq: 0 })) })).result.code).toBe(0);
  });

  it('failQueries fails matching abci_query paths until undone', async () => {
    const net = await start();
    const undo = net.failQueries(/Seq$/, 13, 'boom');
    const q = () => rpc(net.rpcUrl, 'abci_query', { path: '/fake.Query/Seq', data: '' }).then((r) => r.result.response);
    expect(await q()).toMatchObject({ code: 13, log: 'boom' });
    undo();
    expect((await q()).code).toBe(0);
  });

  it('rpcLatency delays replies', async () => {
    const net = await start();
    net.rpcLatency(150);
    const t0 = Date.now();
    await rpc(net.rpcUrl, 'health');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
  });

  it('muteEvents swallows chosen heights; killWebsockets drops sockets without a close frame', async () => {
    const net = await start();
    const c = await wsClient(net.wsUrl);
    c.send(1, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    await c.until((m) => m.length === 1);
    net.muteEvents({ kind: 'NewBlockHeader', heights: { from: 3, to: 4 } });
    await net.advance(4);
    await c.until((m) => m.length === 3);
    expect(c.messages.slice(1).map((m) => m.result.data.value.header.height)).toEqual(['2', '5']);
    expect(net.killWebsockets()).toBe(1);
    expect(await c.closed).toBe(1006);
  });

  it('cancelSlowSubscriber sends the slow-client error on the subscription id', async () => {
    const net = await start();
    const c = await wsClient(net.wsUrl);
    c.send(42, 'subscribe', { query: "tm.event='NewBlockHeader'" });
    await c.until((m) => m.length === 1);
    expect(net.cancelSlowSubscriber("tm.event='NewBlockHeader'")).toBe(1);
    await c.until((m) => m.length === 2);
    expect(c.messages[1].id).toBe(42);
    expect(c.messages[1].error.data).toMatch(/not pulling messages fast enough/);
    await net.advance(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(c.messages).toHaveLength(2);
    c.ws.close();
  });

  it('skipBlocks and stall pause the timer; heights stay consecutive', async () => {
    const net = await start({ blockTimeMs: 20 });
    await net.waitFor(() => net.height >= 3, { ms: 2000 });
    net.skipBlocks(5);
    const h = net.height;
    await new Promise((r) => setTimeout(r, 60));
    expect(net.height - h).toBeLessThanOrEqual(1);
    await net.stall(100);
    const after = net.height;
    await net.waitFor(() => net.height > after + 1, { ms: 2000 });
    const metas = (await rpc(net.rpcUrl, 'blockchain', {})).result.block_metas.map((m: any) => Number(m.header.height));
    expect(metas.slice(1).every((x: number, i: number) => x === metas[i] - 1)).toBe(true);
  });
});

describe('handle', () => {
  it('advanceTo, advanceUntil, waitFor by blocks and events()', async () => {
    const net = await start();
    expect(await net.advanceTo(5)).toBe(5);
    expect(await net.advanceUntil(() => net.height === 8)).toBe(8);
    const p = net.waitFor(() => net.height >= 10 && net.height, { blocks: 5 });
    await net.advance(2);
    expect(await p).toBe(10);
    const never = expect(net.waitFor(() => false, { blocks: 2 })).rejects.toThrow(/after 2 blocks/);
    await net.advance(2);
    await never;
    expect(net.events({ type: 'fake.EndBlock' }).map((e) => e.height)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });

  it('pause stops the timer, resume restarts it, stop frees the port', async () => {
    const net = await start({ blockTimeMs: 20 });
    net.pause();
    const h = net.height;
    await new Promise((r) => setTimeout(r, 80));
    expect(net.height).toBe(h);
    net.resume();
    await net.waitFor(() => net.height > h + 1, { ms: 2000 });
    await net.stop();
    await expect(fetch(net.rpcUrl)).rejects.toThrow();
    await expect(net.advance()).rejects.toThrow(/stopped/);
  });
});
