/**
 * The RelayerSessionsManager: mined relays in, claims and proofs out.
 *
 * - `append` writes relays to the relay log (group commit) and only then adds them to their session's
 *   trie; the promise (and each relay's `onSettled`) resolves after both.
 * - On every block it moves sessions through the chain's windows (protocol.md §6.2): at claim window
 *   open the trees of one supplier and session end height are flushed and claimed in one tx; at proof
 *   window open the seed block decides which need a proof, and those are proven in one tx. Both are
 *   retried while their window is open. Finished sessions leave memory and disk.
 * - `open` resumes every session on disk, classified against the chain (recovery.ts).
 */
import { Subject, filter, firstValueFrom, take, type Observable, type Subscription } from 'rxjs';
import { sha256 } from '@relayminer/smst';
import { sessionLifecycleHeights, type SessionLifecycleHeights } from '@relayminer/protocol';
import type { MinedRelay } from '@relayminer/miner';
import { SessionStore, recordKey, relayEntry, relayKey, type Op } from './store/session-store.js';
import { decodeSessionRecord, encodeSessionRecord, sessionKeyOf } from './store/session-record.js';
import { SessionTree } from './session-tree.js';
import { classifyRecoveredSession } from './recovery.js';
import { RelayRejectedError } from './errors.js';
import { SessionCounters } from './counters.js';
import { runClaimStage, runProofStage, type StageContext } from './lifecycle/stages.js';
import type { SessionsManagerOptions } from './options.js';
import type { SessionEvent, SessionOutcome, SessionTreeInfo, SessionsStats, SessionTreeState } from './types.js';

export interface AppendResult {
  readonly accepted: number;
  readonly rejected: number;
}

const REPLAY_CHUNK = 2048;

export class RelayerSessionsManager {
  private readonly trees = new Map<string, SessionTree>();
  private readonly windowsByEnd = new Map<bigint, Promise<SessionLifecycleHeights>>();
  private readonly busy = new Set<string>();
  /** Appends and removals in flight: close() waits for them, not for claim or proof stages (see close()). */
  private readonly pending = new Set<Promise<unknown>>();
  private readonly collectors = new Set<() => void>();
  private readonly eventsSubject = new Subject<SessionEvent>();
  private readonly counters = new SessionCounters();
  private blockSub: Subscription | undefined;
  private height: bigint | undefined;
  private closing = false;
  /** What recovery found, told to subscribers when `start()` is called (nobody can listen inside `open`). */
  private recoveryEvents: SessionEvent[] | undefined = [];

  /** What happens to sessions, claims and proofs: for logs and metrics. */
  readonly events$: Observable<SessionEvent> = this.eventsSubject.asObservable();

  private constructor(
    private readonly options: SessionsManagerOptions,
    private readonly store: SessionStore,
  ) {}

  /** Opens (or creates) the store and resumes every persisted session (see recovery.ts). */
  static async open(options: SessionsManagerOptions): Promise<RelayerSessionsManager> {
    let manager: RelayerSessionsManager | undefined;
    const store = await SessionStore.open(options.storePath, {
      fsync: options.fsync ?? false,
      maxGroupOps: options.maxGroupCommit ?? 4096,
      onWrite: (w) => w.relays > 0 && manager?.emit({ kind: 'relays_persisted', count: w.relays, bytes: w.bytes, writeMs: w.writeMs }),
    });
    manager = new RelayerSessionsManager(options, store);
    try {
      await manager.recover();
    } catch (error) {
      await store.close();
      throw error;
    }
    return manager;
  }

  /** Persists and inserts every mined relay of `mined$`, batching what arrives in one turn of the event loop. */
  insertRelays(mined$: Observable<MinedRelay>): Subscription {
    let batch: MinedRelay[] = [];
    let scheduled = false;
    const flushNow = (): void => {
      scheduled = false;
      if (batch.length === 0) return;
      const relays = batch;
      batch = [];
      this.track(this.append(relays).catch(() => undefined));
    };
    this.collectors.add(flushNow);
    const sub = mined$.subscribe({
      next: (relay) => {
        batch.push(relay);
        if (!scheduled) {
          scheduled = true;
          setImmediate(flushNow);
        }
      },
      error: (error: unknown) => this.emit({ kind: 'error', message: `mined relay stream failed: ${(error as Error)?.message ?? String(error)}` }),
    });
    sub.add(() => {
      flushNow();
      this.collectors.delete(flushNow);
    });
    return sub;
  }

  /**
   * Logs `relays`, then adds them to their session trees. Relays of a session whose claim window has
   * opened are refused (counted, `onSettled` gets a RelayRejectedError); nothing of a failed write
   * reaches a trie.
   */
  async append(relays: readonly MinedRelay[]): Promise<AppendResult> {
    const groups = new Map<string, MinedRelay[]>();
    const malformed = relays.filter((r) => relayProblem(r) !== undefined);
    let rejected = malformed.length ? this.reject(malformed, 'invalid_relay', `malformed mined relay: ${relayProblem(malformed[0]!)}`) : 0;
    for (const r of relays) {
      if (malformed.includes(r)) continue;
      const key = sessionKeyOf(r.supplierOperatorAddress, r.sessionHeader.sessionId);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = []));
      g.push(r);
    }
    const ops: Op[] = [];
    const accepted: Array<{ tree: SessionTree; relays: MinedRelay[]; keys: Uint8Array[]; created: boolean }> = [];
    for (const [key, group] of groups) {
      const first = group[0]!;
      let tree = this.trees.get(key);
      let created = false;
      if (!tree && !this.closing) {
        let windows: SessionLifecycleHeights;
        try {
          windows = await this.windowsOf(first.sessionHeader.sessionEndBlockHeight);
        } catch (error) {
          rejected += this.reject(group, 'store_failed', `the session's windows are unknown (${(error as Error).message})`);
          continue;
        }
        tree = this.trees.get(key);
        if (!tree && (this.height === undefined || this.height < windows.claimWindowOpenHeight)) {
          tree = new SessionTree(first.sessionHeader, first.supplierOperatorAddress, windows, this.store);
          this.trees.set(key, tree);
          created = true;
          ops.push({ type: 'put', key: recordKey(key), value: encodeSessionRecord({ supplierOperatorAddress: tree.supplierOperatorAddress, header: tree.header, state: 'open' }) });
          this.emit({ kind: 'tree_created', ...tree.ref });
        }
      }
      // A flushed tree (root fixed) takes nothing more, whatever its state says.
      if (this.closing || !tree || tree.state !== 'open' || tree.root) {
        rejected += this.reject(group, this.closing ? 'closed' : 'session_closed', `session ${first.sessionHeader.sessionId} takes no more relays`);
        continue;
      }
      tree.begin();
      const keys: Uint8Array[] = [];
      for (const r of group) {
        const path = sha256(r.smstKey);
        keys.push(r.smstKey);
        ops.push({ type: 'put', key: relayKey(key, path), value: relayEntry(r.relayBytes, r.weight) });
      }
      accepted.push({ tree, relays: group, keys, created });
    }
    if (accepted.length === 0) return { accepted: 0, rejected };
    try {
      await this.store.write(ops, accepted.reduce((n, a) => n + a.relays.length, 0));
    } catch (error) {
      for (const a of accepted) {
        a.tree.settle();
        if (a.created && a.tree.relays === 0n) this.dropTree(a.tree);
        rejected += this.reject(a.relays, 'store_failed', (error as Error).message);
      }
      return { accepted: 0, rejected };
    }
    let count = 0;
    for (const a of accepted) {
      try {
        a.tree.update(a.keys, a.relays.map((r) => r.relayBytes), a.relays.map((r) => r.weight));
        count += a.relays.length;
        for (const r of a.relays) r.onSettled?.();
      } catch (error) {
        // Logged but not in the trie: the relays are replayed from the log on the next start.
        this.emit({ kind: 'error', message: `session tree update failed: ${(error as Error).message}`, session: a.tree.ref });
        for (const r of a.relays) r.onSettled?.(error as Error);
      } finally {
        a.tree.settle();
      }
    }
    this.counters.persisted(count);
    return { accepted: count, rejected };
  }

  /** Follows the chain's blocks and runs the claim and proof stages. */
  start(): void {
    if (this.blockSub) return;
    const recovered = this.recoveryEvents ?? [];
    this.recoveryEvents = undefined;
    for (const event of recovered) this.emit(event);
    this.blockSub = this.options.chain.blocks.blocks$.subscribe((block) => this.onBlock(block.height));
  }

  stats(): SessionsStats {
    const trees: Record<SessionTreeState, number> = { open: 0, claiming: 0, claimed: 0, proving: 0 };
    for (const t of this.trees.values()) trees[t.state]++;
    return this.counters.snapshot(trees);
  }

  sessions(): SessionTreeInfo[] {
    return [...this.trees.values()].map((t) => t.info());
  }

  /**
   * Graceful stop: takes no more relays, writes everything already handed over, closes the store.
   * Claims and proofs in flight are not waited for (a tx can take many blocks): their sessions resume
   * from disk on the next start, where the chain says whether the claim or proof landed.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    for (const flush of this.collectors) flush();
    this.closing = true;
    this.blockSub?.unsubscribe();
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
    await Promise.all([...this.trees.values()].map((t) => t.idle()));
    await this.store.close();
    for (const t of this.trees.values()) t.dispose();
    this.trees.clear();
    this.eventsSubject.complete();
  }

  // ---- blocks and stages --------------------------------------------------------------------------

  private onBlock(height: bigint): void {
    if (this.closing) return;
    this.height = height;
    const claimGroups = new Map<string, SessionTree[]>();
    const proofGroups = new Map<string, SessionTree[]>();
    for (const tree of this.trees.values()) {
      const w = tree.windows;
      const group = `${tree.supplierOperatorAddress}/${tree.header.sessionEndBlockHeight}`;
      if (this.busy.has(group)) continue;
      if (height > w.proofWindowCloseHeight) {
        this.track(this.finish(tree, tree.state === 'open' || tree.state === 'claiming' ? 'claim_failed' : 'proof_failed'));
      } else if ((tree.state === 'open' || tree.state === 'claiming') && height >= w.claimWindowOpenHeight) {
        // 'claiming' outside a running stage: the last attempt stopped on an error (a query failed); try again.
        push(claimGroups, group, tree);
      } else if ((tree.state === 'claimed' || tree.state === 'proving') && height >= w.proofWindowOpenHeight) {
        push(proofGroups, group, tree);
      }
    }
    for (const [group, trees] of claimGroups) this.runStage(group, (ctx) => runClaimStage(ctx, trees));
    for (const [group, trees] of proofGroups) this.runStage(group, (ctx) => runProofStage(ctx, trees));
    for (const [end, windows] of this.windowsByEnd) {
      void windows.then((w) => w.proofWindowCloseHeight < height && this.windowsByEnd.get(end) === windows && this.windowsByEnd.delete(end), () => this.windowsByEnd.delete(end));
    }
  }

  private runStage(group: string, stage: (ctx: StageContext) => Promise<void>): void {
    this.busy.add(group);
    const run = stage(this.stageContext()).catch((error: unknown) => {
      this.emit({ kind: 'error', message: `session stage failed: ${(error as Error)?.message ?? String(error)}` });
    });
    void run.finally(() => this.busy.delete(group));
  }

  private stageContext(): StageContext {
    return {
      chain: this.options.chain,
      txClientFor: this.options.txClientFor,
      attempts: this.options.submitAttempts ?? 3,
      profitabilityFilter: this.options.profitabilityFilter ?? true,
      counters: this.counters,
      height: () => this.height,
      closing: () => this.closing,
      nextBlock: () =>
        firstValueFrom(this.options.chain.blocks.blocks$.pipe(filter((b) => this.height === undefined || b.height > this.height), take(1))).then(() => undefined),
      emit: (event) => this.emit(event),
      persist: (trees) => this.persist(trees),
      finish: (tree, outcome) => this.finish(tree, outcome),
    };
  }

  private async persist(trees: readonly SessionTree[]): Promise<void> {
    if (this.closing) return;
    await this.store.write(
      trees.map((t) => ({
        type: 'put' as const,
        key: recordKey(t.key),
        value: encodeSessionRecord({ supplierOperatorAddress: t.supplierOperatorAddress, header: t.header, state: t.state === 'proving' ? 'claimed' : t.state, root: t.root }),
      })),
    );
  }

  private async finish(tree: SessionTree, outcome: SessionOutcome): Promise<void> {
    if (this.trees.get(tree.key) !== tree) return;
    this.trees.delete(tree.key);
    const relays = tree.relays;
    tree.dispose();
    this.counters.finished(outcome);
    this.emit({ kind: 'session_done', outcome, relays, ...tree.ref });
    if (!this.closing) await this.store.forget(tree.key).catch((error: Error) => this.emit({ kind: 'error', message: `removing a finished session failed: ${error.message}`, session: tree.ref }));
  }

  private dropTree(tree: SessionTree): void {
    if (this.trees.get(tree.key) === tree) this.trees.delete(tree.key);
    tree.dispose();
  }

  // ---- recovery -----------------------------------------------------------------------------------

  private async recover(): Promise<void> {
    const records = await this.store.records();
    if (records.length === 0) return;
    const height = this.options.chain.blocks.height ?? BigInt((await this.options.chain.query.rpc.status()).syncInfo.latestBlockHeight);
    this.height = height;
    for (const [key, bytes] of records) {
      let record;
      try {
        record = decodeSessionRecord(key, bytes);
      } catch (error) {
        this.emit({ kind: 'error', message: `skipping a session record: ${(error as Error).message}` });
        continue;
      }
      const windows = await this.windowsOf(record.header.sessionEndBlockHeight);
      const tree = new SessionTree(record.header, record.supplierOperatorAddress, windows, this.store);
      try {
        await this.replay(tree);
      } catch (error) {
        // One damaged session must not keep the miner from starting; its data stays on disk for inspection.
        tree.dispose();
        this.emit({ kind: 'error', message: `session ${key} could not be rebuilt from its relay log and is skipped: ${(error as Error).message}`, session: tree.ref });
        continue;
      }
      let onChain: Uint8Array | null | 'unknown' = null;
      if (height >= windows.claimWindowOpenHeight && height <= windows.proofWindowCloseHeight && tree.relays > 0n) {
        try {
          onChain = (await this.options.chain.query.claim(record.header.sessionId, record.supplierOperatorAddress))?.rootHash ?? null;
        } catch {
          onChain = 'unknown';
        }
      }
      const decision = classifyRecoveredSession({ height, windows, recordState: record.state, recordRoot: record.root, relays: tree.relays, onChainClaimRoot: onChain });
      this.emit({ kind: 'session_recovered', state: decision.action === 'drop' ? 'dropped' : decision.state, relays: tree.relays, note: decision.note, ...tree.ref });
      if (decision.action === 'drop') {
        tree.dispose();
        await this.store.forget(key);
        continue;
      }
      if (decision.root) tree.root = decision.root;
      else if (record.root) tree.root = record.root;
      // Past claim window open it takes no relays any more: the next block claims it.
      tree.state = decision.state === 'open' && (tree.root || height >= windows.claimWindowOpenHeight) ? 'claiming' : decision.state;
      this.trees.set(key, tree);
    }
  }

  private async replay(tree: SessionTree): Promise<void> {
    let keys: Uint8Array[] = [];
    let values: Uint8Array[] = [];
    let weights: bigint[] = [];
    const flush = (): void => {
      if (keys.length) tree.update(keys, values, weights);
      keys = [];
      values = [];
      weights = [];
    };
    for await (const r of this.store.relays(tree.key)) {
      // The log holds values by path; the trie wants the key (the relay hash), which is sha256(value).
      keys.push(sha256(r.value));
      values.push(r.value);
      weights.push(r.weight);
      if (keys.length >= REPLAY_CHUNK) flush();
    }
    flush();
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private windowsOf(sessionEndHeight: bigint): Promise<SessionLifecycleHeights> {
    let w = this.windowsByEnd.get(sessionEndHeight);
    if (!w) {
      w = this.options.chain.query.sharedParamsAtHeight(sessionEndHeight).then((p) => sessionLifecycleHeights(p, sessionEndHeight));
      w.catch(() => this.windowsByEnd.delete(sessionEndHeight));
      this.windowsByEnd.set(sessionEndHeight, w);
    }
    return w;
  }

  private reject(relays: readonly MinedRelay[], reason: RelayRejectedError['reason'], message: string): number {
    const error = new RelayRejectedError(reason, message);
    for (const r of relays) r.onSettled?.(error);
    this.counters.rejected(relays.length);
    const h = reason === 'invalid_relay' ? undefined : relays[0]?.sessionHeader;
    this.emit({
      kind: 'relays_rejected',
      count: relays.length,
      reason: reason === 'store_failed' || reason === 'invalid_relay' ? reason : 'session_closed',
      ...(h && { sessionId: h.sessionId, serviceId: h.serviceId, applicationAddress: h.applicationAddress, sessionEndHeight: h.sessionEndBlockHeight, supplierOperatorAddress: relays[0]!.supplierOperatorAddress }),
    });
    return relays.length;
  }

  private track(p: Promise<unknown>): void {
    this.pending.add(p);
    void p.finally(() => this.pending.delete(p));
  }

  private emit(event: SessionEvent): void {
    if (this.recoveryEvents && (event.kind === 'session_recovered' || event.kind === 'error')) this.recoveryEvents.push(event);
    else if (!this.eventsSubject.closed) this.eventsSubject.next(event);
  }
}

/** What is wrong with a mined relay, if anything: the checks a trie update and the relay log rely on. */
function relayProblem(r: MinedRelay): string | undefined {
  if (!(r?.smstKey instanceof Uint8Array) || r.smstKey.length !== 32) return 'smstKey must be 32 bytes';
  if (!(r.relayBytes instanceof Uint8Array) || r.relayBytes.length === 0) return 'relayBytes must be non-empty bytes';
  if (typeof r.weight !== 'bigint' || r.weight < 0n || r.weight >= 1n << 64n) return 'weight must be a uint64 bigint';
  const h = r.sessionHeader;
  if (!h || typeof h.sessionId !== 'string' || h.sessionId === '' || typeof h.sessionEndBlockHeight !== 'bigint') return 'sessionHeader lacks a session id or end height';
  if (typeof r.supplierOperatorAddress !== 'string' || r.supplierOperatorAddress === '' || r.supplierOperatorAddress.includes('/')) return 'supplierOperatorAddress is missing or malformed';
  return undefined;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
