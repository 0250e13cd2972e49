/**
 * A tiny stand-in app for the node's tests: txs are JSON `{from, seq, fail?}`; CheckTx enforces the
 * sequence against a check state that counts mempool txs, DeliverTx against the deliver state, and commit
 * rebuilds the check state, so the node's mempool, recheck and indexing paths all get exercised.
 */
import { createHash } from 'node:crypto';
import type { AbciEvent, AbciTxResult, LocalnetApp } from '../src/abci.js';

export interface FakeTx {
  from: string;
  seq: number;
  /** Passes CheckTx but fails in the block, like a message-level error. */
  fail?: boolean;
  note?: string;
}

export function fakeTx(t: FakeTx): Uint8Array {
  return new Uint8Array(Buffer.from(JSON.stringify(t)));
}

function ok(events: AbciEvent[]): AbciTxResult {
  return { code: 0, codespace: '', log: '', data: new Uint8Array(), gasWanted: 100n, gasUsed: 42n, events };
}

function err(code: number, log: string, rejectReason: string): AbciTxResult {
  return { code, codespace: 'sdk', log, data: new Uint8Array(), gasWanted: 100n, gasUsed: 10n, events: [], rejectReason };
}

function attr(key: string, value: string) {
  return { key, value, index: true };
}

export interface FakeControl {
  /** Committed sequence of `addr` (what a query returns). */
  seq(addr: string): number;
  /** Moves `addr`'s committed sequence on, as if a tx from elsewhere used it; applied at the next commit. */
  bumpCommitted(addr: string): void;
  blocksSeen: { height: bigint; hash: string; lastBlockHash: string; timeMs: number }[];
}

export type FakeApp = LocalnetApp & { control: FakeControl };

export function createFakeApp(chainId = 'fake-localnet'): FakeApp {
  let committed = new Map<string, number>();
  let check = new Map<string, number>();
  let deliver = new Map<string, number>();
  const pendingBumps: string[] = [];
  let height = 0n;
  let appHash: Uint8Array = new Uint8Array(createHash('sha256').update('fake genesis').digest());
  const blocksSeen: FakeControl['blocksSeen'] = [];

  const parse = (tx: Uint8Array): FakeTx | undefined => {
    try {
      return JSON.parse(Buffer.from(tx).toString('utf8')) as FakeTx;
    } catch {
      return undefined;
    }
  };

  const ante = (state: Map<string, number>, t: FakeTx | undefined): AbciTxResult | undefined => {
    if (!t) return err(2, 'tx parse error', 'DECODE');
    const want = state.get(t.from) ?? 0;
    if (t.seq !== want) return err(32, `account sequence mismatch, expected ${want}, got ${t.seq}`, 'WRONG_SEQUENCE');
    state.set(t.from, want + 1);
    return undefined;
  };

  const app: FakeApp = {
    chainId,
    appVersion: 'v0.0.1-fake',
    info: () => ({ lastBlockHeight: height, lastBlockAppHash: appHash }),
    query(path, data, h) {
      if (h > height) return { code: 26, codespace: 'sdk', log: 'cannot query with height in the future', value: new Uint8Array(), height: 0n };
      if (path !== '/fake.Query/Seq') return { code: 6, codespace: 'sdk', log: 'unknown query path', value: new Uint8Array(), height };
      const addr = Buffer.from(data).toString('utf8');
      return { code: 0, codespace: '', log: '', value: new Uint8Array(Buffer.from(String(committed.get(addr) ?? 0))), height };
    },
    checkTx(tx) {
      return ante(check, parse(tx)) ?? ok([{ type: 'tx', attributes: [attr('acc_seq', `${parse(tx)!.from}/${parse(tx)!.seq}`)] }]);
    },
    beginBlock(header) {
      deliver = new Map(committed);
      blocksSeen.push({
        height: header.height,
        hash: Buffer.from(header.hash).toString('hex').toUpperCase(),
        lastBlockHash: Buffer.from(header.lastBlockHash).toString('hex').toUpperCase(),
        timeMs: header.timeMs,
      });
    },
    deliverTx(tx) {
      const t = parse(tx);
      const bad = ante(deliver, t);
      if (bad) return bad;
      const anteEvents: AbciEvent[] = [{ type: 'tx', attributes: [attr('acc_seq', `${t!.from}/${t!.seq}`)] }];
      if (t!.fail) return { ...err(1, 'message failed on purpose', 'FAKE_MSG_FAILURE'), events: anteEvents };
      return ok([
        ...anteEvents,
        { type: 'message', attributes: [attr('action', '/fake.Msg'), attr('sender', t!.from), attr('module', 'fake')] },
        { type: 'fake.Noted', attributes: [attr('note', JSON.stringify(t!.note ?? '')), attr('seq', String(t!.seq))] },
      ]);
    },
    endBlock() {
      return { events: [{ type: 'fake.EndBlock', attributes: [attr('height', String(height + 1n))] }] };
    },
    commit() {
      height++;
      committed = deliver;
      for (const a of pendingBumps.splice(0)) committed.set(a, (committed.get(a) ?? 0) + 1);
      check = new Map(committed);
      appHash = new Uint8Array(
        createHash('sha256')
          .update(appHash)
          .update(JSON.stringify([...committed.entries()].sort()))
          .digest(),
      );
      return appHash;
    },
    control: {
      seq: (addr) => committed.get(addr) ?? 0,
      bumpCommitted: (addr) => void pendingBumps.push(addr),
      blocksSeen,
    },
  };
  return app;
}

/** Minimal JSON-RPC over HTTP for tests that want the raw wire. */
export async function rpc(url: string, method: string, params: Record<string, unknown> = {}): Promise<{ result?: any; error?: any }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: Math.floor(Math.random() * 1e9), method, params }),
  });
  return (await res.json()) as { result?: any; error?: any };
}

export const b64 = (u: Uint8Array): string => Buffer.from(u).toString('base64');
