/**
 * Committed blocks as an ordered, gap-free, duplicate-free stream.
 *
 * The websocket subscription only tells us *that* the chain moved; every emitted block is read back over
 * HTTP (`block?height=H`) because header events carry no hash and cosmjs' header hasher is not trusted for
 * CometBFT 0.38 (chain.md §0.7). A single drain loop walks `lastEmitted+1 … target`, so a height can be
 * emitted once only, in order, and a skipped or muted event is filled in from `/block` — never replaced
 * by a later block, which would corrupt proof seeds.
 *
 * cosmjs' WebsocketClient reconnects its socket but never re-sends subscriptions, so we treat any socket
 * loss as the end of that client: it is torn down and a new one subscribes again after a backoff, and the
 * latest height from `status` is backfilled. A watchdog does the same when no block arrived for
 * `stallBlocks × blockIntervalMs`, which also covers a subscription the node dropped silently.
 */
import { Comet38Client, WebsocketClient } from '@cosmjs/tendermint-rpc';
import { toHex } from '@cosmjs/encoding';
import { ReplaySubject, Subject, type Observable } from 'rxjs';
import { BlockWatcherError, ChainClientClosedError } from '../errors.js';
import { backoffDelay, sleep } from '../retry.js';
import type { CometRpc } from '../rpc.js';

export interface ChainBlock {
  readonly height: bigint;
  readonly time: Date;
  /** `block_id.hash` as the node reports it (32 bytes on CometBFT). */
  readonly hash: Uint8Array;
  /** Upper-case hex of `hash`, as CometBFT prints it. */
  readonly hashHex: string;
}

export interface BlockWatcherOptions {
  /** Websocket base URL (without `/websocket`). */
  readonly wsUrl: string;
  /** HTTP RPC used for `status` and `block?height=H`. */
  readonly rpc: CometRpc;
  readonly blockIntervalMs: number;
  readonly stallBlocks: number;
  readonly reconnectInitialMs: number;
  readonly reconnectMaxMs: number;
  /** First height to emit. Default: the latest block at start. Earlier heights are backfilled from `/block`. */
  readonly startHeight?: bigint;
}

/** What the watcher is doing, for logs and health checks. */
export type BlockWatcherState = 'idle' | 'connecting' | 'subscribed' | 'reconnecting' | 'stopped';

// ReconnectingSocket's connection status values (cosmjs @cosmjs/socket ConnectionStatus).
const SOCKET_CONNECTED = 2;
const SOCKET_DISCONNECTED = 3;

interface SocketStatusView {
  readonly value: number;
  readonly updates: { subscribe(listener: { next: (status: number) => void }): { unsubscribe(): void } };
}

/** The parts of cosmjs' private ReconnectingSocket → QueueingStreamingSocket chain that we touch. */
interface CosmjsSocketInternals {
  readonly connectionStatus?: SocketStatusView;
  readonly socket?: { reconnect?: () => void };
}

function internalsOf(ws: WebsocketClient): CosmjsSocketInternals | undefined {
  return (ws as unknown as { socket?: CosmjsSocketInternals }).socket;
}

/**
 * WebsocketClient keeps its ReconnectingSocket private. Watching its status is the only prompt way to learn
 * the socket dropped (the subscription stream just goes silent); if cosmjs ever renames the field we lose
 * only promptness, because the stall watchdog still notices.
 */
function socketStatusOf(ws: WebsocketClient): SocketStatusView | undefined {
  const status = internalsOf(ws)?.connectionStatus;
  return status && typeof status.updates?.subscribe === 'function' ? status : undefined;
}

/**
 * cosmjs reopens a dropped socket without re-subscribing, and it also reopens it after an explicit
 * disconnect() (its status listener does not check the disconnected flag), so every replaced client would
 * leave an idle socket behind. We replace clients ourselves, so its reconnect is switched off.
 */
function disableCosmjsReconnect(ws: WebsocketClient): void {
  const inner = internalsOf(ws)?.socket;
  if (inner && typeof inner.reconnect === 'function') inner.reconnect = () => undefined;
}

interface Connection {
  readonly ws: WebsocketClient;
  readonly teardown: () => void;
}

export class BlockWatcher {
  private readonly blocksSubject = new ReplaySubject<ChainBlock>(1);
  private readonly issuesSubject = new Subject<BlockWatcherError>();
  private readonly stateSubject = new Subject<BlockWatcherState>();
  private lastEmitted: bigint | undefined;
  private target: bigint | undefined;
  private connection: Connection | undefined;
  private draining: Promise<void> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private reconnectAttempts = 0;
  private reconnectPending = false;
  private readonly abort = new AbortController();
  private currentState: BlockWatcherState = 'idle';
  private started = false;

  /** Every committed block once, in height order. Late subscribers first get the latest block. Completes on stop(). */
  readonly blocks$: Observable<ChainBlock> = this.blocksSubject.asObservable();
  /** Stalls, socket losses and backfill trouble. Informational: the watcher recovers by itself. */
  readonly issues$: Observable<BlockWatcherError> = this.issuesSubject.asObservable();
  readonly state$: Observable<BlockWatcherState> = this.stateSubject.asObservable();

  constructor(private readonly options: BlockWatcherOptions) {}

  get state(): BlockWatcherState {
    return this.currentState;
  }

  /** Height of the last emitted block. */
  get height(): bigint | undefined {
    return this.lastEmitted;
  }

  /** Connects, subscribes and emits the first block; resolves once it has been emitted. */
  async start(): Promise<ChainBlock> {
    if (this.started) throw new BlockWatcherError('subscription_error', 'start() called twice');
    this.started = true;
    const first = new Promise<ChainBlock>((resolve, reject) => {
      const sub = this.blocksSubject.subscribe({ next: (b) => (resolve(b), queueMicrotask(() => sub.unsubscribe())), complete: () => reject(new ChainClientClosedError('block watcher')) });
    });
    if (this.options.startHeight !== undefined) {
      this.lastEmitted = this.options.startHeight - 1n;
      this.raiseTarget(this.options.startHeight);
    } else {
      const latest = await this.retryUntilStopped('status', () => this.options.rpc.status());
      if (latest) {
        const h = BigInt(latest.syncInfo.latestBlockHeight);
        this.lastEmitted = h - 1n;
        this.raiseTarget(h);
      }
    }
    this.connect();
    return first;
  }

  stop(): void {
    if (this.currentState === 'stopped') return;
    this.setState('stopped');
    this.abort.abort();
    this.clearWatchdog();
    this.connection?.teardown();
    this.connection = undefined;
    this.blocksSubject.complete();
    this.issuesSubject.complete();
    this.stateSubject.complete();
  }

  /** Resolves with the block at `height` once emitted (immediately if it is the latest one). */
  waitFor(height: bigint): Promise<ChainBlock> {
    return new Promise((resolve, reject) => {
      const sub = this.blocksSubject.subscribe({
        next: (b) => {
          if (b.height >= height) {
            resolve(b);
            queueMicrotask(() => sub.unsubscribe());
          }
        },
        complete: () => reject(new ChainClientClosedError('block watcher')),
      });
    });
  }

  // ---- connection lifecycle ---------------------------------------------------------------------------

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private setState(state: BlockWatcherState): void {
    if (this.currentState === 'stopped') return;
    this.currentState = state;
    this.stateSubject.next(state);
  }

  private report(reason: BlockWatcherError['reason'], message: string, cause?: unknown): void {
    if (!this.stopped) this.issuesSubject.next(new BlockWatcherError(reason, message, cause === undefined ? undefined : { cause }));
  }

  private connect(): void {
    if (this.stopped) return;
    this.setState(this.reconnectAttempts === 0 ? 'connecting' : 'reconnecting');
    let closed = false;
    let lost = (error: unknown, reason: BlockWatcherError['reason'], message: string): void => {
      if (closed) return;
      this.report(reason, message, error);
      this.scheduleReconnect();
    };
    let ws: WebsocketClient;
    try {
      ws = new WebsocketClient(this.options.wsUrl, (error: unknown) => lost(error, 'socket_lost', `websocket error on ${this.options.wsUrl}`));
    } catch (error) {
      this.report('socket_lost', `cannot open websocket ${this.options.wsUrl}`, error);
      this.scheduleReconnect();
      return;
    }
    disableCosmjsReconnect(ws);
    const comet = Comet38Client.create(ws);
    const headers = comet.subscribeNewBlockHeader();
    const listener = {
      next: (header: { height: number }) => {
        this.reconnectAttempts = 0;
        this.armWatchdog();
        if (this.currentState !== 'subscribed') this.setState('subscribed');
        this.raiseTarget(BigInt(header.height));
      },
      error: (error: unknown) => lost(error, 'subscription_error', 'block header subscription failed'),
      complete: () => lost(undefined, 'socket_lost', 'block header subscription ended'),
    };
    headers.addListener(listener);

    let seenConnected = false;
    const statusView = socketStatusOf(ws);
    const statusSub = statusView?.updates.subscribe({
      next: (status) => {
        if (status === SOCKET_CONNECTED && !seenConnected) {
          seenConnected = true;
          // cosmjs queues the subscribe request and sends it on connect
          this.setState('subscribed');
          // Blocks committed while we were away: backfill up to the node's latest height.
          void this.catchUpFromStatus();
        } else if (status === SOCKET_DISCONNECTED && seenConnected) {
          lost(undefined, 'socket_lost', `websocket ${this.options.wsUrl} closed`);
        }
      },
    });
    if (!statusView) void this.catchUpFromStatus();

    const teardown = (): void => {
      if (closed) return;
      closed = true;
      lost = () => undefined;
      statusSub?.unsubscribe();
      try {
        headers.removeListener(listener);
      } catch {
        // the socket is already gone; nothing to unsubscribe from
      }
      try {
        ws.disconnect();
      } catch {
        // already disconnected
      }
    };
    this.connection = { ws, teardown };
    this.armWatchdog();
  }

  private scheduleReconnect(): void {
    if (this.stopped || this.reconnectPending) return;
    this.reconnectPending = true;
    this.connection?.teardown();
    this.connection = undefined;
    this.clearWatchdog();
    this.setState('reconnecting');
    const delay = backoffDelay({ initialDelayMs: this.options.reconnectInitialMs, maxDelayMs: this.options.reconnectMaxMs }, ++this.reconnectAttempts);
    void sleep(delay, this.abort.signal).then(() => {
      this.reconnectPending = false;
      this.connect();
    });
  }

  private armWatchdog(): void {
    this.clearWatchdog();
    if (this.stopped) return;
    const limit = this.options.blockIntervalMs * this.options.stallBlocks;
    this.watchdog = setTimeout(() => {
      this.report('stalled', `no block for ${limit} ms (last height ${this.lastEmitted ?? 'none'}); reconnecting`);
      this.scheduleReconnect();
    }, limit);
    this.watchdog.unref?.();
  }

  private clearWatchdog(): void {
    if (this.watchdog) clearTimeout(this.watchdog);
    this.watchdog = undefined;
  }

  // ---- ordered emission -------------------------------------------------------------------------------

  private async catchUpFromStatus(): Promise<void> {
    try {
      const status = await this.options.rpc.status();
      this.raiseTarget(BigInt(status.syncInfo.latestBlockHeight));
    } catch (error) {
      // Not fatal: the next header event (or the watchdog) moves us on.
      this.report('backfill_failed', 'status for backfill failed', error);
    }
  }

  private raiseTarget(height: bigint): void {
    if (this.target === undefined || height > this.target) this.target = height;
    if (!this.draining) {
      this.draining = this.drain().finally(() => {
        this.draining = undefined;
        // a raise that raced the end of the loop
        if (!this.stopped && this.target !== undefined && this.lastEmitted !== undefined && this.target > this.lastEmitted) this.raiseTarget(this.target);
      });
    }
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.target !== undefined && (this.lastEmitted === undefined || this.lastEmitted < this.target)) {
      const height = this.lastEmitted === undefined ? this.target : this.lastEmitted + 1n;
      const block = await this.retryUntilStopped(`block ${height}`, () => this.options.rpc.block(Number(height)));
      if (!block || this.stopped) return;
      if (BigInt(block.block.header.height) !== height) {
        this.report('backfill_failed', `asked for block ${height}, node answered ${block.block.header.height}`);
        await sleep(this.options.reconnectInitialMs, this.abort.signal);
        continue;
      }
      this.lastEmitted = height;
      const hash = block.blockId.hash;
      this.blocksSubject.next({ height, time: new Date(block.block.header.time.getTime()), hash, hashHex: toHex(hash).toUpperCase() });
    }
  }

  /** Keeps trying `run` with backoff, reporting each failure; undefined once the watcher is stopped. */
  private async retryUntilStopped<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        return await run();
      } catch (error) {
        this.report('backfill_failed', `${what} failed (attempt ${attempt})`, error);
        await sleep(backoffDelay({ initialDelayMs: this.options.reconnectInitialMs, maxDelayMs: this.options.reconnectMaxMs }, attempt), this.abort.signal);
      }
    }
    return undefined;
  }
}
