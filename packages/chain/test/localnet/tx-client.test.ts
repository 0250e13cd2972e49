import { afterEach, describe, expect, it } from 'vitest';
import type { LocalnetHandle } from '@relayminer/localnet';
import { MsgSubmitProof } from '@relayminer/protocol';
import { ChainClient, SupplierTxClient, TxSigner, proofMessage, type TxBatchResult, type TxLifecycleEvent } from '../../src/index.js';
import { APP, CUPR, SERVICE, SUPPLIER, SUPPLIER_KEY, claimFor, clientConfig, start } from './fixture.js';

let net: LocalnetHandle | undefined;
let client: ChainClient | undefined;

afterEach(async () => {
  client?.close();
  client = undefined;
  await net?.stop();
  net = undefined;
});

async function setup(height: number, extra: Parameters<typeof clientConfig>[1] = {}) {
  net = await start();
  await net.advanceTo(height);
  client = await ChainClient.connect(clientConfig(net, extra));
  const tx = await client.txClientFor(SUPPLIER_KEY);
  const events: TxLifecycleEvent[] = [];
  tx.events$.subscribe((e) => events.push(e));
  return { net, client, tx, events };
}

/** Produces a block every `everyMs` until `work` settles (the chain is on-demand in these tests). */
async function drive<T>(n: LocalnetHandle, work: Promise<T>, everyMs = 60, maxBlocks = 60): Promise<T> {
  let settled = false;
  const done = work.finally(() => {
    settled = true;
  });
  for (let i = 0; i < maxBlocks && !settled; i++) {
    await new Promise((r) => setTimeout(r, everyMs));
    if (!settled) await n.advance(1);
  }
  return done;
}

async function headerOfSession(c: ChainClient, endHeight: bigint) {
  const s = await c.query.getSession(APP, SERVICE, endHeight);
  return s.header!;
}

describe('SupplierTxClient against localnet', () => {
  it('submits a claim and reports its inclusion; the claim is then on chain', async () => {
    const { net, client, tx, events } = await setup(6); // session [1,4]: claim window [6, 14]
    const header = await headerOfSession(client, 4n);
    const result: TxBatchResult = await drive(net, tx.submit([claimFor(header, 10n, CUPR)], { timeoutHeight: 14n }));
    expect(result.outcome.status).toBe('included');
    if (result.outcome.status !== 'included') return;
    expect(result.outcome.txHash).toMatch(/^[0-9A-F]{64}$/);
    expect(result.outcome.height).toBeGreaterThan(6n);
    expect(result.outcome.gasUsed).toBeGreaterThan(0n);
    expect(result.messages).toHaveLength(1);
    expect(result.messages[0]!.sessionId).toBe(header.sessionId);
    const claim = await client.query.claim(header.sessionId, SUPPLIER);
    expect(claim?.rootHash.length).toBe(48);
    expect(events.filter((e) => e.kind === 'broadcast')).toHaveLength(1);
    // the next batch uses the next sequence without any mismatch
    const again = await drive(net, tx.submit([claimFor(header, 11n, CUPR)], { timeoutHeight: 14n }));
    expect(again.outcome.status).toBe('included');
    expect(events.some((e) => e.kind === 'sequence_resync')).toBe(false);
    expect((await client.query.account(SUPPLIER, { fresh: true }))?.sequence).toBe(2n);
  });

  it('batches claims of several sessions into one tx with a result per message', async () => {
    const { net, client, tx } = await setup(10);
    const h4 = await headerOfSession(client, 4n);
    const h8 = await headerOfSession(client, 8n);
    const r = await drive(net, tx.submit([claimFor(h4, 2n, CUPR), claimFor(h8, 3n, CUPR)], { timeoutHeight: 14n }));
    expect(r.outcome.status).toBe('included');
    expect(r.messages.map((m) => m.sessionId)).toEqual([h4.sessionId, h8.sessionId]);
    expect(r.messages.every((m) => m.outcome === r.outcome)).toBe(true);
    expect(net.txs({ sender: SUPPLIER }).length).toBe(1);
    expect(await client.query.allClaims({ supplierOperatorAddress: SUPPLIER })).toHaveLength(2);
  });

  it("returns the chain's error for a malformed proof", async () => {
    const { net, client, tx } = await setup(6);
    const h4 = await headerOfSession(client, 4n);
    expect((await drive(net, tx.submit([claimFor(h4, 2n, CUPR)], { timeoutHeight: 14n }))).outcome.status).toBe('included');
    await net.advanceTo(15); // proof window of session [1,4]: [14, 18]
    const bad = proofMessage(MsgSubmitProof.fromPartial({ supplierOperatorAddress: SUPPLIER, sessionHeader: h4, proof: new Uint8Array([1, 2, 3]) }));
    const r = await drive(net, tx.submit([bad], { timeoutHeight: 18n }));
    expect(r.outcome).toMatchObject({ status: 'failed', stage: 'simulate' });
    if (r.outcome.status === 'failed') expect(r.outcome.log).toMatch(/proof/i);
  });

  it("returns the chain's error for an invalid claim: from Simulate, or from the block with a fixed gas limit", async () => {
    const { net, client, tx } = await setup(6);
    const header = await headerOfSession(client, 4n);
    const simulated = await drive(net, tx.submit([claimFor(header, 10n, CUPR + 1n)], { timeoutHeight: 14n }));
    expect(simulated.outcome).toMatchObject({ status: 'failed', stage: 'simulate' });
    if (simulated.outcome.status === 'failed') expect(simulated.outcome.log).toMatch(/compute units/);

    const fixed = await makeFixedGasClient(client, 400_000);
    const delivered = await drive(net, fixed.submit([claimFor(header, 10n, CUPR + 1n)], { timeoutHeight: 14n }));
    expect(delivered.outcome).toMatchObject({ status: 'failed', stage: 'deliver' });
    if (delivered.outcome.status === 'failed') {
      expect(delivered.outcome.code).not.toBe(0);
      expect(delivered.outcome.height).toBeGreaterThan(6n);
      expect(delivered.outcome.log).toMatch(/compute units/);
    }
    fixed.close();
  });

  it('reports a CheckTx rejection immediately with code, codespace and log', async () => {
    const { net, client, tx } = await setup(6);
    const header = await headerOfSession(client, 4n);
    net.rejectNextCheckTx(13, 'insufficient fees; got: 1upokt required: 2upokt: insufficient fee', 'sdk');
    const r = await drive(net, tx.submit([claimFor(header, 10n, CUPR)], { timeoutHeight: 14n }));
    expect(r.outcome).toMatchObject({ status: 'failed', stage: 'check_tx', code: 13, codespace: 'sdk' });
  });

  it('recovers from a sequence mismatch caused by another sender of the same key (via Simulate)', async () => {
    const { net, client, tx, events } = await setup(10); // sessions [1,4] and [5,8] both claimable
    const h4 = await headerOfSession(client, 4n);
    const h8 = await headerOfSession(client, 8n);
    const other = await makeFixedGasClient(client, undefined);
    const otherBroadcast = new Promise<void>((resolve) => other.events$.subscribe((e) => e.kind === 'broadcast' && resolve()));
    const otherDone = other.submit([claimFor(h4, 3n, CUPR)], { timeoutHeight: 14n });
    await otherBroadcast; // sits in the mempool: check-state sequence is 1, committed is 0
    const ours = tx.submit([claimFor(h8, 5n, CUPR)], { timeoutHeight: 18n });
    const [a, b] = await drive(net, Promise.all([otherDone, ours]));
    expect(a.outcome.status).toBe('included');
    expect(b.outcome.status).toBe('included');
    expect(events.some((e) => e.kind === 'sequence_resync' && e.stage === 'simulate' && e.expected === 1n)).toBe(true);
    other.close();
  });

  it('recovers from a sequence mismatch reported by CheckTx (fixed gas, no simulation)', async () => {
    const { net, client } = await setup(10, { gas_limit: 400_000 });
    const tx = await client.txClientFor(SUPPLIER_KEY);
    const events: TxLifecycleEvent[] = [];
    tx.events$.subscribe((e) => events.push(e));
    const h4 = await headerOfSession(client, 4n);
    const h8 = await headerOfSession(client, 8n);
    const other = await makeFixedGasClient(client, 400_000);
    const otherBroadcast = new Promise<void>((resolve) => other.events$.subscribe((e) => e.kind === 'broadcast' && resolve()));
    const otherDone = other.submit([claimFor(h4, 3n, CUPR)], { timeoutHeight: 14n });
    await otherBroadcast;
    const ours = tx.submit([claimFor(h8, 5n, CUPR)], { timeoutHeight: 18n });
    const [a, b] = await drive(net, Promise.all([otherDone, ours]));
    expect(a.outcome.status).toBe('included');
    expect(b.outcome.status).toBe('included');
    expect(events.some((e) => e.kind === 'sequence_resync' && e.stage === 'check_tx')).toBe(true);
    other.close();
  });

  it('rebroadcasts a tx the mempool dropped, and it gets included', async () => {
    const { net, client, tx, events } = await setup(6);
    const header = await headerOfSession(client, 4n);
    net.dropNextBroadcast();
    const r = await drive(net, tx.submit([claimFor(header, 10n, CUPR)], { timeoutHeight: 14n }));
    expect(r.outcome.status).toBe('included');
    expect(events.some((e) => e.kind === 'rebroadcast')).toBe(true);
  });

  it('reports expired when the tx is never included by its timeout height, then carries on', async () => {
    const { net, client, tx, events } = await setup(6);
    const header = await headerOfSession(client, 4n);
    const hash = new Promise<string>((resolve) => tx.events$.subscribe((e) => e.kind === 'broadcast' && resolve(e.txHash)));
    const pending = tx.submit([claimFor(header, 10n, CUPR)], { timeoutHeight: 10n });
    net.delayInclusion(await hash, 100); // no block has been produced since the broadcast
    const r = await drive(net, pending);
    expect(r.outcome).toMatchObject({ status: 'expired', timeoutHeight: 10n });
    if (r.outcome.status === 'expired') expect(r.outcome.rebroadcasts).toBe(2);
    expect(events.filter((e) => e.kind === 'rebroadcast')).toHaveLength(2);
    expect(net.height).toBeGreaterThan(10);
    // the expired tx never used its sequence: the next one must not skip it
    const next = await drive(net, tx.submit([claimFor(header, 12n, CUPR)], { timeoutHeight: 14n }));
    expect(next.outcome.status).toBe('included');
  });

  it('does not broadcast when the timeout height has already passed', async () => {
    const { net, client, tx, events } = await setup(8);
    const header = await headerOfSession(client, 4n);
    const r = await tx.submit([claimFor(header, 10n, CUPR)], { timeoutHeight: 7n });
    expect(r.outcome).toMatchObject({ status: 'expired', timeoutHeight: 7n, rebroadcasts: 0 });
    expect(events.some((e) => e.kind === 'broadcast')).toBe(false);
    expect(net.height).toBe(8);
  });
});

/** A second, independent client for the same key (its own local sequence), optionally with a fixed gas limit. */
async function makeFixedGasClient(client: ChainClient, gasLimit: number | undefined): Promise<SupplierTxClient> {
  const config = { ...client.config, gasLimit: gasLimit === undefined ? undefined : BigInt(gasLimit) };
  const { CometRpc } = await import('../../src/index.js');
  return new SupplierTxClient({
    signer: await TxSigner.fromPrivateKey(SUPPLIER_KEY),
    config,
    txRpc: new CometRpc(config.txRpcUrl, config.queryTimeoutMs),
    query: client.query,
    blocks$: client.blocks.blocks$,
  });
}
