/**
 * Everything the sessions manager keeps on disk, in one LevelDB (one file handle however many
 * sessions and suppliers):
 *
 * - `r<supplier>/<session id>/<path>` → relay bytes ‖ u64be(weight): the write-ahead relay log.
 *   Keyed by SMST path, so it doubles as the trie's value store (the trie keeps no relay bytes in
 *   memory) and a relay logged twice is one leaf, as in the trie.
 * - `s<supplier>/<session id>` → the session record (header, state, fixed root): where a restart
 *   resumes from.
 *
 * Writes go through group commit: appends that arrive while a write is running are written together
 * in the next one, so a burst of relays costs one LevelDB batch (and one fsync, when asked), not one
 * per relay, and a lone relay waits for no timer.
 */
import { Level } from 'level';
import { SessionStoreError } from '../errors.js';

const BYTES = { keyEncoding: 'view', valueEncoding: 'view' } as const;
const RELAY = 0x72; // 'r'
const RECORD = 0x73; // 's'
const utf8 = new TextEncoder();
const text = new TextDecoder();

export type Op = { readonly type: 'put'; readonly key: Uint8Array; readonly value: Uint8Array } | { readonly type: 'del'; readonly key: Uint8Array };

interface PendingWrite {
  readonly ops: readonly Op[];
  readonly relays: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface WriteStats {
  readonly ops: number;
  /** Relays among the ops (the rest are session records and deletions). */
  readonly relays: number;
  readonly bytes: number;
  readonly writeMs: number;
}

export class SessionStore {
  private queue: PendingWrite[] = [];
  private writing = false;
  private closed = false;

  private constructor(
    private readonly db: Level<Uint8Array, Uint8Array>,
    private readonly fsync: boolean,
    private readonly maxGroupOps: number,
    private readonly onWrite: (stats: WriteStats) => void,
  ) {}

  static async open(location: string, options: { fsync: boolean; maxGroupOps: number; onWrite?: (stats: WriteStats) => void }): Promise<SessionStore> {
    const db = new Level<Uint8Array, Uint8Array>(location, BYTES);
    try {
      await db.open();
    } catch (error) {
      throw new SessionStoreError(`cannot open the session store at ${location}: ${(error as Error).message}`, { cause: error });
    }
    return new SessionStore(db, options.fsync, options.maxGroupOps, options.onWrite ?? (() => {}));
  }

  /**
   * Resolves once `ops` are on disk (in the OS, or fsynced when the store was opened with fsync).
   * `relays` says how many of them are logged relays, for the write report.
   */
  write(ops: readonly Op[], relays = 0): Promise<void> {
    if (this.closed) return Promise.reject(new SessionStoreError('the session store is closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, relays, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const group: PendingWrite[] = [];
      let count = 0;
      let relays = 0;
      while (this.queue.length > 0 && (group.length === 0 || count + this.queue[0]!.ops.length <= this.maxGroupOps)) {
        const next = this.queue.shift()!;
        group.push(next);
        count += next.ops.length;
        relays += next.relays;
      }
      const started = performance.now();
      let bytes = 0;
      try {
        const batch = this.db.batch();
        for (const w of group) {
          for (const op of w.ops) {
            if (op.type === 'put') {
              batch.put(op.key, op.value);
              bytes += op.key.length + op.value.length;
            } else batch.del(op.key);
          }
        }
        await batch.write({ sync: this.fsync } as never);
      } catch (error) {
        const failure = new SessionStoreError(`writing to the session store failed: ${(error as Error).message}`, { cause: error });
        for (const w of group) w.reject(failure);
        continue;
      }
      this.onWrite({ ops: count, relays, bytes, writeMs: performance.now() - started });
      for (const w of group) w.resolve();
    }
    this.writing = false;
  }

  /** The logged relay at an SMST path, without its weight (the trie's value lookup). */
  relayValue(sessionKey: string, path: Uint8Array): Uint8Array | undefined {
    const v = this.db.getSync(relayKey(sessionKey, path));
    return v ? v.subarray(0, v.length - 8) : undefined;
  }

  /** Every logged relay of a session, in path order. */
  async *relays(sessionKey: string): AsyncIterable<{ value: Uint8Array; weight: bigint; path: Uint8Array }> {
    const prefix = relayPrefix(sessionKey);
    for await (const [k, v] of this.db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) {
      const weight = new DataView(v.buffer, v.byteOffset, v.byteLength).getBigUint64(v.length - 8);
      yield { value: v.subarray(0, v.length - 8), weight, path: k.subarray(prefix.length) };
    }
  }

  async records(): Promise<Array<[string, Uint8Array]>> {
    const out: Array<[string, Uint8Array]> = [];
    const prefix = Uint8Array.of(RECORD);
    for await (const [k, v] of this.db.iterator({ gte: prefix, lt: prefixEnd(prefix) })) out.push([text.decode(k.subarray(1)), v]);
    return out;
  }

  /** Removes a session's relays and record: relays first, so a crash in between leaves a record with no relays, which recovery drops. */
  async forget(sessionKey: string): Promise<void> {
    const prefix = relayPrefix(sessionKey);
    await this.db.clear({ gte: prefix, lt: prefixEnd(prefix) });
    await this.write([{ type: 'del', key: recordKey(sessionKey) }]);
  }

  /** Waits for queued writes, then closes the database. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.writing || this.queue.length > 0) await new Promise((r) => setImmediate(r));
    this.closed = true;
    await this.db.close();
  }
}

export function relayKey(sessionKey: string, path: Uint8Array): Uint8Array {
  const prefix = relayPrefix(sessionKey);
  const key = new Uint8Array(prefix.length + path.length);
  key.set(prefix);
  key.set(path, prefix.length);
  return key;
}

export function relayEntry(value: Uint8Array, weight: bigint): Uint8Array {
  const out = new Uint8Array(value.length + 8);
  out.set(value);
  new DataView(out.buffer).setBigUint64(value.length, weight);
  return out;
}

export function recordKey(sessionKey: string): Uint8Array {
  return concat(Uint8Array.of(RECORD), utf8.encode(sessionKey));
}

function relayPrefix(sessionKey: string): Uint8Array {
  return concat(Uint8Array.of(RELAY), utf8.encode(`${sessionKey}/`));
}

/** The smallest key above every key starting with `prefix` (prefixes here never end in 0xff). */
function prefixEnd(prefix: Uint8Array): Uint8Array {
  const end = prefix.slice();
  end[end.length - 1]!++;
  return end;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
