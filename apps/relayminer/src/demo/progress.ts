/** The demo's running commentary: one line per block while it runs, one per claim/proof milestone. */
import type { SessionEvent, SessionsStats } from '@relayminer/sessions';

export interface BlockProgress {
  height: number;
  /** The session relays are being signed for (undefined before the first relay, or once sending stopped). */
  session?: { id: string; endHeight: bigint };
  sent: number;
  ok: number;
  served: number;
  mined: number;
  sessions: SessionsStats;
  /** What the demo is waiting for once it stopped sending. */
  phase: 'relaying' | 'settling';
}

export function blockProgressLine(p: BlockProgress): string {
  const s = p.sessions;
  const session = p.session ? `session ${short(p.session.id)} (ends ${p.session.endHeight})` : '';
  return [
    `height ${String(p.height).padStart(3)}`,
    p.phase === 'relaying' ? session : 'waiting for claims, proofs and settlement',
    `relays sent ${p.sent} ok ${p.ok} served ${p.served} mined ${p.mined}`,
    `claims sent ${s.claims.submitted} included ${s.claims.included}`,
    `proofs sent ${s.proofs.submitted} included ${s.proofs.included} valid ${s.proofs.valid}`,
  ]
    .filter(Boolean)
    .join(' | ');
}

/** A line for the session events an operator cares about; undefined for the routine ones. */
export function sessionEventLine(e: SessionEvent): string | undefined {
  switch (e.kind) {
    case 'claims_included':
      return `  claim included at height ${e.height}: ${e.sessions.map((s) => short(s.sessionId)).join(', ')} (${e.relays} relays, ${e.computeUnits} compute units, ${e.claimedUpokt} uPOKT)`;
    case 'claims_failed':
      return `  claim ${e.final ? 'FAILED' : 'failed, retrying'} for session end ${e.sessionEndHeight}: ${e.reason}`;
    case 'proof_requirement':
      return e.required ? `  proof required for ${short(e.sessionId)} (${e.reason.toLowerCase()})` : undefined;
    case 'proofs_included':
      return `  proof included at height ${e.height}: ${e.sessions.map((s) => short(s.sessionId)).join(', ')}`;
    case 'proofs_failed':
      return `  proof ${e.final ? 'FAILED' : 'failed, retrying'} for session end ${e.sessionEndHeight}: ${e.reason}`;
    case 'proof_validated':
      return `  proof of ${short(e.sessionId)} checked by the chain: ${e.status}`;
    case 'claim_skipped':
      return `  claim skipped for ${short(e.sessionId)}: ${e.reason}`;
    case 'relays_rejected':
      return `  ${e.count} relays refused by the session store (${e.reason})`;
    case 'error':
      return `  sessions: ${e.message}`;
    default:
      return undefined;
  }
}

export const short = (sessionId: string): string => sessionId.slice(0, 10);
