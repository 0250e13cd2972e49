/**
 * The two on-chain stages of a batch of session trees that share a supplier and a session end height
 * (one tx each, chain.md §3.1): claim at claim window open, prove at proof window open.
 */
import { claimMessage, proofMessage, type PocketTxMessage, type TxBatchResult } from '@relayminer/chain';
import {
  MsgCreateClaim,
  MsgSubmitProof,
  claimHash,
  pocket,
  proofPath,
  proofRequirement,
  proofRequirementThresholdUpokt,
} from '@relayminer/protocol';
import type { SessionTree } from '../session-tree.js';
import { rootCount, rootSum } from '../session-tree.js';
import type { SessionCounters } from '../counters.js';
import type { ClaimProofSubmitter, SessionEvent, SessionOutcome, SessionsChain } from '../types.js';
import { claimAndProofCost, claimValue, pricingAtStart } from './claim-value.js';

export interface StageContext {
  readonly chain: SessionsChain;
  readonly txClientFor: (operatorAddress: string) => ClaimProofSubmitter | Promise<ClaimProofSubmitter>;
  readonly attempts: number;
  readonly profitabilityFilter: boolean;
  readonly counters: SessionCounters;
  height(): bigint | undefined;
  closing(): boolean;
  nextBlock(): Promise<void>;
  emit(event: SessionEvent): void;
  persist(trees: readonly SessionTree[]): Promise<void>;
  finish(tree: SessionTree, outcome: SessionOutcome): Promise<void>;
}

export async function runClaimStage(ctx: StageContext, trees: SessionTree[]): Promise<void> {
  for (const t of trees) t.state = 'claiming';
  // Relays already logged for these sessions join the trie before its root is fixed.
  await Promise.all(trees.map((t) => t.idle()));
  for (const t of trees) t.flush();
  await ctx.persist(trees);

  const supplier = trees[0]!.supplierOperatorAddress;
  const values = new Map<SessionTree, bigint>();
  for (const t of trees) values.set(t, claimValue(t.root!, await pricingAtStart(ctx.chain, t)));
  const chosen = ctx.profitabilityFilter ? await profitable(ctx, trees, values) : trees;
  if (chosen.length === 0) return;

  const w = chosen[0]!.windows;
  const messages = chosen.map((t) =>
    claimMessage(MsgCreateClaim.fromPartial({ supplierOperatorAddress: supplier, sessionHeader: t.header, rootHash: t.root! })),
  );
  const result = await submitWithRetries(ctx, 'claims', chosen, messages, w.claimWindowCloseHeight);
  if (result?.outcome.status !== 'included') {
    for (const t of chosen) await ctx.finish(t, 'claim_failed');
    return;
  }
  let relays = 0n;
  let computeUnits = 0n;
  let upokt = 0n;
  for (const t of chosen) {
    t.state = 'claimed';
    relays += rootCount(t.root!);
    computeUnits += rootSum(t.root!);
    upokt += values.get(t)!;
  }
  ctx.counters.claims.included += chosen.length;
  ctx.counters.relaysClaimed += relays;
  ctx.counters.upoktClaimed += upokt;
  ctx.emit({
    kind: 'claims_included',
    supplierOperatorAddress: supplier,
    sessionEndHeight: chosen[0]!.header.sessionEndBlockHeight,
    txHash: result.outcome.txHash,
    height: result.outcome.height,
    sessions: chosen.map((t) => t.ref),
    relays,
    computeUnits,
    claimedUpokt: upokt,
  });
  await ctx.persist(chosen);
}

/** §6.5: richest claims first; each must be worth > 2 uPOKT and leave the balance able to pay its proof. */
async function profitable(ctx: StageContext, trees: SessionTree[], values: Map<SessionTree, bigint>): Promise<SessionTree[]> {
  const supplier = trees[0]!.supplierOperatorAddress;
  const [proofParams, balanceNow] = await Promise.all([ctx.chain.query.proofParams(), ctx.chain.query.balance(supplier, 'upokt', { fresh: true })]);
  const cost = claimAndProofCost(proofParams.proofSubmissionFee);
  let balance = balanceNow;
  const chosen: SessionTree[] = [];
  for (const t of [...trees].sort((a, b) => (rootSum(b.root!) > rootSum(a.root!) ? 1 : rootSum(b.root!) < rootSum(a.root!) ? -1 : 0))) {
    const value = values.get(t)!;
    if (value > 2n && balance >= cost) {
      balance -= cost;
      chosen.push(t);
      continue;
    }
    ctx.counters.claims.skipped++;
    ctx.emit({ kind: 'claim_skipped', reason: value > 2n ? 'insufficient_balance' : 'unprofitable', claimedUpokt: value, ...t.ref });
    await ctx.finish(t, 'unprofitable');
  }
  return chosen;
}

export async function runProofStage(ctx: StageContext, trees: SessionTree[]): Promise<void> {
  for (const t of trees) t.state = 'proving';
  const supplier = trees[0]!.supplierOperatorAddress;
  const w = trees[0]!.windows;
  // The seed is the block right before the proof window: never a later one (§6.2 step 4).
  const seedHash = (await ctx.chain.query.rpc.block(Number(w.proofRequirementSeedBlockHeight))).blockId.hash;
  const proofParams = await ctx.chain.query.proofParams();
  const toProve: SessionTree[] = [];
  const messages: PocketTxMessage[] = [];
  for (const t of trees) {
    const pricing = await pricingAtStart(ctx.chain, t);
    const claim = { supplierOperatorAddress: supplier, sessionHeader: t.header, rootHash: t.root!, proofValidationStatus: 0 };
    const decision = proofRequirement({
      claimHash: claimHash(claim),
      proofSeedBlockHash: seedHash,
      rootSum: rootSum(t.root!),
      targetHash: pricing.targetHash,
      computeUnitsToTokensMultiplier: pricing.computeUnitsToTokensMultiplier,
      computeUnitCostGranularity: pricing.computeUnitCostGranularity,
      proofRequirementThresholdUpokt: proofRequirementThresholdUpokt(proofParams),
      proofRequestProbability: proofParams.proofRequestProbability,
    });
    ctx.emit({ kind: 'proof_requirement', required: decision.required, reason: decision.reason, ...t.ref });
    if (!decision.required) {
      ctx.counters.proofs.notRequired++;
      await ctx.finish(t, 'claimed_no_proof');
      continue;
    }
    ctx.counters.proofs.required++;
    let proof: Uint8Array;
    try {
      proof = t.closestProof(proofPath(seedHash, t.header.sessionId));
    } catch (error) {
      ctx.emit({ kind: 'error', message: (error as Error).message, session: t.ref });
      ctx.counters.proofs.failed++;
      await ctx.finish(t, 'proof_failed');
      continue;
    }
    toProve.push(t);
    messages.push(proofMessage(MsgSubmitProof.fromPartial({ supplierOperatorAddress: supplier, sessionHeader: t.header, proof })));
  }
  if (toProve.length === 0) return;

  const result = await submitWithRetries(ctx, 'proofs', toProve, messages, w.proofWindowCloseHeight);
  if (result?.outcome.status !== 'included') {
    for (const t of toProve) await ctx.finish(t, 'proof_failed');
    return;
  }
  ctx.counters.proofs.included += toProve.length;
  ctx.emit({
    kind: 'proofs_included',
    supplierOperatorAddress: supplier,
    sessionEndHeight: toProve[0]!.header.sessionEndBlockHeight,
    txHash: result.outcome.txHash,
    height: result.outcome.height,
    sessions: toProve.map((t) => t.ref),
  });
  // The proof EndBlocker of the inclusion block has set the claim's validation status.
  for (const t of toProve) {
    const status = await ctx.chain.query.claim(t.header.sessionId, supplier).then(
      (c) => (c ? (pocket.proof.ClaimProofStatus[c.proofValidationStatus] ?? String(c.proofValidationStatus)) : 'SETTLED'),
      () => 'UNKNOWN',
    );
    if (status === 'VALIDATED') ctx.counters.proofs.valid++;
    if (status === 'INVALID') ctx.counters.proofs.invalid++;
    ctx.emit({ kind: 'proof_validated', status, ...t.ref });
    await ctx.finish(t, 'proven');
  }
}

/**
 * Submits one batch, and again (rebuilt, re-simulated) after a failure while the window is open. The
 * tx client itself rebroadcasts identical bytes while the tx is pending.
 */
async function submitWithRetries(
  ctx: StageContext,
  what: 'claims' | 'proofs',
  trees: SessionTree[],
  messages: PocketTxMessage[],
  timeoutHeight: bigint,
): Promise<TxBatchResult | undefined> {
  const supplier = trees[0]!.supplierOperatorAddress;
  const sessionEndHeight = trees[0]!.header.sessionEndBlockHeight;
  const sessions = trees.map((t) => t.ref);
  const counters = what === 'claims' ? ctx.counters.claims : ctx.counters.proofs;
  for (let attempt = 1; ; attempt++) {
    if (ctx.closing()) return undefined;
    ctx.emit({ kind: what === 'claims' ? 'claims_submitted' : 'proofs_submitted', supplierOperatorAddress: supplier, sessionEndHeight, sessions, attempt });
    counters.submitted += trees.length;
    let reason: string;
    try {
      const tx = await ctx.txClientFor(supplier);
      const result = await tx.submit(messages, { timeoutHeight });
      if (result.outcome.status === 'included') return result;
      reason = describeOutcome(result);
    } catch (error) {
      reason = (error as Error).message;
    }
    const h = ctx.height();
    const final = ctx.closing() || attempt >= ctx.attempts || (h !== undefined && h >= timeoutHeight);
    if (final) counters.failed += trees.length;
    ctx.emit({ kind: what === 'claims' ? 'claims_failed' : 'proofs_failed', supplierOperatorAddress: supplier, sessionEndHeight, sessions, reason, final });
    if (final) return undefined;
    await ctx.nextBlock();
  }
}

function describeOutcome(result: TxBatchResult): string {
  const o = result.outcome;
  if (o.status === 'failed') return `${o.stage} failed (${o.codespace || 'sdk'} ${o.code}): ${o.log}`;
  if (o.status === 'expired') return `not included by height ${o.timeoutHeight} (${o.rebroadcasts} rebroadcasts)`;
  return o.status;
}
