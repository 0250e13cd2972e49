/**
 * Whether the relay miner should receive traffic: a load balancer or orchestrator asks `/readyz`.
 * Ready means the relay servers are listening and the chain client saw a block recently — without
 * fresh blocks, sessions cannot be validated, windows are missed and claims would go stale.
 */

export interface ReadinessInputs {
  /** Relay servers are bound and not shutting down. */
  listening(): boolean;
  /** `Date.now()` of the last block the chain client delivered; undefined before the first. */
  lastBlockAt(): number | undefined;
  /** Height of that block, for the report. */
  lastBlockHeight(): bigint | undefined;
  /** Longest gap between blocks that still counts as healthy (the block watcher's stall limit). */
  readonly maxBlockAgeMs: number;
  readonly now?: () => number;
}

export interface ReadinessReport {
  readonly ready: boolean;
  /** What is not ready, one sentence each; empty when ready. */
  readonly reasons: readonly string[];
  readonly blockHeight: string | undefined;
  readonly lastBlockAgeMs: number | undefined;
}

export function checkReadiness(inputs: ReadinessInputs): ReadinessReport {
  const now = (inputs.now ?? Date.now)();
  const reasons: string[] = [];
  if (!inputs.listening()) reasons.push('relay servers are not listening');
  const at = inputs.lastBlockAt();
  const age = at === undefined ? undefined : Math.max(0, now - at);
  if (age === undefined) reasons.push('no block seen yet');
  else if (age > inputs.maxBlockAgeMs) reasons.push(`no block for ${Math.round(age / 1000)} s (limit ${Math.round(inputs.maxBlockAgeMs / 1000)} s)`);
  return { ready: reasons.length === 0, reasons, blockHeight: inputs.lastBlockHeight()?.toString(), lastBlockAgeMs: age };
}
