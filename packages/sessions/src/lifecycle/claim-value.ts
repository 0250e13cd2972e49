/** What a claim is worth, as the chain prices it: params and difficulty at the session start. */
import { claimedUpokt } from '@relayminer/protocol';
import type { SessionsChain } from '../types.js';
import type { SessionTree } from '../session-tree.js';
import { rootSum } from '../session-tree.js';

export interface PricingInputs {
  readonly targetHash: Uint8Array;
  readonly computeUnitsToTokensMultiplier: bigint;
  readonly computeUnitCostGranularity: bigint;
}

export async function pricingAtStart(chain: SessionsChain, tree: SessionTree): Promise<PricingInputs> {
  const start = tree.header.sessionStartBlockHeight;
  const [shared, difficulty] = await Promise.all([
    chain.query.sharedParamsAtHeight(start),
    chain.query.relayMiningDifficultyAtHeight(tree.header.serviceId, start),
  ]);
  return {
    targetHash: difficulty.targetHash,
    computeUnitsToTokensMultiplier: shared.computeUnitsToTokensMultiplier,
    computeUnitCostGranularity: shared.computeUnitCostGranularity,
  };
}

export function claimValue(root: Uint8Array, p: PricingInputs): bigint {
  return claimedUpokt(rootSum(root), p.targetHash, p.computeUnitsToTokensMultiplier, p.computeUnitCostGranularity);
}

/** proof_submission_fee + 2 uPOKT: what claiming and proving one session costs (§6.5). */
export function claimAndProofCost(proofSubmissionFee: { amount: string } | undefined): bigint {
  return BigInt(proofSubmissionFee?.amount ?? '0') + 2n;
}
