/**
 * The consensus half of localnet: it orders txs into blocks, drives the app through the ABCI-shaped seam,
 * stores blocks and results, indexes txs, rechecks the mempool and publishes events. Everything here is
 * synchronous, so a block is produced atomically with respect to RPC handlers and timers.
 */
import type { AbciEvent, AbciTxResult, LocalnetApp } from '../abci.js';
import { blockIdOf, buildHeader, type StoredBlock } from './block.js';
import { sha256, toBase64, txHash, u64be } from './bytes.js';
import { internalError } from './errors.js';
import { Faults, type EventKind } from './faults.js';
import { blockIdJson, blockJson, eventJson, flattenEvents, headerJson, txResultJson, type Json } from './json.js';
import { Mempool } from './mempool.js';
import { matches, type EventMap, type EventQuery } from './query.js';
import { sendersFromEvents, sendersFromTx } from './senders.js';

export interface ChainConfig {
  chainId: string;
  /** Virtual clock: block H is stamped genesisTimeMs + H × intervalMs. */
  genesisTimeMs: number;
  intervalMs: number;
  maxTxsPerBlock: number;
}

/** One event as pushed to websocket subscribers. */
export interface BusEvent {
  kind: EventKind;
  height: number;
  value: Json;
  events: EventMap;
}

export type TxStatus = 'pending' | 'included' | 'rejected' | 'evicted';

/** What happened to one tx (by hash), for test assertions. */
export interface TxRecord {
  hash: string;
  tx: Uint8Array;
  senders: string[];
  status: TxStatus;
  /** CheckTx at the latest broadcast. */
  check?: AbciTxResult;
  /** Recheck result when a later block made the pending tx invalid. */
  recheck?: AbciTxResult;
  /** DeliverTx result once included. */
  deliver?: AbciTxResult;
  height?: number;
  index?: number;
  /** Why it failed (from the app's `rejectReason`, or a node-side cause such as DROPPED_BY_FAULT). */
  rejectReason?: string;
  broadcasts: number;
}

export interface IndexedTx {
  hash: string;
  height: number;
  index: number;
  tx: Uint8Array;
  result: AbciTxResult;
  events: EventMap;
}

export interface RecordedEvent extends AbciEvent {
  height: number;
  /** 'tx' for DeliverTx events, 'block' for finalize_block_events. */
  source: 'tx' | 'block';
  txHash?: string;
}

export interface SubmitOutcome {
  hash: string;
  result: AbciTxResult;
}

function failure(code: number, log: string, rejectReason: string): AbciTxResult {
  return { code, codespace: 'undefined', log, data: new Uint8Array(), gasWanted: 0n, gasUsed: 0n, events: [], rejectReason };
}

/** The SDK turns a panic inside tx processing into ErrPanic (code 111222); we do the same for a throwing app. */
function guarded(run: () => AbciTxResult): AbciTxResult {
  try {
    return run();
  } catch (err) {
    return failure(111222, `panic: ${err instanceof Error ? err.message : String(err)}`, 'APP_PANIC');
  }
}

function reasonOf(r: AbciTxResult): string | undefined {
  if (r.code === 0) return undefined;
  return r.rejectReason ?? `${r.codespace || 'sdk'}/${r.code}`;
}

export class Chain {
  readonly mempool = new Mempool();
  readonly faults = new Faults();
  private readonly blocks: StoredBlock[] = [];
  private readonly txIndex = new Map<string, IndexedTx>();
  private readonly indexed: IndexedTx[] = [];
  private readonly records = new Map<string, TxRecord>();
  private readonly eventLog: RecordedEvent[] = [];
  private readonly busListeners = new Set<(e: BusEvent) => void>();
  private readonly blockListeners = new Set<(b: StoredBlock) => void>();
  private appHash: Uint8Array;

  constructor(
    readonly app: LocalnetApp,
    readonly config: ChainConfig,
  ) {
    const genesisHash = app.info().lastBlockAppHash;
    // cosmjs rejects an empty latest_app_hash; an SDK app always has one after InitChain anyway.
    this.appHash = genesisHash.length ? genesisHash : sha256();
  }

  get height(): number {
    return this.blocks.length;
  }

  get latest(): StoredBlock | undefined {
    return this.blocks[this.blocks.length - 1];
  }

  block(height: number): StoredBlock | undefined {
    return height >= 1 ? this.blocks[height - 1] : undefined;
  }

  timeOf(height: number): number {
    return this.config.genesisTimeMs + height * this.config.intervalMs;
  }

  onBus(listener: (e: BusEvent) => void): () => void {
    this.busListeners.add(listener);
    return () => this.busListeners.delete(listener);
  }

  onBlock(listener: (b: StoredBlock) => void): () => void {
    this.blockListeners.add(listener);
    return () => this.blockListeners.delete(listener);
  }

  private record(hash: string, tx: Uint8Array): TxRecord {
    let r = this.records.get(hash);
    if (!r) {
      r = { hash, tx, senders: sendersFromTx(tx), status: 'pending', broadcasts: 0 };
      this.records.set(hash, r);
    }
    return r;
  }

  /** CheckTx a broadcast tx and admit it to the mempool; throws the RPC error CometBFT gives a duplicate. */
  submit(tx: Uint8Array): SubmitOutcome {
    const hash = txHash(tx);
    if (this.mempool.seen(hash)) throw internalError('tx already exists in cache');
    const rec = this.record(hash, tx);
    rec.broadcasts++;
    const injected = this.faults.takeReject();
    const result = injected ?? guarded(() => this.app.checkTx(tx));
    rec.check = result;
    rec.recheck = undefined;
    rec.senders = mergeSenders(rec.senders, sendersFromEvents(result.events));
    if (result.code !== 0) {
      rec.status = 'rejected';
      rec.rejectReason = reasonOf(result);
      return { hash, result };
    }
    if (this.faults.takeDrop()) {
      // Accepted as far as the client can tell, then lost: the client must notice and re-broadcast.
      rec.status = 'evicted';
      rec.rejectReason = 'DROPPED_BY_FAULT';
      return { hash, result };
    }
    rec.status = 'pending';
    rec.rejectReason = undefined;
    this.mempool.add({ tx, hash, notBefore: this.height + 1 + this.faults.takeDelay(hash) });
    return { hash, result };
  }

  delayInclusion(hash: string, blocks: number): void {
    const h = hash.toUpperCase();
    if (!this.mempool.postpone(h, this.height + 1 + blocks)) this.faults.delayInclusion(h, blocks);
  }

  /** Produces the next block. Listeners run after the block is fully stored and the mempool rechecked. */
  produceBlock(): StoredBlock {
    const height = this.height + 1;
    const previous = this.latest;
    const picked = this.mempool.takeFor(height, this.config.maxTxsPerBlock);
    const txs = picked.map((e) => e.tx);
    const timeMs = this.timeOf(height);
    const header = buildHeader({ chainId: this.config.chainId, height, timeMs, previous, txs, appHash: this.appHash });
    const id = blockIdOf(header, txs);

    this.app.beginBlock({
      height: BigInt(height),
      timeMs,
      hash: id.hash,
      lastBlockHash: previous?.id.hash ?? new Uint8Array(),
    });
    const results = txs.map((tx) => guarded(() => this.app.deliverTx(tx)));
    const finalizeEvents = this.app.endBlock().events;
    let appHashAfter = this.app.commit();
    if (appHashAfter.length === 0) appHashAfter = sha256(this.appHash, header.dataHash, u64be(height));
    this.appHash = appHashAfter;

    const block: StoredBlock = {
      header,
      id,
      txs,
      txHashes: picked.map((e) => e.hash),
      results,
      finalizeEvents,
      appHashAfter,
      size: 1024 + txs.reduce((n, tx) => n + tx.length, 0),
    };
    this.blocks.push(block);
    this.index(block);
    this.recheck();

    for (const l of [...this.blockListeners]) l(block);
    this.publish(block, previous);
    return block;
  }

  private index(block: StoredBlock): void {
    const height = block.header.height;
    block.txs.forEach((tx, index) => {
      const hash = block.txHashes[index]!;
      const result = block.results[index]!;
      const events = flattenEvents(result.events, { 'tx.hash': [hash], 'tx.height': [String(height)] });
      const entry: IndexedTx = { hash, height, index, tx, result, events };
      this.txIndex.set(hash, entry);
      this.indexed.push(entry);
      const rec = this.record(hash, tx);
      rec.status = result.code === 0 ? 'included' : 'rejected';
      rec.deliver = result;
      rec.height = height;
      rec.index = index;
      rec.rejectReason = reasonOf(result);
      rec.senders = mergeSenders(rec.senders, sendersFromEvents(result.events));
      for (const e of result.events) this.eventLog.push({ ...e, height, source: 'tx', txHash: hash });
    });
    for (const e of block.finalizeEvents) this.eventLog.push({ ...e, height, source: 'block' });
  }

  /** After commit the app rebuilt its check state; pending txs that no longer pass are dropped, as CometBFT does. */
  private recheck(): void {
    for (const e of [...this.mempool.pending()]) {
      const r = guarded(() => this.app.checkTx(e.tx));
      if (r.code === 0) continue;
      this.mempool.evict(e.hash);
      const rec = this.record(e.hash, e.tx);
      rec.status = 'rejected';
      rec.recheck = r;
      rec.rejectReason = reasonOf(r);
    }
  }

  private publish(block: StoredBlock, previous: StoredBlock | undefined): void {
    const height = block.header.height;
    const out: BusEvent[] = [];
    if (!this.faults.isMuted('NewBlockHeader', height)) {
      out.push({
        kind: 'NewBlockHeader',
        height,
        value: { header: headerJson(block.header) },
        events: { 'tm.event': ['NewBlockHeader'] },
      });
    }
    if (!this.faults.isMuted('NewBlock', height)) {
      out.push({
        kind: 'NewBlock',
        height,
        value: {
          block: blockJson(block, previous),
          block_id: blockIdJson(block.id),
          result_finalize_block: {
            events: block.finalizeEvents.map(eventJson),
            tx_results: block.results.map(txResultJson),
            validator_updates: null,
            consensus_param_updates: null,
            app_hash: toBase64(block.appHashAfter),
          },
        },
        events: flattenEvents(block.finalizeEvents, { 'tm.event': ['NewBlock'] }),
      });
    }
    if (!this.faults.isMuted('Tx', height)) {
      block.txs.forEach((tx, index) => {
        const entry = this.txIndex.get(block.txHashes[index]!)!;
        out.push({
          kind: 'Tx',
          height,
          value: { TxResult: { height: String(height), index, tx: toBase64(tx), result: txResultJson(entry.result) } },
          events: { ...entry.events, 'tm.event': ['Tx'] },
        });
      });
    }
    for (const e of out) for (const l of [...this.busListeners]) l(e);
  }

  findTx(hash: string): IndexedTx | undefined {
    return this.txIndex.get(hash.toUpperCase());
  }

  searchTxs(query: EventQuery): IndexedTx[] {
    return this.indexed.filter((t) => matches(query, t.events));
  }

  txRecords(): TxRecord[] {
    return [...this.records.values()];
  }

  recordedEvents(): RecordedEvent[] {
    return [...this.eventLog];
  }
}

function mergeSenders(a: string[], b: string[]): string[] {
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])];
}
