/** pocket.proof.ClaimProofStatus as the sessions manager reports it: the chain says VALIDATED for a proof it accepted. */
export function isValidProofStatus(status: string): boolean {
  return status === 'VALIDATED';
}
