import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainClient } from '@relayminer/chain';
import type { LocalnetHandle } from '@relayminer/localnet';
import type { RelayRequest, SessionHeader } from '@relayminer/protocol';
import { ChainRelayMeter } from '../src/meter/index.js';
import {
  APP,
  APP_STAKE,
  CUPR,
  CUPR_CHANGE_HEIGHT,
  CUPR_LATER,
  SERVICE,
  SMALL_APP,
  SUPPLIER,
  advance,
  connect,
  startNet,
} from './auth-fixture.js';

let net: LocalnetHandle;
let chain: ChainClient;

beforeAll(async () => {
  net = await startNet();
  chain = await connect(net);
  await advance(net, chain, 1); // height 2, session [1, 4]
});

afterAll(async () => {
  chain?.close();
  await net?.stop();
});

async function header(app: string): Promise<SessionHeader> {
  return (await chain.query.getSession(app, SERVICE, BigInt(net.height))).header!;
}

// metering reads only the header: no signature needed
const requestFor = (h: SessionHeader): RelayRequest => ({
  meta: { sessionHeader: h, signature: new Uint8Array([1]), supplierOperatorAddress: SUPPLIER },
  payload: new Uint8Array(),
});

describe('ChainRelayMeter against localnet', () => {
  it('budgets the session from the chain: stake / suppliers per session / pending sessions, cost at the session start', async () => {
    const meter = ChainRelayMeter.fromChainClient(chain);
    const h = await header(APP);
    expect(await meter.charge(requestFor(h))).toBe('ok');

    const snap = meter.snapshot(h.sessionId)!;
    // tail = 1 + 8 + 0 + 4 = 13 blocks, N = 4 → ceil(13/4) + 1 = 5 pending sessions; 15 suppliers per session
    expect(snap.maxUpokt).toBe(APP_STAKE / 15n / 5n);
    expect(snap.maxUpokt).toBe(1_333_333_333n);
    // cupr 7 at the session start × 42 000 000 / 1 000 000
    expect(snap.relayCostUpokt).toBe((CUPR * 42_000_000n) / 1_000_000n);
    expect(snap.consumedUpokt).toBe(294n);
    // E = 4, claim window opens at 4 + 1 + 1
    expect(snap.claimWindowOpenHeight).toBe(6n);
  });

  it('over-services once the budget is spent, and a refund makes room for one more relay', async () => {
    const meter = ChainRelayMeter.fromChainClient(chain);
    const h = await header(SMALL_APP);
    const r = requestFor(h);
    // floor(floor(73 650 / 15) / 5) = 982 → three relays of 294 (882), the fourth would make 1 176
    const outcomes = await Promise.all([meter.charge(r), meter.charge(r), meter.charge(r)]);
    expect(outcomes).toEqual(['ok', 'ok', 'ok']);
    expect(meter.snapshot(h.sessionId)!.maxUpokt).toBe(982n);
    expect(await meter.charge(r)).toBe('over_serviced');
    expect(meter.snapshot(h.sessionId)).toMatchObject({ consumedUpokt: 882n, overServicedRelays: 1 });

    meter.refund(r);
    expect(meter.snapshot(h.sessionId)!.consumedUpokt).toBe(588n);
    expect(await meter.charge(r)).toBe('ok');
    expect(await meter.charge(r)).toBe('over_serviced');
  });

  it('never refunds more than it charged', async () => {
    const meter = ChainRelayMeter.fromChainClient(chain);
    const r = requestFor(await header(SMALL_APP));
    expect(await meter.charge(r)).toBe('ok');
    meter.refund(r);
    meter.refund(r);
    expect(meter.snapshot(r.meta!.sessionHeader!.sessionId)!.consumedUpokt).toBe(0n);
  });

  it('prices a later session with the compute units in effect at its start, and drops meters once the claim window opens', async () => {
    const meter = ChainRelayMeter.fromChainClient(chain);
    const first = await header(APP);
    expect(await meter.charge(requestFor(first))).toBe('ok');
    await advance(net, chain, CUPR_CHANGE_HEIGHT + 1 - net.height); // height 6: session [5, 8], first's claim window open
    const second = await header(APP);
    expect(second.sessionStartBlockHeight).toBe(BigInt(CUPR_CHANGE_HEIGHT));
    expect(await meter.charge(requestFor(second))).toBe('ok');
    expect(meter.snapshot(second.sessionId)!.relayCostUpokt).toBe((CUPR_LATER * 42_000_000n) / 1_000_000n);
    expect(meter.snapshot(first.sessionId)).toBeUndefined();
  });

  it('fails open: unmetered when the chain cannot answer, and says why', async () => {
    const fresh = await connect(net); // empty caches, so the failing query really goes out
    const undo = net.failQueries('/pocket.application.Query/Application', 13, 'boom');
    try {
      const reasons: string[] = [];
      const meter = ChainRelayMeter.fromChainClient(fresh, (reason) => reasons.push(reason));
      const h = (await fresh.query.getSession(APP, SERVICE, BigInt(net.height))).header!;
      expect(await meter.charge(requestFor(h))).toBe('unmetered');
      expect(meter.snapshot(h.sessionId)).toBeUndefined();
      expect(reasons).toHaveLength(1);
      undo();
      // failures are not remembered: the next relay is metered
      expect(await meter.charge(requestFor(h))).toBe('ok');
    } finally {
      undo();
      fresh.close();
    }
  });

  it('is unmetered for a request without a session header', async () => {
    const meter = ChainRelayMeter.fromChainClient(chain);
    expect(await meter.charge({ meta: { sessionHeader: undefined, signature: new Uint8Array(), supplierOperatorAddress: SUPPLIER }, payload: new Uint8Array() })).toBe('unmetered');
  });
});
