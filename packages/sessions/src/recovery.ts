/**
 * What to do with a session found on disk at start-up (protocol.md §6.2, "Restart"): the chain, not
 * the record, decides whether it was claimed.
 */
import type { SessionLifecycleHeights } from '@relayminer/protocol';
import type { SessionTreeState } from './types.js';

export type RecoveryDecision =
  | { readonly action: 'drop'; readonly note: string }
  | { readonly action: 'resume'; readonly state: 'open' | 'claimed'; readonly root?: Uint8Array; readonly note: string };

export interface RecoveryInput {
  readonly height: bigint;
  readonly windows: Pick<SessionLifecycleHeights, 'claimWindowOpenHeight' | 'claimWindowCloseHeight' | 'proofWindowCloseHeight'>;
  readonly recordState: SessionTreeState;
  readonly recordRoot: Uint8Array | undefined;
  readonly relays: bigint;
  /** The chain's claim for (session, supplier): its root, null when there is none, 'unknown' when the query failed. */
  readonly onChainClaimRoot: Uint8Array | null | 'unknown';
}

export function classifyRecoveredSession(i: RecoveryInput): RecoveryDecision {
  if (i.relays === 0n) return { action: 'drop', note: 'no relays were logged' };
  if (i.height > i.windows.proofWindowCloseHeight) return { action: 'drop', note: 'past its proof window' };
  if (i.height < i.windows.claimWindowOpenHeight) return { action: 'resume', state: 'open', note: 'still open (claim window not open yet)' };
  if (i.onChainClaimRoot === 'unknown') {
    // Without the chain's answer, trust the record: a repeated claim is an upsert, a skipped proof is slashed.
    if (i.recordState === 'claimed' || i.recordState === 'proving')
      return { action: 'resume', state: 'claimed', root: i.recordRoot, note: 'claim query failed; the record says claimed' };
    if (i.height <= i.windows.claimWindowCloseHeight) return { action: 'resume', state: 'open', note: 'claim query failed; claiming within the window' };
    return { action: 'drop', note: 'claim query failed and the claim window is closed' };
  }
  if (i.onChainClaimRoot !== null) return { action: 'resume', state: 'claimed', root: i.onChainClaimRoot, note: 'claimed on chain; proof stage next' };
  if (i.height <= i.windows.claimWindowCloseHeight) return { action: 'resume', state: 'open', note: 'not claimed yet; claiming within the window' };
  return { action: 'drop', note: 'the claim window closed without a claim on chain' };
}
