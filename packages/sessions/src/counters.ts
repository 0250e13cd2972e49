/** Running totals behind `stats()`. */
import type { SessionOutcome, SessionsStats, SessionTreeState } from './types.js';

export class SessionCounters {
  private relaysPersisted = 0;
  private relaysRejected = 0;
  readonly claims = { submitted: 0, included: 0, failed: 0, skipped: 0 };
  readonly proofs = { required: 0, notRequired: 0, submitted: 0, included: 0, failed: 0, valid: 0, invalid: 0 };
  relaysClaimed = 0n;
  upoktClaimed = 0n;
  readonly outcomes: Record<SessionOutcome, number> = { claimed_no_proof: 0, proven: 0, unprofitable: 0, claim_failed: 0, proof_failed: 0 };

  persisted(n: number): void {
    this.relaysPersisted += n;
  }

  rejected(n: number): void {
    this.relaysRejected += n;
  }

  finished(outcome: SessionOutcome): void {
    this.outcomes[outcome]++;
  }

  snapshot(trees: Record<SessionTreeState, number>): SessionsStats {
    return {
      trees,
      relaysPersisted: this.relaysPersisted,
      relaysRejected: this.relaysRejected,
      claims: { ...this.claims },
      proofs: { ...this.proofs },
      relaysClaimed: this.relaysClaimed,
      upoktClaimed: this.upoktClaimed,
      sessionsDone: { ...this.outcomes },
    };
  }
}
