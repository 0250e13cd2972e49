import { binaryKey } from '../bytes.js';
import { InvalidInputError } from '../errors.js';
import type { KVStore } from './types.js';


/** A Map-backed store. Like the Go library's map store it rejects empty keys. */
export class MemoryStore implements KVStore {
  private readonly map = new Map<string, Uint8Array>();

  get size(): number {
    return this.map.size;
  }

  getSync(key: Uint8Array): Uint8Array | undefined {
    return this.map.get(binaryKey(key));
  }

  async write(dels: Uint8Array[], puts: [Uint8Array, Uint8Array][]): Promise<void> {
    for (const [k] of puts) if (k.length === 0) throw new InvalidInputError('store keys must not be empty');
    for (const k of dels) this.map.delete(binaryKey(k));
    for (const [k, v] of puts) this.map.set(binaryKey(k), new Uint8Array(v));
  }

  async *entries(): AsyncIterable<[Uint8Array, Uint8Array]> {
    const keys = [...this.map.keys()].sort();
    for (const k of keys) yield [new Uint8Array(Buffer.from(k, 'latin1')), this.map.get(k)!];
  }

  async close(): Promise<void> {}
}
