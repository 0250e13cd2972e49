/** Deadlines and exponential backoff shared by the query, block and tx layers. */
import { ChainError, ChainRpcError, ChainTimeoutError } from './errors.js';

export interface RetryPolicy {
  readonly attempts: number;
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * Races `work` against a timer. The losing promise is left to settle on its own (fetch calls carry their
 * own AbortSignal deadline too), but its rejection is swallowed so it cannot surface as unhandled.
 */
export function withTimeout<T>(operation: string, timeoutMs: number, work: Promise<T>): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChainTimeoutError(operation, timeoutMs)), timeoutMs);
  });
  work.catch(() => undefined);
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** Delay before retry number `attempt` (1-based): initial · 2^(attempt−1), capped. */
export function backoffDelay(policy: Pick<RetryPolicy, 'initialDelayMs' | 'maxDelayMs'>, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * Only failures to get an answer are retried. An answer from the chain (non-zero ABCI code, a decode
 * problem) is deterministic for the same request and height, so repeating it would only add latency.
 */
export function isTransient(error: unknown): boolean {
  if (error instanceof ChainTimeoutError) return true;
  if (error instanceof ChainRpcError) return error.rpcCode === undefined || error.rpcCode === -32603;
  return !(error instanceof ChainError);
}

export async function retrying<T>(policy: RetryPolicy, attempt: (n: number) => Promise<T>, signal?: AbortSignal): Promise<T> {
  let lastError: unknown;
  for (let n = 1; n <= policy.attempts; n++) {
    try {
      return await attempt(n);
    } catch (error) {
      lastError = error;
      if (!isTransient(error) || n === policy.attempts || signal?.aborted) throw error;
      await sleep(backoffDelay(policy, n), signal);
    }
  }
  throw lastError;
}
