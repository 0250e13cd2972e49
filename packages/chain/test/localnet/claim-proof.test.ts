/**
 * Claims and proofs end to end against a real localnet process over 127.0.0.1 sockets: real relays
 * (ring-signed over the app's ring read from the chain, supplier-signed responses, mined against the
 * chain's difficulty) go into a sum trie; the claim and the closest proof for the chain's path go out
 * through SupplierTxClient; windows come from the chain's shared params, the seed block hash from
 * `/block`, and the verdict is read back through the Claim query (and the handle, for failure reasons).
 * Rules: chain.md §5.3–§5.5. Genesis: the fixture's, with proof_request_probability 1.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { isRelayMinable, pocket, readU64be, relayHash, type RelayRequest, type SessionHeader } from '@relayminer/protocol';
import { ChainClient, type SupplierTxClient, type TxBatchResult } from '../../src/index.js';
import { APP, CUPR, CUPR_LATER, SERVICE, SUPPLIER, SUPPLIER_KEY, TARGET, TARGET_LATER, clientConfig } from './fixture.js';
import {
  OTHER_SUPPLIER,
  OTHER_SUPPLIER_KEY,
  blockHashAt,
  chainProofPath,
  claimOf,
  closestProof,
  flipByte,
  mineSession,
  proofOf,
  ringOf,
  rootWith,
  send,
  startProofnet,
  windowsOf,
  type MineOptions,
  type MinedSession,
  type Proofnet,
} from './relays.js';

const { ClaimProofStatus } = pocket.proof;

let net: Proofnet | undefined;
const clients: ChainClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await net?.stop();
  net = undefined;
});

interface Ctx {
  net: Proofnet;
  client: ChainClient;
  tx: SupplierTxClient;
}

async function setup(height: number): Promise<Ctx> {
  net = await startProofnet();
  await net.advanceTo(height);
  const client = await ChainClient.connect(clientConfig(net));
  clients.push(client);
  return { net, client, tx: await client.txClientFor(SUPPLIER_KEY) };
}

/**
 * A tx client of its own with a fixed gas limit, so nothing is simulated and the chain's verdict comes
 * from CheckTx or from the block (DeliverTx), as with a miner configured with `gas_limit`.
 */
async function fixedGasTx(c: Ctx, key: Uint8Array = SUPPLIER_KEY): Promise<SupplierTxClient> {
  const client = await ChainClient.connect(clientConfig(c.net, { gas_limit: 1_000_000 }));
  clients.push(client);
  return client.txClientFor(key);
}

async function sessionAt(c: Ctx, height: bigint): Promise<SessionHeader> {
  const session = await c.client.query.getSession(APP, SERVICE, height);
  expect(session.suppliers.map((s) => s.operatorAddress)).toContain(SUPPLIER);
  return session.header!;
}

/** The localnet record of a tx (its rejectReason names the chain rule that failed). */
function txRecord(c: Ctx, result: TxBatchResult) {
  const hash = result.outcome.status === 'failed' || result.outcome.status === 'included' ? result.outcome.txHash : undefined;
  expect(hash).toBeDefined();
  const [record] = c.net.txs({ hash: hash! });
  expect(record).toBeDefined();
  return record!;
}

function expectFailed(result: TxBatchResult, stage: 'simulate' | 'check_tx' | 'deliver', log: RegExp) {
  const o = result.outcome;
  expect(o.status, JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe('failed');
  if (o.status !== 'failed') throw new Error('unreachable');
  expect(o.stage).toBe(stage);
  expect(o.code).not.toBe(0);
  expect(typeof o.codespace).toBe('string');
  // Simulate wraps the message error as gRPC Unknown (ABCI 6, sdk); a message error in the block is a
  // gRPC status error, which the SDK reports as code 1 in codespace "undefined" (CheckTx keeps module codes)
  if (stage === 'simulate') expect([o.code, o.codespace]).toEqual([6, 'sdk']);
  if (stage === 'deliver') {
    expect([o.code, o.codespace]).toEqual([1, 'undefined']);
    expect(o.txHash).toMatch(/^[0-9A-F]{64}$/);
  }
  expect(o.log).toMatch(log);
  return o;
}

function expectIncluded(result: TxBatchResult) {
  const o = result.outcome;
  expect(o.status, JSON.stringify(o, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))).toBe('included');
  if (o.status !== 'included') throw new Error('unreachable');
  return o;
}

/**
 * Session [1,4]: mines `relays` real relays while the session runs, then claims the root in the first
 * block of the claim window (the tx is sent at claimOpen − 1, the earliest a miner may).
 */
async function claimedSession(c: Ctx, relays = 4, opts: MineOptions = {}): Promise<MinedSession> {
  const header = await sessionAt(c, 1n);
  const mined = await mineSession(c.client, header, relays, opts);
  const w = await windowsOf(c.client, header);
  await c.net.advanceTo(Number(w.claimWindowOpenHeight) - 1);
  const claimed = expectIncluded(await send(c.net, c.tx, [claimOf(header, mined.root)], { timeoutHeight: w.claimWindowCloseHeight }));
  expect(claimed.height).toBe(w.claimWindowOpenHeight);
  return mined;
}

/** Advances to the proof seed block, then submits `proof` so it lands in the first block of the proof window. */
async function submitProofAtWindow(c: Ctx, header: SessionHeader, proof: (path: Uint8Array) => Uint8Array | Promise<Uint8Array>) {
  const w = await windowsOf(c.client, header);
  await c.net.advanceTo(Number(w.proofRequirementSeedBlockHeight));
  const path = await chainProofPath(c.client, header);
  const result = await send(c.net, c.tx, [proofOf(header, await proof(path))], { timeoutHeight: w.proofWindowCloseHeight });
  return { result, w, path };
}

async function claimStatus(c: Ctx, header: SessionHeader) {
  const claim = await c.client.query.claim(header.sessionId, SUPPLIER);
  expect(claim).not.toBeNull();
  return claim!.proofValidationStatus;
}

/** The proof EndBlocker's event for our claim at `height` (a finalize-block event). */
function validityChecked(c: Ctx, height: bigint) {
  const events = c.net.events({ type: 'pocket.proof.EventProofValidityChecked', height: Number(height) });
  expect(events).toHaveLength(1);
  const attr = (k: string) => events[0]!.attributes.find((a) => a.key === k)?.value;
  return { failureReason: attr('failure_reason'), statusInt: attr('claim_proof_status_int') };
}

/** Submits a proof that the chain stores, then asserts the EndBlocker found it INVALID for `reason`. */
async function expectInvalidProof(c: Ctx, mined: MinedSession, proof: (path: Uint8Array) => Uint8Array | Promise<Uint8Array>, code: string, reason: RegExp) {
  const { result } = await submitProofAtWindow(c, mined.header, proof);
  const included = expectIncluded(result); // the message itself is well formed: the verdict comes after the block
  expect(await claimStatus(c, mined.header)).toBe(ClaimProofStatus.INVALID);
  const checked = validityChecked(c, included.height);
  expect(checked.statusInt).toBe(String(ClaimProofStatus.INVALID));
  expect(JSON.parse(checked.failureReason!)).toMatch(reason);
  const [claim] = c.net.app!.claims();
  expect(claim).toMatchObject({ status: 'INVALID', failureCode: code });
  expect(claim!.failureReason).toMatch(reason);
  expect(c.net.app!.proofs().map((p) => [p.status, p.failureCode])).toEqual([['INVALID', code]]);
}

describe('claims and proofs of real relays against localnet', { timeout: 30_000 }, () => {
  it('claims the root of real relays in the claim window and proves it at the proof window: VALIDATED', async () => {
    const c = await setup(1);
    const mined = await claimedSession(c, 4);
    const { header, root, trie } = mined;
    expect(mined.cupr).toBe(CUPR);
    expect(mined.target).toEqual(TARGET);
    expect(readU64be(root, 40)).toBe(4n);
    expect(readU64be(root, 32)).toBe(4n * CUPR);

    // the windows we used are the chain's: session [1,4] → claim [6,14], proof [14,18], seed 13
    const w = await windowsOf(c.client, header);
    expect([w.claimWindowOpenHeight, w.claimWindowCloseHeight, w.proofWindowOpenHeight, w.proofWindowCloseHeight, w.proofRequirementSeedBlockHeight]).toEqual([
      6n, 14n, 14n, 18n, 13n,
    ]);
    const onChain = await c.client.query.claim(header.sessionId, SUPPLIER);
    expect(onChain?.rootHash).toEqual(root);
    expect(onChain?.proofValidationStatus).toBe(ClaimProofStatus.PENDING_VALIDATION);

    const { result, path } = await submitProofAtWindow(c, header, (p) => closestProof(trie, p));
    // the seed hash read from /block is the node's block hash
    expect(Buffer.from(await blockHashAt(c.client, w.proofRequirementSeedBlockHeight)).toString('hex').toUpperCase()).toBe(
      c.net.blockHash(Number(w.proofRequirementSeedBlockHeight)),
    );
    expect(path).toHaveLength(32);
    const included = expectIncluded(result);
    expect(included.height).toBe(w.proofWindowOpenHeight);

    expect(await claimStatus(c, header)).toBe(ClaimProofStatus.VALIDATED);
    expect(validityChecked(c, included.height)).toEqual({ failureReason: '""', statusInt: String(ClaimProofStatus.VALIDATED) });
    expect(c.net.app!.proofs().map((p) => p.status)).toEqual(['VALIDATED']);
    expect(c.net.app!.claims()).toMatchObject([{ status: 'VALIDATED', proofRequired: true }]);
  });

  it('rejects a claim after its claim window closed, from Simulate and from the block', async () => {
    const c = await setup(1);
    const header = await sessionAt(c, 1n);
    const { root } = await mineSession(c.client, header, 2);
    const w = await windowsOf(c.client, header);
    await c.net.advanceTo(Number(w.claimWindowCloseHeight)); // the next block is claimClose + 1
    const late = { timeoutHeight: w.claimWindowCloseHeight + 4n };

    const tooLate = /current block height \(15\) is greater than session claim window close height \(14\): claim attempted outside of the session's claim window/;
    expectFailed(await send(c.net, c.tx, [claimOf(header, root)], late), 'simulate', tooLate);

    const delivered = await send(c.net, await fixedGasTx(c), [claimOf(header, root)], late);
    const d = expectFailed(delivered, 'deliver', new RegExp(`FailedPrecondition desc = ${tooLate.source}`));
    expect(d.height).toBeGreaterThan(w.claimWindowCloseHeight);
    expect(txRecord(c, delivered).rejectReason).toBe('CLAIM_OUTSIDE_WINDOW');
    expect(await c.client.query.claim(header.sessionId, SUPPLIER)).toBeNull();
  });

  it('rejects a claim from a supplier that is not in the session (staked for another service only)', async () => {
    const c = await setup(1);
    const session = await c.client.query.getSession(APP, SERVICE, 1n);
    expect(session.suppliers.map((s) => s.operatorAddress)).not.toContain(OTHER_SUPPLIER);
    const header = session.header!;
    const w = await windowsOf(c.client, header);
    await c.net.advanceTo(Number(w.claimWindowOpenHeight));
    const msg = claimOf(header, rootWith(3n * CUPR, 3n), OTHER_SUPPLIER);
    const opts = { timeoutHeight: w.claimWindowCloseHeight };

    const other = await c.client.txClientFor(OTHER_SUPPLIER_KEY);
    const notInSession = new RegExp(`InvalidArgument desc = supplier operator address "${OTHER_SUPPLIER}" not found in session ID "${header.sessionId}": supplier not found`);
    expectFailed(await send(c.net, other, [msg], opts), 'simulate', notInSession);

    const delivered = await send(c.net, await fixedGasTx(c, OTHER_SUPPLIER_KEY), [msg], opts);
    expectFailed(delivered, 'deliver', notInSession);
    expect(txRecord(c, delivered).rejectReason).toBe('SUPPLIER_NOT_IN_SESSION');
    expect(await c.client.query.claim(header.sessionId, OTHER_SUPPLIER)).toBeNull();
  });

  it("rejects a claim whose session id is not the chain's", async () => {
    const c = await setup(1);
    const real = await sessionAt(c, 1n);
    const header = { ...real, sessionId: 'ab'.repeat(32) };
    const w = await windowsOf(c.client, real);
    await c.net.advanceTo(Number(w.claimWindowOpenHeight));
    const msg = claimOf(header, rootWith(2n * CUPR, 2n));

    const mismatch = new RegExp(`InvalidArgument desc = session ID does not match onchain session ID; expected "${real.sessionId}", got "${header.sessionId}": invalid session ID`);
    expectFailed(await send(c.net, c.tx, [msg], { timeoutHeight: w.claimWindowCloseHeight }), 'simulate', mismatch);
    const delivered = await send(c.net, await fixedGasTx(c), [msg], { timeoutHeight: w.claimWindowCloseHeight });
    expectFailed(delivered, 'deliver', mismatch);
    expect(txRecord(c, delivered).rejectReason).toBe('SESSION_ID_MISMATCH');
    expect(await c.client.query.allClaims({ supplierOperatorAddress: SUPPLIER })).toEqual([]);
  });

  it('rejects malformed roots: wrong length and zero count in CheckTx, sum ≠ count × cupr in the block', async () => {
    const c = await setup(1);
    const header = await sessionAt(c, 1n);
    const w = await windowsOf(c.client, header);
    await c.net.advanceTo(Number(w.claimWindowOpenHeight));
    const opts = { timeoutHeight: w.claimWindowCloseHeight };
    const fixed = await fixedGasTx(c);
    const { root } = await mineSession(c.client, header, 3);

    const malformed: Array<[Uint8Array, RegExp]> = [
      [root.slice(0, 32), /root hash must be 48 bytes, got 32: invalid root hash/],
      [root.slice(0, 47), /root hash must be 48 bytes, got 47: invalid root hash/],
      [rootWith(CUPR, 0n), /root hash has zero relays: invalid root hash/],
    ];
    for (const [bad, why] of malformed) {
      expectFailed(await send(c.net, c.tx, [claimOf(header, bad)], opts), 'simulate', why);
      const checked = expectFailed(await send(c.net, fixed, [claimOf(header, bad)], opts), 'check_tx', why);
      expect(checked).toMatchObject({ code: 1104, codespace: 'proof' }); // ErrProofInvalidClaimRootHash, from ValidateBasic
    }
    expect(c.net.height).toBe(Number(w.claimWindowOpenHeight)); // refused before any block

    // a 48-byte root whose sum is not count × cupr: the trailer of 3 relays weighted cupr + 1
    const skewed = rootWith(3n * (CUPR + 1n), 3n);
    const cuMismatch = new RegExp(
      `InvalidArgument desc = claimed compute units \\(${3n * (CUPR + 1n)}\\) != number of relays \\(3\\) \\* compute units per relay \\(${CUPR}\\): compute units mismatch`,
    );
    expectFailed(await send(c.net, c.tx, [claimOf(header, skewed)], opts), 'simulate', cuMismatch);
    const delivered = await send(c.net, fixed, [claimOf(header, skewed)], opts);
    expectFailed(delivered, 'deliver', cuMismatch);
    expect(txRecord(c, delivered).rejectReason).toBe('COMPUTE_UNITS_MISMATCH');
    expect(await c.client.query.claim(header.sessionId, SUPPLIER)).toBeNull();

    // the real root still goes through afterwards
    expectIncluded(await send(c.net, c.tx, [claimOf(header, root)], opts));
  });

  it('marks a proof for another path INVALID after the block', async () => {
    const c = await setup(1);
    const mined = await claimedSession(c);
    const w = await windowsOf(c.client, mined.header);
    // a valid closest proof, for the path of the block before the seed block
    const wrongPath = () => chainProofPath(c.client, mined.header, w.proofRequirementSeedBlockHeight - 1n);
    await expectInvalidProof(c, mined, async () => closestProof(mined.trie, await wrongPath()), 'BAD_PATH', /is not the expected path/);
  });

  it('marks a proof INVALID when the proven leaf holds a relay altered after signing (supplier signature)', async () => {
    const c = await setup(1);
    // the root commits to the altered relay bytes, so only the signature check can catch it
    const mined = await claimedSession(c, 3, {
      tamperResponse: (res) => ({ ...res, meta: { ...res.meta!, supplierOperatorSignature: flipByte(res.meta!.supplierOperatorSignature, 10) } }),
    });
    await expectInvalidProof(c, mined, (p) => closestProof(mined.trie, p), 'BAD_SUPPLIER_SIG', /invalid relay response signature/);
  });

  const ringCases: Array<[string, (c: Ctx, header: SessionHeader) => Promise<MineOptions>]> = [
    [
      'a flipped byte in its ring signature',
      async () => ({
        // serialised as u32 size ‖ c(32) ‖ key image(33) ‖ (s_i(32) ‖ P_i(33))…: flip the last byte of s_0
        tamperRequest: (req: RelayRequest) => ({ ...req, meta: { ...req.meta!, signature: flipByte(req.meta!.signature, 4 + 32 + 33 + 31) } }),
      }),
    ],
    [
      'a ring signature by a key outside the app ring',
      async (c, header) => {
        const ring = await ringOf(c.client, header);
        const outsider = (await c.client.query.account(SUPPLIER))?.pubKey;
        expect(outsider).toBeDefined();
        expect(ring.some((k) => Buffer.from(k).equals(Buffer.from(outsider!)))).toBe(false);
        // a well-formed ring signature by the supplier, over one real ring member and the supplier itself
        return { ringSignerKey: SUPPLIER_KEY, ring: [ring[0]!, outsider!] };
      },
    ],
  ];

  it.each(ringCases)('marks a proof whose relay carries %s INVALID', async (_name, opts) => {
    const c = await setup(1);
    const header = await sessionAt(c, 1n);
    const mined = await claimedSession(c, 3, await opts(c, header));
    await expectInvalidProof(c, mined, (p) => closestProof(mined.trie, p), 'BAD_RING_SIG', /invalid ring signature/);
  });

  it('rejects at delivery a proof whose relay misses the difficulty target in force at the session start', async () => {
    // the fixture schedules a harder target (TARGET_LATER) from height 9: relays of session [9,12] mined
    // against the target known before the change qualify then, but not at the session start
    const c = await setup(9);
    const header = await sessionAt(c, 9n);
    expect(header.sessionStartBlockHeight).toBe(9n);
    const before = (await c.client.query.relayMiningDifficultyAtHeight(SERVICE, 8n)).targetHash;
    const atStart = (await c.client.query.relayMiningDifficultyAtHeight(SERVICE, 9n)).targetHash;
    expect([before, atStart]).toEqual([TARGET, TARGET_LATER]);
    const mined = await mineSession(c.client, header, 2, { accept: (h) => isRelayMinable(h, before) && !isRelayMinable(h, atStart) });
    expect(mined.cupr).toBe(CUPR_LATER);

    const w = await windowsOf(c.client, header);
    await c.net.advanceTo(Number(w.claimWindowOpenHeight) - 1);
    expectIncluded(await send(c.net, c.tx, [claimOf(header, mined.root)], { timeoutHeight: w.claimWindowCloseHeight }));

    await c.net.advanceTo(Number(w.proofRequirementSeedBlockHeight));
    const proof = proofOf(header, closestProof(mined.trie, await chainProofPath(c.client, header)));
    const opts = { timeoutHeight: w.proofWindowCloseHeight };
    const tooEasy = /FailedPrecondition desc = relay hash ([0-9a-f]{64}) is not below the target (03){32}: invalid relay difficulty/;
    expectFailed(await send(c.net, c.tx, [proof], opts), 'simulate', tooEasy);

    const delivered = await send(c.net, await fixedGasTx(c), [proof], opts);
    const d = expectFailed(delivered, 'deliver', tooEasy);
    // the relay the chain judged is one we mined (the closest leaf), and it met the earlier target
    const judged = Buffer.from(tooEasy.exec(d.log)![1]!, 'hex');
    expect(mined.relays.some((r) => Buffer.from(relayHash(r)).equals(judged))).toBe(true);
    expect(isRelayMinable(judged, before)).toBe(true);
    expect(d.height).toBe(w.proofWindowOpenHeight); // the earliest block of the proof window
    expect(txRecord(c, delivered).rejectReason).toBe('DIFFICULTY');
    // nothing was stored: no verdict, the claim still waits for a proof
    expect(c.net.app!.proofs()).toEqual([]);
    expect(await claimStatus(c, header)).toBe(ClaimProofStatus.PENDING_VALIDATION);
  });
});
