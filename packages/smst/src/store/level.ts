import { Level } from 'level';
import type { KVStore } from './types.js';

type Bytes = Level<Uint8Array, Uint8Array>;
const BYTES = { keyEncoding: 'view', valueEncoding: 'view' } as const;

/**
 * Trie nodes in LevelDB through `level`. Several tries can share one database, each under its own
 * sublevel name (for example one per session), so one file handle serves them all.
 */
export class LevelStore implements KVStore {
  private constructor(
    private readonly db: Pick<Bytes, 'getSync' | 'batch' | 'iterator' | 'close'>,
    private readonly owned: boolean,
  ) {}

  /** Open (creating if needed) a LevelDB database at `location`. */
  static async open(location: string): Promise<LevelStore> {
    const db = new Level<Uint8Array, Uint8Array>(location, BYTES);
    await db.open();
    return new LevelStore(db, true);
  }

  /** A store living under `name` inside an already open database; closing it leaves the database open. */
  static async sublevel(db: Level<any, any>, name: string): Promise<LevelStore> {
    const sub = db.sublevel<Uint8Array, Uint8Array>(name, BYTES);
    await sub.open(); // synchronous reads need it open, not merely opening
    return new LevelStore(sub as unknown as Bytes, false);
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    const v = this.db.getSync(key);
    return v && plain(v);
  }

  async write(dels: Uint8Array[], puts: [Uint8Array, Uint8Array][]): Promise<void> {
    // A chained batch: several times faster than an array of operation objects for big commits.
    const batch = this.db.batch();
    for (const key of dels) batch.del(key);
    for (const [key, value] of puts) batch.put(key, value);
    await batch.write();
  }

  async *entries(): AsyncIterable<[Uint8Array, Uint8Array]> {
    for await (const [k, v] of this.db.iterator()) yield [plain(k), plain(v)];
  }

  async close(): Promise<void> {
    if (this.owned) await this.db.close();
  }
}

/** LevelDB hands back Buffers; callers get plain Uint8Arrays, as from every other store. */
const plain = (b: Uint8Array): Uint8Array => (Buffer.isBuffer(b) ? new Uint8Array(b.buffer, b.byteOffset, b.byteLength) : b);
