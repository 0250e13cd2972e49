import { WasmSmstCore } from 'smt-wasm';
import { NO_HANDLE, type CoreProof, type LeafRef, type NodeEncoding, type SmstCore } from './core.js';
import { binaryKey, readU64be, toHex } from './bytes.js';
import { InvalidInputError, KeyNotFoundError, SmstError, StoreCorruptionError } from './errors.js';
import { sha256 } from './hash.js';
import type { SparseMerkleClosestProof, SparseMerkleProof } from './proof/types.js';
import { ReferenceSmstCore } from './reference/core.js';
import { MemoryStore } from './store/memory.js';
import type { KVStore } from './store/types.js';
import { ValueArena } from './values.js';

export const ROOT_SIZE = 48;
export const PATH_SIZE = 32;
const MAX_U64 = (1n << 64n) - 1n;
export const EMPTY_ROOT = new Uint8Array(ROOT_SIZE);

/** Optional fast paths a core may offer on top of the contract (the WASM core does). */
interface FastCore extends SmstCore {
  updateKeyValue?(key: Uint8Array, value: Uint8Array, weightHi: number, weightLo: number, handle: number): void;
  updateMany?(keys: Uint8Array[], payloads: Uint8Array[], handles: Uint32Array): void;
  updateManyPacked?(keys: Uint8Array, payloads: Uint8Array, ends: Uint32Array, handles: Uint32Array): void;
  memoryBytes?(): number;
  threaded?(): boolean;
}

export interface TrieOptions {
  /** Where commit() writes nodes and where committed nodes are read back. Default: a new MemoryStore. */
  store?: KVStore;
  /** 'wasm' (default, fast) or 'reference' (plain TypeScript, the oracle), or a core instance. */
  core?: 'wasm' | 'reference' | SmstCore;
  /** How keys become paths: SHA-256 (the chain's choice, default) or identity on 32-byte keys. */
  pathHasher?: 'sha256' | 'identity';
  /**
   * When given, the trie keeps no leaf values at all: whenever it needs a leaf's raw value (proofs,
   * get, commit) it asks this function with the leaf's path. A relay miner passes its relay log.
   */
  valueLookup?: (path: Uint8Array) => Uint8Array | undefined;
  /** A hint for the WASM core: reserve memory for about this many leaves at once. */
  expectedLeaves?: number;
  /** Let the WASM core hash on a second thread (default: when the machine has 2+ cores). */
  threads?: boolean;
}

interface InflightBatch {
  puts: [Uint8Array, Uint8Array][];
  index: Map<string, Uint8Array> | null;
}

export interface LeafValue {
  value: Uint8Array;
  weight: bigint;
}

/**
 * A Sparse Merkle Sum Trie that produces the same roots, proofs and stored nodes as the chain's Go
 * library in poktroll's configuration (SHA-256, raw values in leaves).
 */
export class SparseMerkleSumTrie {
  readonly store: KVStore;
  private readonly core: FastCore;
  private readonly identityPaths: boolean;
  private readonly lookup: TrieOptions['valueLookup'];
  private readonly arena = new ValueArena();
  /** Commits whose store write has not finished yet. */
  private readonly inflight = new Set<InflightBatch>();
  private broken: string | null = null;

  constructor(opts: TrieOptions = {}) {
    this.store = opts.store ?? new MemoryStore();
    this.identityPaths = opts.pathHasher === 'identity';
    this.lookup = opts.valueLookup;
    const core = opts.core ?? 'wasm';
    this.core = core === 'wasm' ? new WasmSmstCore({ expectedLeaves: opts.expectedLeaves, threads: opts.threads }) : core === 'reference' ? new ReferenceSmstCore() : core;
    this.core.setLoader((digest) => this.store.getSync(digest));
  }

  /** Reopen a committed trie from its 48-byte root; nodes load lazily from the store. */
  static import(root: Uint8Array, opts: TrieOptions & { store: KVStore }): SparseMerkleSumTrie {
    checkLength(root, ROOT_SIZE, 'root');
    const trie = new SparseMerkleSumTrie(opts);
    trie.core.import(root);
    return trie;
  }

  update(key: Uint8Array, value: Uint8Array, weight: bigint | number): void {
    this.usable();
    if (!(key instanceof Uint8Array)) throw new InvalidInputError('key must be a Uint8Array');
    const len = checkedValue(value).length + 16;
    const [hi, lo] = weightWords(weight);
    let handle: number = NO_HANDLE;
    if (!this.lookup) {
      handle = this.arena.reserve(len);
      writePayload(this.arena.get(handle), 0, value, hi, lo);
    }
    const core = this.core;
    if (core.updateKeyValue && !this.identityPaths) {
      // The core assembles the payload itself: no copy of it here.
      this.guard(() => core.updateKeyValue!(key, value, hi, lo, handle));
      return;
    }
    // The core copies the payload, so one scratch buffer serves every call: a fresh typed array
    // per relay would cost an off-heap allocation each.
    const payload = scratchBytes(len);
    writePayload(payload, 0, value, hi, lo);
    this.guard(() => core.update(this.pathOf(key), payload, handle));
  }

  /**
   * The same as calling update() for each entry in order, but the WASM core hashes keys and leaves
   * in SIMD batches. Every entry is checked before any is applied: bad input changes nothing.
   */
  updateMany(keys: Uint8Array[], values: Uint8Array[], weights: (bigint | number)[]): void {
    this.usable();
    if (keys.length !== values.length || keys.length !== weights.length) {
      throw new InvalidInputError(`updateMany needs as many values and weights as keys (${keys.length}, ${values.length}, ${weights.length})`);
    }
    for (const key of keys) if (!(key instanceof Uint8Array)) throw new InvalidInputError('key must be a Uint8Array');
    if (this.identityPaths) for (const key of keys) checkLength(key, PATH_SIZE, 'key (identity path hasher)');
    // All payloads of the batch in one buffer, for the same reason as in update().
    const n = keys.length;
    let total = 0;
    for (const v of values) total += checkedValue(v).length + 16;
    const packed = scratchBytes(total);
    const ends = new Uint32Array(n);
    for (let i = 0, at = 0; i < n; i++) {
      const [hi, lo] = weightWords(weights[i]!);
      writePayload(packed, at, values[i]!, hi, lo);
      at = ends[i] = at + values[i]!.length + 16;
    }
    const payloadAt = (i: number) => packed.subarray(i ? ends[i - 1]! : 0, ends[i]!);
    const handles = new Uint32Array(n).fill(NO_HANDLE);
    if (!this.lookup) for (let i = 0; i < n; i++) handles[i] = this.arena.add(payloadAt(i));
    const core = this.core;
    this.guard(() => {
      if (this.identityPaths || !(core.updateManyPacked || core.updateMany)) {
        for (let i = 0; i < n; i++) core.update(this.pathOf(keys[i]!), payloadAt(i), handles[i]!);
      } else if (core.updateManyPacked && keys.every((k) => k.length === PATH_SIZE)) {
        // Relay hashes are 32 bytes: hand the batch over as two buffers.
        const keyBytes = new Uint8Array(n * PATH_SIZE);
        keys.forEach((k, i) => keyBytes.set(k, i * PATH_SIZE));
        core.updateManyPacked(keyBytes, packed, ends, handles);
      } else {
        core.updateMany!(keys, Array.from({ length: n }, (_, i) => payloadAt(i)), handles);
      }
    });
  }

  /** Remove `key`; throws KeyNotFoundError (and changes nothing) when it is absent. */
  delete(key: Uint8Array): void {
    this.usable();
    const path = this.pathOf(key);
    if (!this.guard(() => this.core.delete(path))) throw new KeyNotFoundError();
  }

  /** The value and weight stored under `key`, or null. */
  get(key: Uint8Array): LeafValue | null {
    this.usable();
    const path = this.pathOf(key);
    const leaf = this.guard(() => this.core.get(path));
    if (!leaf) return null;
    const v = this.payloadOf(leaf);
    return { value: v.slice(0, v.length - 16), weight: readU64be(v, v.length - 16) };
  }

  has(key: Uint8Array): boolean {
    return this.get(key) !== null;
  }

  /** 48 bytes: hash ‖ u64be(sum) ‖ u64be(count); 48 zeros when empty. */
  root(): Uint8Array {
    this.usable();
    return this.guard(() => this.core.root());
  }

  sum(): bigint {
    return readU64be(this.root(), 32);
  }

  count(): bigint {
    return readU64be(this.root(), 40);
  }

  /** Go's Prove: a membership proof when `key` is present, an exclusion proof otherwise. */
  prove(key: Uint8Array): SparseMerkleProof {
    this.usable();
    const path = this.pathOf(key);
    return this.toProof(this.guard(() => this.core.prove(path)));
  }

  /** A membership proof; throws KeyNotFoundError when `key` is absent. */
  proveInclusion(key: Uint8Array): SparseMerkleProof {
    const proof = this.prove(key);
    if (proof.nonMembershipLeafData !== null || !this.has(key)) throw new KeyNotFoundError();
    return proof;
  }

  /** The proof of the leaf closest to `path` (32 bytes), as the chain asks for it. */
  proveClosest(path: Uint8Array): SparseMerkleClosestProof {
    this.usable();
    checkLength(path, PATH_SIZE, 'closest path');
    const c = this.guard(() => this.core.proveClosest(path));
    return {
      path: new Uint8Array(path),
      flippedBits: c.flippedBits,
      depth: c.depth,
      closestPath: c.leaf ? c.leaf.path : new Uint8Array(ROOT_SIZE),
      closestValueHash: c.leaf ? carve(this.payloadOf(c.leaf)) : null, // a copy: never a view into the arena
      closestProof: this.toProof(c.proof),
    };
  }

  /**
   * Write every new node to the store in one atomic batch (removing replaced ones) and return the
   * root to keep: the store does not record it. Values of committed leaves leave memory.
   */
  async commit(): Promise<Uint8Array> {
    this.usable();
    const root = this.root();
    const set = this.guard(() => this.core.commit());
    let puts: [Uint8Array, Uint8Array][];
    try {
      puts = set.nodes.map(({ digest, encoding }) => [digest, this.encode(encoding)]);
    } catch (err) {
      this.broken = `a commit could not read a leaf value (${(err as Error).message})`;
      throw err;
    }
    // From here on the core believes these nodes are persisted and leaf handles are gone; until
    // the write lands, payloads of just-committed leaves are found in `inflight`.
    this.arena.clear();
    const batch: InflightBatch = { puts, index: null };
    this.inflight.add(batch);
    try {
      await this.store.write(set.orphans, puts);
    } catch (err) {
      this.broken = `a commit failed to write to the store (${(err as Error).message}); reopen from the last committed root`;
      throw new SmstError('store_write', this.broken);
    } finally {
      this.inflight.delete(batch);
    }
    return root;
  }

  /**
   * Memory held outside the JS heap: the core's WASM linear memory (and whether it is shared with
   * a hashing thread: V8 does not count shared memory in process.memoryUsage().external) and the
   * arena of uncommitted values.
   */
  nativeMemory(): { bytes: number; shared: boolean; valueBytes: number } {
    return { bytes: this.core.memoryBytes?.() ?? 0, shared: this.core.threaded?.() ?? false, valueBytes: this.arena.bytes };
  }

  dispose(): void {
    this.core.dispose();
    this.arena.clear();
    this.broken = 'the trie was disposed';
  }

  private pathOf(key: Uint8Array): Uint8Array {
    if (!(key instanceof Uint8Array)) throw new InvalidInputError('key must be a Uint8Array');
    if (!this.identityPaths) return sha256(key);
    checkLength(key, PATH_SIZE, 'key (identity path hasher)');
    return key;
  }

  /**
   * The leaf payload V = value ‖ u64be(weight) ‖ u64be(1): from the arena while uncommitted, from
   * the caller's lookup when one was given, else from the store (or a commit still writing it).
   */
  private payloadOf(leaf: LeafRef): Uint8Array {
    if (leaf.handle !== NO_HANDLE) return this.arena.get(leaf.handle);
    if (this.lookup) {
      const value = this.lookup(leaf.path);
      if (!value) throw new StoreCorruptionError(`the value lookup has no value for leaf path ${toHex(leaf.path)}`);
      const payload = new Uint8Array(value.length + 16);
      payload.set(value);
      payload.set(leaf.digest.subarray(32), value.length);
      return payload;
    }
    const pre = this.store.getSync(leaf.digest) ?? this.inflightPreimage(leaf.digest);
    if (!pre || pre.length < 49 || pre[0] !== 0) {
      throw new StoreCorruptionError(`leaf ${toHex(leaf.digest)} is ${pre ? 'corrupt' : 'missing'} in the store`);
    }
    return pre.subarray(1 + PATH_SIZE);
  }

  /** The preimage a still-running commit is writing under `digest`, if any (rarely asked). */
  private inflightPreimage(digest: Uint8Array): Uint8Array | undefined {
    for (const batch of this.inflight) {
      batch.index ??= new Map(batch.puts.map(([k, v]) => [binaryKey(k), v]));
      const pre = batch.index.get(binaryKey(digest));
      if (pre) return pre;
    }
    return undefined;
  }

  private encode(enc: NodeEncoding): Uint8Array {
    return enc.kind === 'leaf' ? leafPreimage(enc.leaf.path, this.payloadOf(enc.leaf)) : enc.preimage;
  }

  private toProof(p: CoreProof): SparseMerkleProof {
    return {
      sideNodes: p.sideNodes,
      nonMembershipLeafData: p.nonMembershipLeaf ? this.encode({ kind: 'leaf', leaf: p.nonMembershipLeaf }) : null,
      siblingData: p.sibling ? this.encode(p.sibling) : null,
    };
  }

  /**
   * Map core failures to typed errors. Argument errors and store failures leave the trie as it was
   * (the cores resolve nodes before they mutate); a trap inside the WASM core does not, so the trie
   * refuses further use rather than answer from a damaged state.
   */
  private guard<T>(op: () => T): T {
    try {
      return op();
    } catch (err) {
      if (err instanceof SmstError) throw err;
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof RangeError || err instanceof TypeError) throw new InvalidInputError(message);
      if (err instanceof WebAssembly.RuntimeError) {
        this.broken = `the trie core failed (${message})`;
        throw new SmstError('core_fault', this.broken);
      }
      throw new StoreCorruptionError(message);
    }
  }

  private usable(): void {
    if (this.broken) throw new SmstError('unusable', `this trie can no longer be used: ${this.broken}`);
  }
}

function checkedValue(value: Uint8Array): Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidInputError('value must be a Uint8Array');
  return value;
}

/**
 * Payloads are assembled here before a core (or the arena) copies them: a fresh typed array per
 * call would cost an off-heap allocation (and, for large batches, GC pressure) each time. One
 * buffer for the whole module, as every use is synchronous; it grows to the largest batch seen.
 */
let scratch = new Uint8Array(1 << 16);
function scratchBytes(size: number): Uint8Array {
  if (scratch.length < size) scratch = new Uint8Array(Math.max(size, 2 * scratch.length));
  return scratch.subarray(0, size);
}

/** out[at..] = V = value ‖ u64be(hi·2^32 + lo) ‖ u64be(1). */
function writePayload(out: Uint8Array, at: number, value: Uint8Array, hi: number, lo: number): void {
  const n = at + value.length;
  out.set(value, at);
  out[n] = hi >>> 24; out[n + 1] = hi >>> 16; out[n + 2] = hi >>> 8; out[n + 3] = hi;
  out[n + 4] = lo >>> 24; out[n + 5] = lo >>> 16; out[n + 6] = lo >>> 8; out[n + 7] = lo;
  out.fill(0, n + 8, n + 15);
  out[n + 15] = 1;
}

/** A uint64 weight as its high and low 32-bit words; anything else is an InvalidInputError. */
function weightWords(weight: bigint | number): [number, number] {
  // The common case (compute units per relay) without a BigInt.
  if (typeof weight === 'number' && weight >= 0 && Number.isSafeInteger(weight)) return [Math.floor(weight / 2 ** 32), weight >>> 0];
  const w = toU64(weight);
  return [Number(w >> 32n), Number(w & 0xffffffffn)];
}

/**
 * Proof outputs are small byte strings; a fresh typed array over 64 bytes costs an off-heap
 * allocation each, so they are carved out of shared 64 KiB chunks instead (each result is its
 * own, non-overlapping view).
 */
let chunk = new Uint8Array(0);
let chunkUsed = 0;
function alloc(n: number): Uint8Array {
  if (n > 4096) return new Uint8Array(n);
  if (chunkUsed + n > chunk.length) {
    chunk = new Uint8Array(1 << 16);
    chunkUsed = 0;
  }
  const out = chunk.subarray(chunkUsed, chunkUsed + n);
  chunkUsed += n;
  return out;
}

function carve(bytes: Uint8Array): Uint8Array {
  const out = alloc(bytes.length);
  out.set(bytes);
  return out;
}

function leafPreimage(path: Uint8Array, payload: Uint8Array): Uint8Array {
  const pre = alloc(1 + PATH_SIZE + payload.length);
  pre[0] = 0;
  pre.set(path, 1);
  pre.set(payload, 1 + PATH_SIZE);
  return pre;
}

function toU64(weight: bigint | number): bigint {
  let w: bigint;
  if (typeof weight === 'bigint') w = weight;
  else if (Number.isSafeInteger(weight)) w = BigInt(weight);
  else throw new InvalidInputError(`weight must be an integer, got ${weight}`);
  if (w < 0n || w > MAX_U64) throw new InvalidInputError(`weight ${w} is outside uint64`);
  return w;
}

function checkLength(bytes: Uint8Array, size: number, what: string): void {
  if (!(bytes instanceof Uint8Array) || bytes.length !== size) {
    throw new InvalidInputError(`${what} must be ${size} bytes, got ${bytes instanceof Uint8Array ? bytes.length : typeof bytes}`);
  }
}


