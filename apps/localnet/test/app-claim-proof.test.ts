import { describe, expect, it } from 'vitest';
import { pocket, readU64be } from '@relayminer/protocol';
import { unmarshalSparseCompactMerkleClosestProof, marshalSparseCompactMerkleClosestProof } from '@relayminer/smst';
import {
  Chain,
  buildTx,
  claimMsg,
  closestProofBytes,
  expectedProofPath,
  keysOf,
  loadDemo,
  mineRelays,
  proofMsg,
  simulate,
  type Keys,
  type RelayOptions,
} from './app-fixtures.js';

// demo params: sessions of 4 blocks; session [1,4]: claim window [6,8], proof window [8,10], seed block 7
const CLAIM_HEIGHT = 6n;
const PROOF_HEIGHT = 8n;
const SEED_HEIGHT = 7n;
const CUPR = 100n;

interface Actors {
  chain: Chain;
  app: Keys;
  gateway: Keys;
  supplier: Keys;
  supplierAccountNumber: bigint;
}

function setup(tweak?: Parameters<typeof loadDemo>[0]): Actors {
  const genesis = loadDemo(tweak);
  const chain = new Chain(genesis);
  const supplier = keysOf(genesis, 'supplier1');
  return {
    chain,
    app: keysOf(genesis, 'app1'),
    gateway: keysOf(genesis, 'gateway1'),
    supplier,
    supplierAccountNumber: genesis.accounts.find((a) => a.address === supplier.address)!.accountNumber,
  };
}

function signedBy(a: Actors, msgs: ReturnType<typeof claimMsg>[], extra: Partial<Parameters<typeof buildTx>[2]> = {}): Uint8Array {
  return buildTx(a.supplier, msgs, { accountNumber: a.supplierAccountNumber, sequence: a.chain.sequence(a.supplier.address), ...extra });
}

/** Runs session [1,4] up to a committed claim; returns what the proof step needs. */
async function claimedSession(a: Actors, relays = 5, relayOpts: RelayOptions = {}) {
  a.chain.advanceTo(1n);
  const session = a.chain.session(a.app.address, 'anvil');
  const header = session.header!;
  const mined = await mineRelays(header, a.supplier, a.app, a.gateway, relays, CUPR, relayOpts);
  a.chain.advanceTo(CLAIM_HEIGHT - 1n);
  const [res] = a.chain.block([signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: mined.root })])]);
  expect(res!.code, res!.log).toBe(0);
  return { header, ...mined };
}

function proofTx(a: Actors, header: pocket.session.SessionHeader, proof: Uint8Array): Uint8Array {
  return signedBy(a, [proofMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, proof })]);
}

function claimStatus(a: Actors, sessionId: string) {
  return a.chain.query(
    '/pocket.proof.Query/Claim',
    pocket.proof.QueryGetClaimRequest.marshal({ sessionId, supplierOperatorAddress: a.supplier.address }),
    pocket.proof.QueryGetClaimResponse,
  ).claim!.proofValidationStatus;
}

describe('claim and proof lifecycle', () => {
  it('accepts a valid claim and proof, validates it in EndBlock and settles at the proof window close', async () => {
    const a = setup();
    const { header, trie, root } = await claimedSession(a);
    expect(readU64be(root, 40)).toBe(5n);

    const claimEvents = a.chain.lastResults[0]!.events;
    const created = claimEvents.find((e) => e.type === 'pocket.proof.EventClaimCreated')!;
    expect(created).toBeDefined();
    const attr = (k: string) => created.attributes.find((x) => x.key === k)?.value;
    expect(attr('num_relays')).toBe('"5"');
    expect(attr('num_claimed_compute_units')).toBe('"500"');
    expect(attr('supplier_operator_address')).toBe(JSON.stringify(a.supplier.address));
    expect(claimEvents.some((e) => e.type === 'message' && e.attributes.some((x) => x.key === 'action' && x.value === '/pocket.proof.MsgCreateClaim'))).toBe(true);

    // the claim is visible through Claim and AllClaims
    expect(claimStatus(a, header.sessionId)).toBe(pocket.proof.ClaimProofStatus.PENDING_VALIDATION);
    const all = a.chain.query(
      '/pocket.proof.Query/AllClaims',
      pocket.proof.QueryAllClaimsRequest.marshal({ pagination: undefined, supplierOperatorAddress: a.supplier.address }),
      pocket.proof.QueryAllClaimsResponse,
    );
    expect(all.claims.map((c) => c.sessionHeader!.sessionId)).toEqual([header.sessionId]);

    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    const proof = closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId));
    const tx = proofTx(a, header, proof);
    const sim = simulate(a.chain, tx);
    expect(sim.code, sim.log).toBe(0);
    const balanceBefore = a.chain.app.control.claims().length;
    expect(balanceBefore).toBe(1);
    const [res] = a.chain.block([tx]);
    expect(res!.code, res!.log).toBe(0);
    // Simulate predicts the delivered gas exactly
    expect(sim.response!.gasInfo!.gasUsed).toBe(res!.gasUsed);
    expect(res!.events.some((e) => e.type === 'pocket.proof.EventProofSubmitted')).toBe(true);

    const checked = a.chain.lastEvents.find((e) => e.type === 'pocket.proof.EventProofValidityChecked')!;
    expect(checked.attributes.find((x) => x.key === 'failure_reason')!.value).toBe('""');
    expect(checked.attributes.find((x) => x.key === 'claim_proof_status_int')!.value).toBe('1');
    expect(claimStatus(a, header.sessionId)).toBe(pocket.proof.ClaimProofStatus.VALIDATED);
    expect(a.chain.app.control.proofs().map((p) => p.status)).toEqual(['VALIDATED']);

    // proof window closes at 10: the claim settles and leaves the store
    a.chain.advanceTo(10n);
    expect(a.chain.lastEvents.some((e) => e.type === 'pocket.tokenomics.EventClaimSettled')).toBe(true);
    expect(a.chain.app.control.settlements().map((s) => s.outcome)).toEqual(['SETTLED']);
    const gone = a.chain.app.query(
      '/pocket.proof.Query/Claim',
      pocket.proof.QueryGetClaimRequest.marshal({ sessionId: header.sessionId, supplierOperatorAddress: a.supplier.address }),
      0n,
    );
    expect(gone.code).toBe(38);
    expect(a.chain.app.control.claims()[0]!.status).toBe('VALIDATED');
  });

  it('rejects a claim before its window opens with the chain error, keeping fee and sequence effects', async () => {
    const a = setup();
    a.chain.advanceTo(1n);
    const header = a.chain.session(a.app.address, 'anvil').header!;
    const { root } = await mineRelays(header, a.supplier, a.app, a.gateway, 2, CUPR);
    a.chain.advanceTo(4n);
    const [res] = a.chain.block([signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: root })])]);
    expect(res!.code).toBe(1);
    expect(res!.codespace).toBe('undefined');
    expect(res!.rejectReason).toBe('CLAIM_OUTSIDE_WINDOW');
    expect(res!.log).toMatch(/rpc error: code = FailedPrecondition desc = .*claim window open height \(6\).*claim window/);
    expect(a.chain.sequence(a.supplier.address)).toBe(1n);
    expect(a.chain.app.control.claims()).toHaveLength(0);
  });

  it('rejects a claim after its window closed', async () => {
    const a = setup();
    a.chain.advanceTo(1n);
    const header = a.chain.session(a.app.address, 'anvil').header!;
    const { root } = await mineRelays(header, a.supplier, a.app, a.gateway, 2, CUPR);
    a.chain.advanceTo(8n);
    const [res] = a.chain.block([signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: root })])]);
    expect(res!.rejectReason).toBe('CLAIM_OUTSIDE_WINDOW');
    expect(res!.log).toContain('greater than session claim window close height (8)');
  });

  it('rejects a claim from a supplier that is not in the session', async () => {
    const a = setup((g) => {
      g.accounts.push({ name: 'supplier2', private_key: Buffer.alloc(32, 7).toString('hex'), balance: '1000000000upokt' });
      g.services.push({ id: 'other', compute_units_per_relay: 1 });
      g.suppliers.push({ operator: 'supplier2', stake: '1000upokt', services: [{ service_id: 'other', endpoints: [{ url: 'http://x' }] }] });
    });
    const s2 = keysOf(a.chain.genesis, 'supplier2');
    a.chain.advanceTo(1n);
    const header = a.chain.session(a.app.address, 'anvil').header!;
    const { root } = await mineRelays(header, s2, a.app, a.gateway, 1, CUPR);
    a.chain.advanceTo(CLAIM_HEIGHT - 1n);
    const acct = a.chain.genesis.accounts.find((x) => x.name === 'supplier2')!;
    const [res] = a.chain.block([
      buildTx(s2, [claimMsg({ supplierOperatorAddress: s2.address, sessionHeader: header, rootHash: root })], { accountNumber: acct.accountNumber, sequence: 0n }),
    ]);
    expect(res!.rejectReason).toBe('SUPPLIER_NOT_IN_SESSION');
    expect(res!.log).toContain('InvalidArgument');
    expect(res!.log).toContain('supplier not found');
  });

  it('rejects a claim whose session id is not the on-chain one', async () => {
    const a = setup();
    a.chain.advanceTo(1n);
    const header = { ...a.chain.session(a.app.address, 'anvil').header!, sessionId: 'ab'.repeat(32) };
    const { root } = await mineRelays(header, a.supplier, a.app, a.gateway, 1, CUPR);
    a.chain.advanceTo(CLAIM_HEIGHT - 1n);
    const [res] = a.chain.block([signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: root })])]);
    expect(res!.rejectReason).toBe('SESSION_ID_MISMATCH');
  });

  it('rejects a claim whose compute units are not relays × cupr', async () => {
    const a = setup();
    a.chain.advanceTo(1n);
    const header = a.chain.session(a.app.address, 'anvil').header!;
    const { root } = await mineRelays(header, a.supplier, a.app, a.gateway, 3, CUPR + 1n);
    a.chain.advanceTo(CLAIM_HEIGHT - 1n);
    const [res] = a.chain.block([signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: root })])]);
    expect(res!.rejectReason).toBe('COMPUTE_UNITS_MISMATCH');
    expect(res!.log).toContain('(303)');
  });

  it('rejects a malformed root already in CheckTx (ValidateBasic), with the proof module error', async () => {
    const a = setup();
    a.chain.advanceTo(1n);
    const header = a.chain.session(a.app.address, 'anvil').header!;
    const zeroCount = new Uint8Array(48);
    zeroCount.set([1], 39); // sum 1, count 0
    for (const rootHash of [new Uint8Array(32), zeroCount]) {
      const res = a.chain.app.checkTx(signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash })]));
      expect(res.code).toBe(1104);
      expect(res.codespace).toBe('proof');
      expect(res.rejectReason).toBe('MALFORMED_ROOT');
    }
    // and it changes nothing: the sequence is still 0 in the check state
    const ok = a.chain.app.checkTx(signedBy(a, [claimMsg({ supplierOperatorAddress: a.supplier.address, sessionHeader: header, rootHash: (await mineRelays(header, a.supplier, a.app, a.gateway, 1, CUPR)).root })]));
    expect(ok.code, ok.log).toBe(0);
  });

  it('marks a proof for the wrong path INVALID (BAD_PATH)', async () => {
    const a = setup();
    const { header, trie } = await claimedSession(a);
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    const wrongPath = expectedProofPath(a.chain, SEED_HEIGHT - 1n, header.sessionId);
    const [res] = a.chain.block([proofTx(a, header, closestProofBytes(trie, wrongPath))]);
    expect(res!.code, res!.log).toBe(0);
    const [claim] = a.chain.app.control.claims();
    expect(claim!.status).toBe('INVALID');
    expect(claim!.failureCode).toBe('BAD_PATH');
    expect(claimStatus(a, header.sessionId)).toBe(pocket.proof.ClaimProofStatus.INVALID);
    const checked = a.chain.lastEvents.find((e) => e.type === 'pocket.proof.EventProofValidityChecked')!;
    expect(checked.attributes.find((x) => x.key === 'claim_proof_status_int')!.value).toBe('2');
    a.chain.advanceTo(10n);
    expect(a.chain.app.control.settlements().map((s) => s.outcome)).toEqual(['EXPIRED_PROOF_INVALID']);
    expect(a.chain.lastEvents.some((e) => e.type === 'pocket.tokenomics.EventSupplierSlashed')).toBe(true);
  });

  it('marks a proof with a tampered leaf INVALID (BAD_CLOSEST_PROOF)', async () => {
    const a = setup();
    const { header, trie } = await claimedSession(a);
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    const compact = unmarshalSparseCompactMerkleClosestProof(closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId)));
    const leaf = compact.closestValueHash!.slice();
    leaf[leaf.length - 9] = leaf[leaf.length - 9]! ^ 0x01; // the leaf's weight; the relay bytes stay intact
    const tampered = marshalSparseCompactMerkleClosestProof({ ...compact, closestValueHash: leaf });
    const [res] = a.chain.block([proofTx(a, header, tampered)]);
    expect(res!.code, res!.log).toBe(0);
    expect(a.chain.app.control.claims()[0]!.failureCode).toBe('BAD_CLOSEST_PROOF');
  });

  it('marks a proof whose relay carries a ring signature from outside the ring INVALID (BAD_RING_SIG)', async () => {
    const a = setup();
    const { header, trie } = await claimedSession(a, 3, { ringSignerKey: a.supplier.privateKey, ring: [a.app.publicKey, a.supplier.publicKey] });
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    a.chain.block([proofTx(a, header, closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId)))]);
    const [claim] = a.chain.app.control.claims();
    expect(claim!.failureCode).toBe('BAD_RING_SIG');
    expect(a.chain.app.control.proofs()[0]!.status).toBe('INVALID');
  });

  it('marks a proof whose relay response is signed by another key INVALID (BAD_SUPPLIER_SIG)', async () => {
    const a = setup();
    const { header, trie } = await claimedSession(a, 3, { responseKey: a.gateway.privateKey });
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    a.chain.block([proofTx(a, header, closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId)))]);
    expect(a.chain.app.control.claims()[0]!.failureCode).toBe('BAD_SUPPLIER_SIG');
  });

  it('rejects at delivery a proof whose relay misses the difficulty target', async () => {
    const a = setup();
    const hard = new Uint8Array(32);
    hard.fill(0xff, 16); // only hashes starting with 16 zero bytes would qualify
    a.chain.app.control.setDifficulty('anvil', hard);
    const { header, trie } = await claimedSession(a);
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    const [res] = a.chain.block([proofTx(a, header, closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId)))]);
    expect(res!.code).toBe(1);
    expect(res!.rejectReason).toBe('DIFFICULTY');
    expect(a.chain.app.control.proofs()).toHaveLength(0);
  });

  it('rejects a proof that is not required, and Simulate shows the full error', async () => {
    const a = setup((g) => {
      g.params.proof.proof_request_probability = 0;
    });
    const { header, trie } = await claimedSession(a);
    a.chain.advanceTo(PROOF_HEIGHT - 1n);
    const tx = proofTx(a, header, closestProofBytes(trie, expectedProofPath(a.chain, SEED_HEIGHT, header.sessionId)));
    const sim = simulate(a.chain, tx);
    expect(sim.code).toBe(6);
    expect(sim.log).toMatch(/^rpc error: code = Unknown desc = .*proof not required With gas wanted: '\d+' and gas used: '\d+' : unknown request$/);
    const [res] = a.chain.block([tx]);
    expect(res!.rejectReason).toBe('NOT_REQUIRED');
    a.chain.advanceTo(10n);
    expect(a.chain.app.control.settlements().map((s) => s.outcome)).toEqual(['SETTLED']);
  });

  it('rejects a proof outside its window', async () => {
    const a = setup();
    const { header, trie } = await claimedSession(a);
    a.chain.advanceTo(SEED_HEIGHT - 1n); // proof would land in block 7 < 8
    const [res] = a.chain.block([proofTx(a, header, closestProofBytes(trie, new Uint8Array(32)))]);
    expect(res!.rejectReason).toBe('PROOF_OUTSIDE_WINDOW');
  });
});
