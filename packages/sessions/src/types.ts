/**
 * The values the sessions manager hands out: what happened to which session (events, for logs and
 * metrics), running totals (stats) and the narrow chain surface it needs (ChainClient fits as is).
 */
import type { Observable } from 'rxjs';
import type { ChainBlock, ChainQueryClient, PocketTxMessage, SubmitOptions, TxBatchResult } from '@relayminer/chain';
import type { SessionHeader } from '@relayminer/protocol';

/** What the manager reads from the chain: `ChainClient` satisfies it. */
export interface SessionsChain {
  readonly query: Pick<
    ChainQueryClient,
    'sharedParamsAtHeight' | 'proofParams' | 'claim' | 'relayMiningDifficultyAtHeight' | 'balance' | 'rpc'
  >;
  readonly blocks: { readonly blocks$: Observable<ChainBlock>; readonly height: bigint | undefined };
}

/** Sends one supplier's claim or proof batch; `SupplierTxClient` satisfies it. */
export interface ClaimProofSubmitter {
  submit(messages: readonly PocketTxMessage[], options: SubmitOptions): Promise<TxBatchResult>;
}

/** Where a session tree is in its life. Persisted, so a restart resumes from it. */
export type SessionTreeState =
  /** Accepting relays (before the claim window opens). */
  | 'open'
  /** Root fixed at claim window open; the claim is being submitted. */
  | 'claiming'
  /** The claim is on chain; waiting for the proof window. */
  | 'claimed'
  /** The proof is being submitted. */
  | 'proving';

/** How a session tree ended. */
export type SessionOutcome =
  /** Claimed, and the chain did not ask for a proof. */
  | 'claimed_no_proof'
  /** Claimed and proven (see the proof's validation status in the `proof_validated` event). */
  | 'proven'
  /** Not claimed: worth ≤ 2 uPOKT, or the balance does not cover proof_submission_fee + 2 uPOKT. */
  | 'unprofitable'
  /** The claim tx failed or expired, or the window closed before it could be sent. */
  | 'claim_failed'
  /** The proof tx failed or expired, or the window closed before it could be sent (the claim will be slashed). */
  | 'proof_failed';

export interface SessionRef {
  readonly supplierOperatorAddress: string;
  readonly sessionId: string;
  readonly serviceId: string;
  readonly applicationAddress: string;
  readonly sessionEndHeight: bigint;
}

export type SessionEvent =
  | ({ readonly kind: 'tree_created' } & SessionRef)
  /** One group commit of the relay log (count relays, bytes written, how long the write took). */
  | { readonly kind: 'relays_persisted'; readonly count: number; readonly bytes: number; readonly writeMs: number }
  /** Relays refused because their session no longer takes relays (claim window open or past). */
  | ({ readonly kind: 'relays_rejected'; readonly count: number; readonly reason: 'session_closed' | 'store_failed' | 'invalid_relay' } & Partial<SessionRef>)
  | ({ readonly kind: 'claim_skipped'; readonly reason: 'unprofitable' | 'insufficient_balance'; readonly claimedUpokt: bigint } & SessionRef)
  | { readonly kind: 'claims_submitted'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly sessions: readonly SessionRef[]; readonly attempt: number }
  | { readonly kind: 'claims_included'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly txHash: string; readonly height: bigint; readonly sessions: readonly SessionRef[]; readonly relays: bigint; readonly computeUnits: bigint; readonly claimedUpokt: bigint }
  | { readonly kind: 'claims_failed'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly sessions: readonly SessionRef[]; readonly reason: string; readonly final: boolean }
  | ({ readonly kind: 'proof_requirement'; readonly required: boolean; readonly reason: 'NOT_REQUIRED' | 'PROBABILISTIC' | 'THRESHOLD' } & SessionRef)
  | { readonly kind: 'proofs_submitted'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly sessions: readonly SessionRef[]; readonly attempt: number }
  | { readonly kind: 'proofs_included'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly txHash: string; readonly height: bigint; readonly sessions: readonly SessionRef[] }
  | { readonly kind: 'proofs_failed'; readonly supplierOperatorAddress: string; readonly sessionEndHeight: bigint; readonly sessions: readonly SessionRef[]; readonly reason: string; readonly final: boolean }
  /** The claim's proof_validation_status read back after the proof was included (VALID, INVALID, ...). */
  | ({ readonly kind: 'proof_validated'; readonly status: string } & SessionRef)
  | ({ readonly kind: 'session_done'; readonly outcome: SessionOutcome; readonly relays: bigint } & SessionRef)
  /** A persisted session found at start-up and what was decided for it. */
  | ({ readonly kind: 'session_recovered'; readonly state: SessionTreeState | 'dropped'; readonly relays: bigint; readonly note: string } & SessionRef)
  /** Something went wrong that no other event reports (a chain query failed and will be retried, ...). */
  | { readonly kind: 'error'; readonly message: string; readonly session?: SessionRef };

export interface SessionsStats {
  /** Session trees held now, by state. */
  readonly trees: Readonly<Record<SessionTreeState, number>>;
  readonly relaysPersisted: number;
  readonly relaysRejected: number;
  readonly claims: { readonly submitted: number; readonly included: number; readonly failed: number; readonly skipped: number };
  readonly proofs: {
    readonly required: number;
    readonly notRequired: number;
    readonly submitted: number;
    readonly included: number;
    readonly failed: number;
    readonly valid: number;
    readonly invalid: number;
  };
  /** Relays counted in included claims (root count). */
  readonly relaysClaimed: bigint;
  /** uPOKT of included claims (the chain's claimedUpokt formula). */
  readonly upoktClaimed: bigint;
  /** Finished sessions by outcome. */
  readonly sessionsDone: Readonly<Record<SessionOutcome, number>>;
}

/** A session tree as `sessions()` lists it. */
export interface SessionTreeInfo extends SessionRef {
  readonly state: SessionTreeState;
  readonly header: SessionHeader;
  readonly relays: bigint;
  readonly computeUnits: bigint;
}
