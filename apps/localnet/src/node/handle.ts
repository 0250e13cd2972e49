/**
 * `startLocalnet`: wires the app, the chain and the RPC server together and hands tests one object to
 * drive blocks, inspect what happened and inject faults.
 */
import type { LocalnetAppControl } from '../app/index.js';
import { fileURLToPath } from 'node:url';
import type { LocalnetApp } from '../abci.js';
import { hexUpper, sha256, utf8 } from './bytes.js';
import { Chain, type IndexedTx, type RecordedEvent, type TxRecord } from './chain.js';
import { LocalnetStoppedError, WaitTimeoutError } from './errors.js';
import type { MuteSpec } from './faults.js';
import { DEFAULT_BLOCK_INTERVAL_MS, DEFAULT_GENESIS_TIME_MS, genesisClock, toTimeMs } from './genesis-clock.js';
import { rpcMethods } from './methods.js';
import { RpcServer } from './server.js';
import type { StoredBlock } from './block.js';

/** The demo genesis shipped with the package (resolves from both src/ and dist/). */
export const DEMO_GENESIS_PATH = fileURLToPath(new URL('../../genesis/demo.yaml', import.meta.url));

export interface LocalnetOptions {
  /** Path, YAML/JSON text or an object, handed to the app's genesis loader. Defaults to the demo genesis. */
  genesis?: string | object;
  /** A ready app (tests use fakes). When given, `genesis` is only read for the clock fields. */
  app?: LocalnetApp;
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Timer interval; 0 = blocks only on demand. Defaults to the genesis `block_time_ms`, else 0. */
  blockTimeMs?: number;
  /** Virtual clock origin; defaults to the genesis `genesis_time`, else 2025-01-01T00:00:00Z. */
  genesisTime?: string | number | Date;
  /** Cap on txs per block (the rest wait, in order). Default 10 000. */
  maxTxsPerBlock?: number;
  /** How long broadcast_tx_commit waits for inclusion before erroring, like CometBFT's timeout_broadcast_tx_commit. */
  broadcastCommitTimeoutMs?: number;
}

export interface TxFilter {
  sender?: string;
  height?: number;
  hash?: string;
}

export interface WaitOptions {
  /** Give up after this many new blocks. */
  blocks?: number;
  /** Give up after this many milliseconds (default 30 s when neither is given). */
  ms?: number;
}

export interface LocalnetHandle<Control = LocalnetAppControl> {
  readonly rpcUrl: string;
  readonly wsUrl: string;
  readonly port: number;
  readonly chainId: string;
  /** Timer interval in ms; 0 when blocks come only from advance(). */
  readonly blockTimeMs: number;
  /** The app's `control` object, when it has one (state inspection and mutations live there). */
  readonly app: Control | undefined;
  /** The app itself, as the node drives it. */
  readonly abciApp: LocalnetApp;
  readonly height: number;
  readonly paused: boolean;
  stop(): Promise<void>;
  /** Produces `n` blocks now (also while the timer runs); resolves with the new height. */
  advance(n?: number): Promise<number>;
  advanceTo(height: number): Promise<number>;
  /** Produces blocks until `pred` holds (checked before the first one too), at most `maxBlocks`. */
  advanceUntil(pred: () => unknown, opts?: { maxBlocks?: number }): Promise<number>;
  pause(): void;
  resume(): void;
  /** Upper-case hex block hash, as in block_id.hash. */
  blockHash(height: number): string | undefined;
  block(height: number): StoredBlock | undefined;
  txs(filter?: TxFilter): TxRecord[];
  events(filter?: { type?: string; height?: number }): RecordedEvent[];
  /** Resolves with the first truthy value of `pred`, re-checked after every block and every 20 ms. */
  waitFor<T>(pred: () => T | Promise<T>, opts?: WaitOptions): Promise<NonNullable<T>>;
  onBlock(listener: (b: StoredBlock) => void): () => void;

  // Faults
  /** The next broadcast that passes CheckTx is acknowledged, then silently evicted. */
  dropNextBroadcast(): void;
  /** Keeps the tx out of the next `blocks` blocks: from now if it is pending, else from when it arrives. */
  delayInclusion(hash: string, blocks: number): void;
  /** The next broadcast gets this CheckTx result without reaching the app. */
  rejectNextCheckTx(code: number, log: string, codespace?: string): void;
  /** Terminates every websocket (no close frame); returns how many. */
  killWebsockets(): number;
  /** Swallows events of `kind` (all kinds if left out) at the given heights; returns an undo. */
  muteEvents(spec: MuteSpec): () => void;
  /** CometBFT's slow-subscriber cancellation for `query`; returns how many subscriptions were cancelled. */
  cancelSlowSubscriber(query: string): number;
  /** The block timer skips its next `n` ticks (heights stay consecutive; times stay virtual). */
  skipBlocks(n: number): void;
  /** The block timer produces nothing for `ms`; resolves when it resumes. */
  stall(ms: number): Promise<void>;
  /** abci_query on paths matching `pattern` answers with `code`; returns an undo. */
  failQueries(pattern: RegExp | string, code: number, log?: string): () => void;
  /** Every JSON-RPC reply (HTTP and websocket) is held back this long; 0 turns it off. */
  rpcLatency(ms: number): void;
  clearFaults(): void;
}

// Loaded lazily so tests that bring their own app never load the real one.
async function loadApp(source: string | object): Promise<{ app: LocalnetApp; genesis: unknown }> {
  const { createLocalnetApp, loadGenesis } = await import('../app/index.js');
  const genesis = loadGenesis(source);
  return { app: createLocalnetApp(genesis), genesis };
}

const WAIT_POLL_MS = 20;

function nextTick(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}

export async function startLocalnet<Control = LocalnetAppControl>(opts: LocalnetOptions = {}): Promise<LocalnetHandle<Control>> {
  let app: LocalnetApp;
  let genesis: unknown = typeof opts.genesis === 'object' ? opts.genesis : undefined;
  if (opts.app) {
    app = opts.app;
  } else {
    ({ app, genesis } = await loadApp(opts.genesis ?? DEMO_GENESIS_PATH));
  }
  const clock = genesisClock(genesis);
  const blockTimeMs = opts.blockTimeMs ?? clock.blockTimeMs ?? 0;
  const chain = new Chain(app, {
    chainId: app.chainId,
    genesisTimeMs: toTimeMs(opts.genesisTime) ?? clock.genesisTimeMs ?? DEFAULT_GENESIS_TIME_MS,
    intervalMs: blockTimeMs || clock.blockTimeMs || DEFAULT_BLOCK_INTERVAL_MS,
    maxTxsPerBlock: opts.maxTxsPerBlock ?? 10_000,
  });
  chain.produceBlock();

  const waitForTx = (hash: string, timeoutMs: number): Promise<IndexedTx | undefined> =>
    new Promise((resolve) => {
      const found = chain.findTx(hash);
      if (found) return resolve(found);
      const timer = setTimeout(() => {
        off();
        resolve(undefined);
      }, timeoutMs);
      const off = chain.onBlock(() => {
        const t = chain.findTx(hash);
        if (!t) return;
        clearTimeout(timer);
        off();
        resolve(t);
      });
    });

  const server: RpcServer = new RpcServer(
    chain,
    rpcMethods({
      chain,
      app,
      nodeId: Buffer.from(sha256(utf8(`localnet node ${app.chainId}`)).slice(0, 20)).toString('hex'),
      rpcAddress: (): string => `tcp://127.0.0.1:${server.port}`,
      waitForTx,
      broadcastCommitTimeoutMs: opts.broadcastCommitTimeoutMs ?? 10_000,
    }),
  );
  const port = await server.listen(opts.port ?? 0);

  let stopped = false;
  let paused = false;
  let skipTicks = 0;
  let stalledUntil = 0;
  const ensureRunning = (): void => {
    if (stopped) throw new LocalnetStoppedError();
  };

  const tick = (): void => {
    if (stopped || paused || Date.now() < stalledUntil) return;
    if (skipTicks > 0) {
      skipTicks--;
      return;
    }
    try {
      chain.produceBlock();
    } catch (err) {
      // A throwing app would leave the chain half-way through a block; stop the timer rather than limp on.
      paused = true;
      console.error('localnet: block production failed, timer paused:', err);
    }
  };
  const timer = blockTimeMs > 0 ? setInterval(tick, blockTimeMs) : undefined;

  const produce = async (n: number): Promise<number> => {
    ensureRunning();
    for (let i = 0; i < n; i++) chain.produceBlock();
    await nextTick();
    return chain.height;
  };

  const control = (app as { control?: Control }).control;

  const handle: LocalnetHandle<Control> = {
    rpcUrl: `http://127.0.0.1:${port}`,
    wsUrl: `ws://127.0.0.1:${port}`,
    port,
    chainId: app.chainId,
    blockTimeMs,
    app: control,
    abciApp: app,
    get height() {
      return chain.height;
    },
    get paused() {
      return paused;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer) clearInterval(timer);
      await server.close();
    },
    advance: (n = 1) => produce(n),
    advanceTo: (h) => produce(Math.max(0, h - chain.height)),
    async advanceUntil(pred, o = {}) {
      const max = o.maxBlocks ?? 1000;
      for (let i = 0; ; i++) {
        if (await pred()) return chain.height;
        if (i >= max) throw new WaitTimeoutError(`advanceUntil: predicate still false after ${max} blocks`);
        await produce(1);
      }
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
    },
    blockHash: (h) => {
      const b = chain.block(h);
      return b ? hexUpper(b.id.hash) : undefined;
    },
    block: (h) => chain.block(h),
    txs(filter = {}) {
      return chain.txRecords().filter(
        (r) =>
          (filter.sender === undefined || r.senders.includes(filter.sender)) &&
          (filter.height === undefined || r.height === filter.height) &&
          (filter.hash === undefined || r.hash === filter.hash.toUpperCase()),
      );
    },
    events(filter = {}) {
      return chain
        .recordedEvents()
        .filter((e) => (filter.type === undefined || e.type === filter.type) && (filter.height === undefined || e.height === filter.height));
    },
    waitFor<T>(pred: () => T | Promise<T>, o: WaitOptions = {}): Promise<NonNullable<T>> {
      const ms = o.ms ?? (o.blocks === undefined ? 30_000 : undefined);
      const startHeight = chain.height;
      return new Promise<NonNullable<T>>((resolve, reject) => {
        let done = false;
        let checking = false;
        let again = false;
        const finish = (err: Error | undefined, value?: NonNullable<T>): void => {
          if (done) return;
          done = true;
          off();
          clearInterval(poll);
          if (timeout) clearTimeout(timeout);
          if (err) reject(err);
          else resolve(value as NonNullable<T>);
        };
        // Blocks can land while an async predicate is still running; those must not be skipped.
        const check = async (): Promise<void> => {
          if (done) return;
          if (checking) {
            again = true;
            return;
          }
          checking = true;
          try {
            do {
              again = false;
              const heightSeen = chain.height;
              const v = await pred();
              if (v) return finish(undefined, v as NonNullable<T>);
              if (o.blocks !== undefined && heightSeen - startHeight >= o.blocks) {
                return finish(new WaitTimeoutError(`waitFor: predicate still false after ${o.blocks} blocks`));
              }
            } while (again && !done);
          } catch (err) {
            finish(err instanceof Error ? err : new Error(String(err)));
          } finally {
            checking = false;
          }
        };
        const off = chain.onBlock(() => void check());
        // State also changes between blocks (broadcasts, app mutations), so poll as well.
        const poll = setInterval(() => void check(), WAIT_POLL_MS);
        const timeout = ms !== undefined ? setTimeout(() => finish(new WaitTimeoutError(`waitFor: predicate still false after ${ms} ms`)), ms) : undefined;
        void check();
      });
    },
    onBlock: (listener) => chain.onBlock(listener),

    dropNextBroadcast: () => chain.faults.dropNextBroadcast(),
    delayInclusion: (hash, blocks) => chain.delayInclusion(hash, blocks),
    rejectNextCheckTx: (code, log, codespace = 'sdk') => chain.faults.rejectNextCheckTx(code, log, codespace),
    killWebsockets: () => server.killWebsockets(),
    muteEvents: (spec) => chain.faults.muteEvents(spec),
    cancelSlowSubscriber: (query) => server.cancelSubscription(query),
    skipBlocks(n) {
      skipTicks += n;
    },
    stall(ms) {
      stalledUntil = Math.max(stalledUntil, Date.now() + ms);
      return new Promise((r) => setTimeout(r, Math.max(0, stalledUntil - Date.now())));
    },
    failQueries: (pattern, code, log) => chain.faults.failQueries(pattern, code, log),
    rpcLatency(ms) {
      chain.faults.latencyMs = ms;
    },
    clearFaults() {
      chain.faults.clear();
      skipTicks = 0;
      stalledUntil = 0;
    },
  };
  return handle;
}
