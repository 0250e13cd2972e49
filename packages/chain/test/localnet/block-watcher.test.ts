import { afterEach, describe, expect, it } from 'vitest';
import type { LocalnetHandle } from '@relayminer/localnet';
import { BlockWatcher, CometRpc, type BlockWatcherError, type ChainBlock } from '../../src/index.js';
import { start } from './fixture.js';

let net: LocalnetHandle | undefined;
let watcher: BlockWatcher | undefined;

afterEach(async () => {
  watcher?.stop();
  watcher = undefined;
  await net?.stop();
  net = undefined;
});

function watch(n: LocalnetHandle, opts: { blockIntervalMs?: number; stallBlocks?: number; startHeight?: bigint } = {}) {
  const w = new BlockWatcher({
    wsUrl: n.wsUrl,
    rpc: new CometRpc(n.rpcUrl, 2000),
    blockIntervalMs: opts.blockIntervalMs ?? 60_000,
    stallBlocks: opts.stallBlocks ?? 3,
    reconnectInitialMs: 50,
    reconnectMaxMs: 300,
    startHeight: opts.startHeight,
  });
  const blocks: ChainBlock[] = [];
  const issues: BlockWatcherError[] = [];
  w.blocks$.subscribe((b) => blocks.push(b));
  w.issues$.subscribe((e) => issues.push(e));
  watcher = w;
  return { w, blocks, issues };
}

/** Heights must be consecutive from the first one, each hash the node's own. */
function expectGapFree(n: LocalnetHandle, blocks: ChainBlock[], from: number, to: number): void {
  expect(blocks.map((b) => Number(b.height))).toEqual(Array.from({ length: to - from + 1 }, (_, i) => from + i));
  for (const b of blocks) expect(b.hashHex).toBe(n.blockHash(Number(b.height)));
}

async function until(pred: () => boolean, ms = 10_000): Promise<void> {
  const t0 = Date.now();
  while (!pred()) {
    if (Date.now() - t0 > ms) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('BlockWatcher against localnet', () => {
  it('emits the latest block, then every new one in order with the RPC hash', async () => {
    net = await start();
    await net.advanceTo(3);
    const { w, blocks } = watch(net);
    const first = await w.start();
    expect(first.height).toBe(3n);
    await until(() => w.state === 'subscribed' || blocks.length > 0);
    await new Promise((r) => setTimeout(r, 200)); // let the subscription settle
    await net.advance(5);
    await until(() => blocks.length >= 6);
    expectGapFree(net, blocks, 3, 8);
    expect(blocks[1]!.hash.length).toBe(32);
    expect(blocks[1]!.time).toBeInstanceOf(Date);
  });

  it('backfills from an explicit start height', async () => {
    net = await start();
    await net.advanceTo(6);
    const { w, blocks } = watch(net, { startHeight: 2n });
    await w.start();
    await until(() => blocks.length >= 5);
    expectGapFree(net, blocks, 2, 6);
  });

  it('survives killed websockets without missing or repeating a height', async () => {
    net = await start();
    const { w, blocks, issues } = watch(net);
    await w.start();
    await new Promise((r) => setTimeout(r, 200));
    await net.advance(2);
    await until(() => blocks.length >= 3);
    expect(net.killWebsockets()).toBeGreaterThan(0);
    await net.advance(3); // committed while we are disconnected
    await until(() => blocks.length >= 6);
    await until(() => w.state === 'subscribed' || w.state === 'connecting');
    await new Promise((r) => setTimeout(r, 300));
    net.killWebsockets();
    await new Promise((r) => setTimeout(r, 300));
    await net.advance(2);
    await until(() => blocks.length >= 8);
    expectGapFree(net, blocks, 1, 8);
    expect(issues.some((e) => e.reason === 'socket_lost')).toBe(true);
  });

  it('keeps exactly one socket open across reconnects, and none after stop', async () => {
    net = await start();
    const { w } = watch(net);
    await w.start();
    for (let i = 0; i < 3; i++) {
      await new Promise((r) => setTimeout(r, 400));
      expect(net.killWebsockets()).toBe(1);
    }
    await new Promise((r) => setTimeout(r, 1000)); // cosmjs would have reopened old sockets after 100 ms
    expect(net.killWebsockets()).toBe(1);
    await new Promise((r) => setTimeout(r, 400));
    w.stop();
    await new Promise((r) => setTimeout(r, 1000));
    expect(net.killWebsockets()).toBe(0);
  });

  it('fills muted header events from /block', async () => {
    net = await start();
    const { w, blocks } = watch(net);
    await w.start();
    await new Promise((r) => setTimeout(r, 200));
    net.muteEvents({ kind: 'NewBlockHeader', heights: { from: 2, to: 5 } });
    await net.advance(4);
    await new Promise((r) => setTimeout(r, 200));
    expect(blocks.length).toBe(1); // nothing heard yet
    await net.advance(1); // height 6 is heard: 2..5 are backfilled first
    await until(() => blocks.length >= 6);
    expectGapFree(net, blocks, 1, 6);
  });

  it('reconnects and catches up when the subscription goes silent (stall watchdog)', async () => {
    net = await start();
    const { w, blocks, issues } = watch(net, { blockIntervalMs: 150, stallBlocks: 2 });
    await w.start();
    await new Promise((r) => setTimeout(r, 100));
    net.muteEvents({ kind: 'NewBlockHeader', heights: { from: 2, to: 4 } });
    await net.advance(3);
    await until(() => issues.some((e) => e.reason === 'stalled'));
    await until(() => blocks.length >= 4);
    expectGapFree(net, blocks, 1, 4);
  });

  it('re-subscribes after the node cancels a slow subscriber', async () => {
    net = await start();
    const { w, blocks, issues } = watch(net);
    await w.start();
    await new Promise((r) => setTimeout(r, 200));
    expect(net.cancelSlowSubscriber("tm.event='NewBlockHeader'")).toBe(1);
    await until(() => issues.some((e) => e.reason === 'subscription_error' || e.reason === 'socket_lost'));
    await until(() => w.state === 'subscribed');
    await new Promise((r) => setTimeout(r, 200));
    await net.advance(3);
    await until(() => blocks.length >= 4);
    expectGapFree(net, blocks, 1, 4);
  });

  it('reports a stall while the chain is paused and resumes without gaps', async () => {
    net = await start(50);
    const { w, blocks, issues } = watch(net, { blockIntervalMs: 50, stallBlocks: 4 });
    await w.start();
    const from = Number(blocks[0]!.height);
    await new Promise((r) => setTimeout(r, 300));
    net.pause();
    await until(() => issues.some((e) => e.reason === 'stalled'));
    net.resume();
    await new Promise((r) => setTimeout(r, 400));
    const last = net.height;
    await until(() => Number(blocks[blocks.length - 1]!.height) >= last);
    expectGapFree(net, blocks.filter((b) => Number(b.height) <= last), from, last);
  });

  it('stays ordered on a timer-driven chain with repeated socket kills', async () => {
    net = await start(60);
    const { w, blocks } = watch(net, { blockIntervalMs: 60, stallBlocks: 10 });
    await w.start();
    const firstHeight = Number(blocks[0]!.height);
    for (let i = 0; i < 5; i++) {
      await new Promise((r) => setTimeout(r, 250));
      net.killWebsockets();
    }
    await new Promise((r) => setTimeout(r, 600));
    const last = net.height;
    await until(() => blocks.length > 0 && Number(blocks[blocks.length - 1]!.height) >= last);
    const upto = blocks.filter((b) => Number(b.height) <= last);
    expectGapFree(net, upto, firstHeight, last);
  });
});
