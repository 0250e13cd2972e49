/**
 * The demo's verdict comes from the chain, not from the relay miner's own counters: each session's
 * claim (its root's count is the number of relays claimed), whether a proof was required, and how the
 * chain judged the proof. Read from the localnet's inspection log, which keeps settled claims too.
 */
import type { ClaimRecord } from '@relayminer/localnet';

export type ProofVerdict = 'VALID' | 'INVALID' | 'MISSING' | 'PENDING' | 'NOT_REQUIRED';

export interface ClaimedSession {
  sessionId: string;
  sessionEndHeight: bigint;
  /** Relays counted in the claim (root count). */
  relays: bigint;
  /** Compute units counted in the claim (root sum). */
  computeUnits: bigint;
  proofRequired: boolean;
  proof: ProofVerdict;
  /** Settlement outcome once the proof window closed. */
  settlement?: string;
}

export interface ChainTally {
  sessions: ClaimedSession[];
  claimedRelays: bigint;
  proofsRequired: number;
  proofsValid: number;
}

/** An SMST root is digest(32) ‖ sum(8, BE) ‖ count(8, BE). */
export function rootSumAndCount(root: Uint8Array): { sum: bigint; count: bigint } {
  if (root.length !== 48) return { sum: 0n, count: 0n };
  const view = new DataView(root.buffer, root.byteOffset, root.byteLength);
  return { sum: view.getBigUint64(32), count: view.getBigUint64(40) };
}

export function tallyClaims(claims: readonly ClaimRecord[], supplierOperatorAddress: string): ChainTally {
  const sessions = claims
    .filter((c) => c.supplierOperatorAddress === supplierOperatorAddress)
    .map((c): ClaimedSession => {
      const { sum, count } = rootSumAndCount(c.rootHash);
      return {
        sessionId: c.sessionHeader.sessionId,
        sessionEndHeight: c.sessionHeader.sessionEndBlockHeight,
        relays: count,
        computeUnits: sum,
        proofRequired: proofWasRequired(c),
        proof: proofVerdict(c),
        settlement: c.settlement,
      };
    })
    .sort((a, b) => (a.sessionEndHeight < b.sessionEndHeight ? -1 : a.sessionEndHeight > b.sessionEndHeight ? 1 : 0));
  return {
    sessions,
    claimedRelays: sessions.reduce((n, s) => n + s.relays, 0n),
    proofsRequired: sessions.filter((s) => s.proofRequired).length,
    proofsValid: sessions.filter((s) => s.proofRequired && s.proof === 'VALID').length,
  };
}

/**
 * The chain marks a claim as needing a proof when a proof arrives; a claim that never got one shows it
 * at settlement (expired for a missing proof). Unsettled and unproven, the answer is not known yet.
 */
function proofWasRequired(c: ClaimRecord): boolean {
  return c.proofRequired === true || c.settlement === 'EXPIRED_PROOF_MISSING' || c.settlement === 'EXPIRED_PROOF_INVALID';
}

function proofVerdict(c: ClaimRecord): ProofVerdict {
  if (!proofWasRequired(c)) return c.settlement === 'SETTLED' ? 'NOT_REQUIRED' : 'PENDING';
  if (c.status === 'VALIDATED') return 'VALID';
  if (c.status === 'INVALID') return 'INVALID';
  return c.settlement === 'EXPIRED_PROOF_MISSING' ? 'MISSING' : 'PENDING';
}
