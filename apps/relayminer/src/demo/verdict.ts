/**
 * What the demo proves, in one line a script can parse, and the reasons when it did not: every relay
 * the miner mined is counted in a claim on chain, every proof the chain asked for is VALID, and enough
 * sessions went all the way through.
 */
export interface DemoNumbers {
  /** Relays answered with a verified supplier signature. */
  served: number;
  /** Relays the miner emitted as mined. */
  mined: number;
  /** Relays counted in on-chain claims (root counts). */
  claimed: number;
  proofsRequired: number;
  proofsValid: number;
  /** mined − claimed. */
  lost: number;
  /** Sessions with a claim on chain. */
  sessionsClaimed: number;
}

export function summaryLine(n: DemoNumbers): string {
  return `summary: served=${n.served} mined=${n.mined} claimed=${n.claimed} proofs_required=${n.proofsRequired} proofs_valid=${n.proofsValid} lost=${n.lost}`;
}

/** Why the run does not count as a success (empty when it does). */
export function demoFailures(n: DemoNumbers, wantSessions: number): string[] {
  const reasons: string[] = [];
  if (n.mined === 0) reasons.push('no relay was mined');
  if (n.claimed !== n.mined) {
    reasons.push(
      n.claimed < n.mined
        ? `${n.mined - n.claimed} mined relays are not counted in any claim on chain`
        : `claims on chain count ${n.claimed - n.mined} more relays than were mined`,
    );
  }
  if (n.proofsValid !== n.proofsRequired) reasons.push(`${n.proofsRequired - n.proofsValid} of ${n.proofsRequired} required proofs are not VALID on chain`);
  if (n.sessionsClaimed < wantSessions) reasons.push(`only ${n.sessionsClaimed} session(s) claimed on chain, wanted at least ${wantSessions}`);
  return reasons;
}
