/**
 * Claim and proof transactions of one supplier operator key.
 *
 * One tx at a time per signer: the next batch waits until the previous one is included, failed or expired,
 * which keeps the local sequence simple and avoids the mempool-vs-committed sequence race (chain.md §4.7).
 * The local sequence is max(local next, committed) and is re-synchronised from the chain's own "expected N"
 * when CheckTx or Simulate reports a mismatch (someone else used the key, or a tx vanished).
 *
 * Inclusion is learned by asking `tx?hash` on each new block, which needs no subscription per signer and
 * survives websocket loss; identical bytes are rebroadcast (at most `max_rebroadcasts` times, spread over the
 * window) while the tx is unseen, and once block `timeout_height + 1` exists without it, the result is
 * `expired` — the chain can no longer include it.
 */
import { SimulateRequest, SimulateResponse } from 'cosmjs-types/cosmos/tx/v1beta1/service';
import { Subject, concatMap, filter, from, type Observable, type Subscription } from 'rxjs';
import type { ResolvedChainClientConfig } from '../config.js';
import type { ChainBlock } from '../blocks/block-watcher.js';
import { AbciQuerier } from '../query/abci.js';
import type { ChainQueryClient } from '../query/query-client.js';
import { ChainClientClosedError, ChainError, ChainQueryError, TxBuildError } from '../errors.js';
import { retrying, type RetryPolicy } from '../retry.js';
import { isTxAlreadyInCache, isTxNotFound, type CometRpc } from '../rpc.js';
import { adjustedGasLimit, feeFor } from './fees.js';
import { parseSequenceMismatch } from './sequence.js';
import { encodeBody, packMessages, simulationTxBytes, txHashHex, validateMessages, type PocketTxMessage, type TxSigner } from './tx-builder.js';

export const SIMULATE_PATH = '/cosmos.tx.v1beta1.Service/Simulate';
/** Sequence re-syncs per batch before giving up; each one means the key is used elsewhere too. */
const MAX_SEQUENCE_RESYNCS = 4;

export type TxOutcome =
  | { readonly status: 'included'; readonly txHash: string; readonly height: bigint; readonly gasUsed: bigint; readonly gasWanted: bigint }
  | {
      readonly status: 'failed';
      /** Where the chain said no: Simulate (message execution), CheckTx (ante) or in the block (DeliverTx). */
      readonly stage: 'simulate' | 'check_tx' | 'deliver';
      readonly code: number;
      readonly codespace: string;
      readonly log: string;
      readonly txHash?: string;
      readonly height?: bigint;
    }
  | { readonly status: 'expired'; readonly txHash?: string; readonly timeoutHeight: bigint; readonly rebroadcasts: number };

export interface TxMessageResult {
  readonly typeUrl: string;
  readonly sessionId: string;
  /** A tx is atomic: every message of a batch shares its tx's outcome. */
  readonly outcome: TxOutcome;
}

export interface TxBatchResult {
  readonly txHash?: string;
  readonly outcome: TxOutcome;
  readonly messages: readonly TxMessageResult[];
}

export interface SubmitOptions {
  /** Last height at which the chain may include the tx: the claim or proof window close. */
  readonly timeoutHeight: bigint;
}

export type TxLifecycleEvent =
  | { readonly kind: 'broadcast'; readonly txHash: string; readonly sequence: bigint; readonly gasLimit: bigint; readonly height: bigint }
  | { readonly kind: 'rebroadcast'; readonly txHash: string; readonly height: bigint; readonly accepted: boolean }
  | { readonly kind: 'sequence_resync'; readonly stage: 'simulate' | 'check_tx'; readonly expected: bigint | undefined; readonly got: bigint | undefined }
  | { readonly kind: 'broadcast_unconfirmed'; readonly txHash: string; readonly reason: string }
  | { readonly kind: 'settled'; readonly txHash?: string; readonly outcome: TxOutcome };

export interface SupplierTxClientOptions {
  readonly signer: TxSigner;
  readonly config: ResolvedChainClientConfig;
  /** The tx node (`tx_node_rpc_url`): broadcast, `tx` lookups and Simulate go here, where the mempool is. */
  readonly txRpc: CometRpc;
  /** Committed-state reads (account number and sequence). */
  readonly query: ChainQueryClient;
  /** Committed blocks in order (BlockWatcher.blocks$). Drives confirmation, rebroadcast and expiry. */
  readonly blocks$: Observable<ChainBlock>;
}

interface Broadcasted {
  readonly txBytes: Uint8Array;
  readonly txHash: string;
  readonly submitHeight: bigint;
  readonly timeoutHeight: bigint;
}

/** Heights strictly inside (submit, timeout) at which to resend, evenly spread; none in the last block. */
export function rebroadcastHeights(submitHeight: bigint, timeoutHeight: bigint, count: number): bigint[] {
  const span = timeoutHeight - submitHeight;
  const heights = new Set<bigint>();
  for (let i = 1; i <= count; i++) {
    const h = submitHeight + (span * BigInt(i)) / BigInt(count + 1);
    if (h > submitHeight && h < timeoutHeight) heights.add(h);
  }
  return [...heights].sort((a, b) => (a < b ? -1 : 1));
}

export class SupplierTxClient {
  private readonly simulator: AbciQuerier;
  private readonly broadcastPolicy: RetryPolicy;
  private readonly eventsSubject = new Subject<TxLifecycleEvent>();
  private readonly heightSub: Subscription;
  private latest: bigint | undefined;
  private nextSequence: bigint | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  private readonly abort = new AbortController();

  /** Broadcasts, rebroadcasts, sequence re-syncs and settlements, for logs and metrics. */
  readonly events$: Observable<TxLifecycleEvent> = this.eventsSubject.asObservable();

  constructor(private readonly options: SupplierTxClientOptions) {
    const c = options.config;
    this.broadcastPolicy = { attempts: c.queryMaxAttempts, initialDelayMs: c.queryBackoffInitialMs, maxDelayMs: c.queryBackoffMaxMs };
    this.simulator = new AbciQuerier(options.txRpc, this.broadcastPolicy);
    this.heightSub = options.blocks$.subscribe((b) => {
      if (this.latest === undefined || b.height > this.latest) this.latest = b.height;
    });
  }

  get address(): string {
    return this.options.signer.address;
  }

  /**
   * Sends `messages` in one tx and resolves with its outcome once the chain decided (or can no longer).
   * Chain refusals are outcomes, not throws. Throws are local problems (TxBuildError), a node unreachable
   * after retries (ChainRpcError / ChainTimeoutError) or close() (ChainClientClosedError).
   */
  submit(messages: readonly PocketTxMessage[], options: SubmitOptions): Promise<TxBatchResult> {
    const run = this.tail.then(() => this.execute(messages, options));
    this.tail = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.abort.abort();
    this.heightSub.unsubscribe();
    this.eventsSubject.complete();
  }

  // ---- one batch --------------------------------------------------------------------------------------

  private async execute(messages: readonly PocketTxMessage[], { timeoutHeight }: SubmitOptions): Promise<TxBatchResult> {
    this.assertOpen();
    validateMessages(messages, this.address);
    const bodyBytes = encodeBody(packMessages(messages), timeoutHeight);
    const finish = (outcome: TxOutcome): TxBatchResult => {
      this.eventsSubject.next({ kind: 'settled', txHash: 'txHash' in outcome ? outcome.txHash : undefined, outcome });
      return {
        txHash: 'txHash' in outcome ? outcome.txHash : undefined,
        outcome,
        messages: messages.map((m) => ({ typeUrl: m.typeUrl, sessionId: m.value.sessionHeader?.sessionId ?? '', outcome })),
      };
    };

    const height = await this.currentHeight();
    // CheckTx runs at latest+1 and refuses a tx whose timeout height is below that.
    if (height >= timeoutHeight) return finish({ status: 'expired', timeoutHeight, rebroadcasts: 0 });

    for (let resync = 0; ; resync++) {
      this.assertOpen();
      const account = await this.options.query.account(this.address, { fresh: true });
      if (!account) throw new TxBuildError(`account ${this.address} does not exist on chain; fund it first`);
      const sequence = this.nextSequence !== undefined && this.nextSequence > account.sequence ? this.nextSequence : account.sequence;

      let gasLimit = this.options.config.gasLimit;
      if (gasLimit === undefined) {
        const simulated = await this.simulate(bodyBytes, sequence);
        if (simulated.kind === 'mismatch') {
          if (resync >= MAX_SEQUENCE_RESYNCS) return finish(simulated.failure);
          this.resync('simulate', simulated.expected, simulated.got);
          continue;
        }
        if (simulated.kind === 'failed') return finish(simulated.failure);
        gasLimit = adjustedGasLimit(simulated.gasUsed, this.options.config.gasAdjustment);
      }

      const txBytes = await this.options.signer.sign({
        bodyBytes,
        sequence,
        accountNumber: account.accountNumber,
        chainId: this.options.config.chainId,
        gasLimit,
        fee: feeFor(gasLimit, this.options.config.gasPrice, this.options.config.fixedFee),
      });
      const txHash = txHashHex(txBytes);
      const check = await this.broadcast(txBytes, txHash);
      if (check.kind === 'rejected') {
        const mismatch = parseSequenceMismatch(check.code, check.codespace, check.log);
        if (mismatch && resync < MAX_SEQUENCE_RESYNCS) {
          this.resync('check_tx', mismatch.expected, mismatch.got);
          continue;
        }
        return finish({ status: 'failed', stage: 'check_tx', code: check.code, codespace: check.codespace, log: check.log, txHash });
      }
      this.nextSequence = sequence + 1n;
      this.eventsSubject.next({ kind: 'broadcast', txHash, sequence, gasLimit, height: this.latest ?? height });
      const outcome = await this.awaitOutcome({ txBytes, txHash, submitHeight: this.latest ?? height, timeoutHeight });
      // An expired tx never consumed its sequence; forget ours and trust the chain next time.
      if (outcome.status === 'expired') this.nextSequence = undefined;
      return finish(outcome);
    }
  }

  private resync(stage: 'simulate' | 'check_tx', expected: bigint | undefined, got: bigint | undefined): void {
    // With the chain's expected value we can jump straight to it; without, the next loop re-reads the account.
    this.nextSequence = expected;
    this.eventsSubject.next({ kind: 'sequence_resync', stage, expected, got });
  }

  private async simulate(
    bodyBytes: Uint8Array,
    sequence: bigint,
  ): Promise<
    | { kind: 'ok'; gasUsed: bigint }
    | { kind: 'mismatch'; expected: bigint | undefined; got: bigint | undefined; failure: TxOutcome }
    | { kind: 'failed'; failure: TxOutcome }
  > {
    const txBytes = simulationTxBytes(bodyBytes, this.options.signer.pubkey, sequence);
    let raw: Uint8Array;
    try {
      raw = await this.simulator.raw(SIMULATE_PATH, SimulateRequest.encode(SimulateRequest.fromPartial({ txBytes })).finish());
    } catch (error) {
      if (!(error instanceof ChainQueryError)) throw error;
      const failure: TxOutcome = { status: 'failed', stage: 'simulate', code: error.abciCode, codespace: error.codespace, log: error.log };
      const mismatch = parseSequenceMismatch(error.abciCode, error.codespace, error.log);
      return mismatch ? { kind: 'mismatch', ...mismatch, failure } : { kind: 'failed', failure };
    }
    const gasUsed = SimulateResponse.decode(raw).gasInfo?.gasUsed;
    if (gasUsed === undefined) throw new TxBuildError('Simulate returned no gas info');
    return { kind: 'ok', gasUsed };
  }

  /**
   * broadcast_tx_sync with retries on transport errors. "Already in cache" means an earlier attempt got
   * through. If every attempt failed to get an answer we cannot know whether the node took the tx, so it is
   * treated as accepted: the block loop will find it, rebroadcast it, or report it expired.
   */
  private async broadcast(
    txBytes: Uint8Array,
    txHash: string,
  ): Promise<{ kind: 'accepted' } | { kind: 'rejected'; code: number; codespace: string; log: string }> {
    try {
      const res = await retrying(this.broadcastPolicy, async () => {
        try {
          return await this.options.txRpc.broadcastTxSync(txBytes);
        } catch (error) {
          if (isTxAlreadyInCache(error)) return undefined;
          throw error;
        }
      }, this.abort.signal);
      if (res && res.code !== 0) return { kind: 'rejected', code: res.code, codespace: res.codespace ?? '', log: res.log ?? '' };
      return { kind: 'accepted' };
    } catch (error) {
      if (!(error instanceof ChainError)) throw error;
      this.eventsSubject.next({ kind: 'broadcast_unconfirmed', txHash, reason: error.message });
      return { kind: 'accepted' };
    }
  }

  private awaitOutcome(tx: Broadcasted): Promise<TxOutcome> {
    const pending = rebroadcastHeights(tx.submitHeight, tx.timeoutHeight, this.options.config.maxRebroadcasts);
    let rebroadcasts = 0;
    const atBlock = async (block: ChainBlock): Promise<TxOutcome | undefined> => {
      const found = await this.lookup(tx.txHash);
      if (found) return found;
      if (block.height > tx.timeoutHeight) return { status: 'expired', txHash: tx.txHash, timeoutHeight: tx.timeoutHeight, rebroadcasts };
      if (pending.length > 0 && block.height >= pending[0]!) {
        while (pending.length > 0 && block.height >= pending[0]!) pending.shift();
        rebroadcasts++;
        const accepted = await this.rebroadcast(tx.txBytes);
        this.eventsSubject.next({ kind: 'rebroadcast', txHash: tx.txHash, height: block.height, accepted });
      }
      return undefined;
    };
    return new Promise<TxOutcome>((resolve, reject) => {
      const onAbort = (): void => {
        sub.unsubscribe();
        reject(new ChainClientClosedError('tx client'));
      };
      const sub = this.options.blocks$
        .pipe(
          filter((b) => b.height > tx.submitHeight),
          concatMap((b) => from(atBlock(b))),
          filter((o): o is TxOutcome => o !== undefined),
        )
        .subscribe({
          next: (outcome) => {
            this.abort.signal.removeEventListener('abort', onAbort);
            sub.unsubscribe();
            resolve(outcome);
          },
          error: (error: unknown) => {
            this.abort.signal.removeEventListener('abort', onAbort);
            reject(error);
          },
          complete: () => onAbort(),
        });
      this.abort.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  /** The tx's result if indexed; undefined when unknown or the lookup failed (retried next block). */
  private async lookup(txHash: string): Promise<TxOutcome | undefined> {
    let res;
    try {
      res = await this.options.txRpc.tx(hexToBytes(txHash));
    } catch (error) {
      if (isTxNotFound(error) || error instanceof ChainError) return undefined;
      throw error;
    }
    const height = BigInt(res.height);
    const r = res.result;
    if (r.code === 0) return { status: 'included', txHash, height, gasUsed: BigInt(r.gasUsed), gasWanted: BigInt(r.gasWanted) };
    return { status: 'failed', stage: 'deliver', code: r.code, codespace: r.codespace ?? '', log: r.log ?? '', txHash, height };
  }

  private async rebroadcast(txBytes: Uint8Array): Promise<boolean> {
    try {
      const res = await this.options.txRpc.broadcastTxSync(txBytes);
      return res.code === 0;
    } catch (error) {
      if (isTxAlreadyInCache(error)) return true;
      if (error instanceof ChainError) return false;
      throw error;
    }
  }

  private async currentHeight(): Promise<bigint> {
    if (this.latest !== undefined) return this.latest;
    return new Promise<bigint>((resolve, reject) => {
      const sub = this.options.blocks$.subscribe({
        next: (b) => {
          resolve(b.height);
          queueMicrotask(() => sub.unsubscribe());
        },
        complete: () => reject(new ChainClientClosedError('block stream')),
      });
    });
  }

  private assertOpen(): void {
    if (this.abort.signal.aborted) throw new ChainClientClosedError('tx client');
  }
}

function hexToBytes(hex: string): Uint8Array {
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}
