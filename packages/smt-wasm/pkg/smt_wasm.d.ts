/**
 * smt-wasm: AssemblyScript/WASM SHA-256 (scalar + 4-lane SIMD) and a Sparse Merkle Sum Trie
 * core that reproduces the Go library's in-memory structure. The types below are
 * structurally identical to those of `@relayminer/smst`'s `core.ts` (this package does not
 * depend on it).
 */

/** Handle of a leaf whose payload is not held by the caller (e.g. loaded from a store). */
export declare const NO_HANDLE: 0xffffffff;

export interface LeafRef {
  /** 32-byte leaf path. */
  path: Uint8Array;
  /** 48-byte leaf digest H(00 ‖ path ‖ V) ‖ V[len-16..]; the leaf's store key. */
  digest: Uint8Array;
  /** The handle given to update, or NO_HANDLE. */
  handle: number;
}

export type NodeEncoding =
  | { kind: 'leaf'; leaf: LeafRef }
  | { kind: 'node'; preimage: Uint8Array };

export interface CoreProof {
  /** 48-byte digests, index 0 = deepest level. */
  sideNodes: Uint8Array[];
  nonMembershipLeaf: LeafRef | null;
  sibling: NodeEncoding | null;
}

export interface CoreClosestProof {
  flippedBits: number[];
  depth: number;
  leaf: LeafRef | null;
  proof: CoreProof;
}

export interface CommitSet {
  orphans: Uint8Array[];
  nodes: { digest: Uint8Array; encoding: NodeEncoding }[];
}

export type NodeLoader = (digest: Uint8Array) => Uint8Array | undefined;

export interface SmstCore {
  update(path: Uint8Array, payload: Uint8Array, handle: number): void;
  delete(path: Uint8Array): boolean;
  get(path: Uint8Array): LeafRef | null;
  root(): Uint8Array;
  prove(path: Uint8Array): CoreProof;
  proveClosest(path: Uint8Array): CoreClosestProof;
  commit(): CommitSet;
  import(root: Uint8Array): void;
  setLoader(loader: NodeLoader): void;
  dispose(): void;
}

/** Thrown when a persisted node cannot be loaded or parsed; the trie is left unchanged. */
export declare class SmtWasmNodeError extends Error {
  readonly kind: 'missing' | 'malformed' | 'loader';
  /** 48-byte digest of the node that was needed. */
  readonly digest: Uint8Array;
}

/** SHA-256 of one message (scalar WASM path). */
export declare function sha256(data: Uint8Array): Uint8Array;

/**
 * Proof verification's inner loop: folds the 48-byte digest `cur` up through `sides` (n·48 bytes,
 * deepest first) along `path` (32 bytes) and returns the 48-byte root it implies.
 */
export declare function foldProof(cur: Uint8Array, sides: Uint8Array, path: Uint8Array): Uint8Array;

/**
 * SHA-256 of many independent messages: returns n*32 bytes (digest i at i*32). Messages are
 * hashed four at a time in i32x4 lanes (any mix of lengths), the last n % 4 by the scalar path.
 */
export declare function sha256Batch(messages: Uint8Array[]): Uint8Array;

/**
 * One trie per instance, each in its own WebAssembly.Instance (own linear memory). Leaf
 * payloads are not kept: a leaf holds its path, 48-byte digest and the caller's handle.
 */
export declare class WasmSmstCore implements SmstCore {
  /**
   * expectedLeaves: grow linear memory once, up front, for about that many leaves
   * (~178 bytes each plus ~10 MiB). Every memory.grow makes V8 account external memory and
   * can start a full JS GC, which dominates fill time when the JS heap is large.
   *
   * batchInserts (default true): inserts only append to a pending-insert log that is applied
   * in one sorted batch when the structure is next needed (root, prove, proveClosest, get,
   * delete, commit, nodeCounts); false inserts one key at a time (same bytes, slower). After a
   * delete the core always inserts one at a time.
   *
   * threads: share large hash-job tables (key hashing, leaf flushes, root() levels) with one
   * worker thread per process (spawned lazily, unref'd, stopped ~1 s after the last threaded
   * core is disposed). Default: on when os.availableParallelism() >= 2 (env SMT_WASM_THREADS=0
   * or 1 overrides the default); false/0 forces one thread. Falls back silently to one thread
   * when worker_threads, SharedArrayBuffer or threads-WASM are unavailable or the worker fails.
   * Same bytes either way.
   *
   * splitMin (testing knob, default 256, env SMT_WASM_SPLIT_MIN): smallest table shared with
   * the worker, integer >= 4.
   */
  constructor(options?: { expectedLeaves?: number; batchInserts?: boolean; threads?: boolean | number; splitMin?: number });
  update(path: Uint8Array, payload: Uint8Array, handle: number): void;
  /** update() with path = SHA-256(key) computed inside WASM. */
  updateKey(key: Uint8Array, payload: Uint8Array, handle: number): void;
  /**
   * updateKey() with payload = value ‖ u64be(weightHi·2^32 + weightLo) ‖ u64be(1), assembled
   * by the glue (weightHi, weightLo: u32).
   */
  updateKeyValue(key: Uint8Array, value: Uint8Array, weightHi: number, weightLo: number, handle: number): void;
  /**
   * updateKey for every i, in order: keys are hashed in 4-lane SIMD batches, payloads are
   * staged and leaf-hashed lazily in SIMD batches. handles may be a Uint32Array or number[].
   * Reserves memory for keys.length more leaves in one memory.grow before inserting. With
   * batched inserts (the default) the keys are only logged; the trie is built when next read.
   * On an imported trie all nodes the batch needs are loaded before anything changes, so a
   * loader error leaves the trie unchanged.
   */
  updateMany(keys: Uint8Array[], payloads: Uint8Array[], handles: Uint32Array | ArrayLike<number>): void;
  /**
   * updateMany over packed input: `keys` = n·32-byte keys back to back, `payloads` = the n
   * payloads back to back, `ends[i]` = where payload i ends. Two copies into WASM per chunk
   * instead of two per item; same result and the same all-or-nothing behaviour.
   */
  updateManyPacked(keys: Uint8Array, payloads: Uint8Array, ends: Uint32Array | ArrayLike<number>, handles: Uint32Array | ArrayLike<number>): void;
  delete(path: Uint8Array): boolean;
  get(path: Uint8Array): LeafRef | null;
  root(): Uint8Array;
  prove(path: Uint8Array): CoreProof;
  /**
   * Go's ProveClosest. Where Go panics (post-delete shape, spec §8.2) this returns the
   * greedy result (the leaf minimising path XOR leafPath) instead of throwing.
   */
  proveClosest(path: Uint8Array): CoreClosestProof;
  commit(): CommitSet;
  import(root: Uint8Array): void;
  setLoader(loader: NodeLoader): void;
  dispose(): void;
  /** True while this core shares hashing with the worker thread (see `threads`). */
  threaded(): boolean;
  /** Pending-leaf tables the worker hashed in the background while inserts went on (diagnostics; 0 single-threaded). */
  backgroundTables(): number;
  /** Bytes of linear memory held by this core's WASM instance. */
  memoryBytes(): number;
  /** Live node slots: small = 64-byte inner nodes; large = 88-byte leaf/ext/lazy/loaded-inner. */
  nodeCounts(): { small: number; large: number };
}
