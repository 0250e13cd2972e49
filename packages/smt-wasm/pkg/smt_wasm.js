// Thin ESM glue around smt_wasm_bg.wasm (AssemblyScript). Compiles the module once,
// synchronously; every WasmSmstCore gets its own instance (own linear memory), and one more
// instance serves the stand-alone SHA-256 functions.
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';
import { Worker, MessageChannel } from 'node:worker_threads';

export const NO_HANDLE = 0xffffffff;

const COMMIT_CHUNK = 4096;
// Linear memory per leaf of a random trie: leaf 88 + inner 64 + ~0.25 extension of 88, plus slab
// rounding; and the fixed part: the 4 MiB pending arena (also the sort scratch of a batch),
// partly used slabs, key-hash and root() buffers, and in the threads build the spare arena
// (4 MiB) that takes inserts while the worker hashes the full one. Reserving all of it in one
// memory.grow matters: every grow can start a full JS GC (see README).
const BYTES_PER_LEAF = 178;
const FIXED_BYTES = 7 << 20;
const SPARE_ARENA_BYTES = 4 << 20;
const MANY_CHUNK = 8192;

let wasmModule = null;
function getModule() {
  if (wasmModule === null) {
    wasmModule = new WebAssembly.Module(readFileSync(new URL('./smt_wasm_bg.wasm', import.meta.url)));
  }
  return wasmModule;
}

function instantiate(host) {
  const inst = new WebAssembly.Instance(getModule(), {
    env: {
      loadNode: (p) => host.loadNode(p),
      loadCopy: (p) => host.loadCopy(p),
      abort: () => {
        throw new Error('smt-wasm: abort');
      },
    },
  });
  inst.exports.init();
  return inst.exports;
}

// ---- threads: hashing shared with one worker thread --------------------------------------
//
// A threaded core is an instance of smt_wasm_mt.wasm over its own shared WebAssembly.Memory.
// Large hash-job tables (leaf flushes, key hashing, root() levels) call env.hashStart: the table
// is offered to the pool's worker (smt_wasm_worker.js), which instantiates smt_wasm_hash_mt.wasm
// once per core memory; both threads take chunks from a counter in the core's memory, and
// env.hashWait returns once the worker has finished its last chunk (or never started: then the
// main thread simply did everything). See README "Threads".

/** Smallest job table that is shared with the worker (break-even measured: see README). */
const SPLIT_MIN = 256;
/** The worker finishes one chunk (≤ 64 hashes) once started: waiting longer means it is stuck. */
const WAIT_TIMEOUT_MS = 15000;
/** Idle time after the last threaded core is disposed before the worker is terminated. */
const LINGER_MS = 1000;
/** Dropped core memory after which the worker is replaced (see pool.forget). */
const RECYCLE_BYTES = 256 << 20;
/** Idle threaded instances kept for reuse by the next threaded core (see README "Threads"). */
const MAX_IDLE = 1;
// the threads build's declared memory (build.mjs: --initialMemory 2 --maximumMemory 65536)
const INITIAL_PAGES = 2;
const MAX_PAGES = 65536;

// control block (Int32Array over a SharedArrayBuffer): keep in sync with smt_wasm_worker.js
const BELL = 0, STATE = 1, MEM = 2, TABLE = 3, N = 4, CTR = 5, STATUS = 6, STOP = 7, READY = 8, MODE = 9;
const IDLE = 0, PENDING = 1, RUNNING = 2, DONE = 3;
// table mode of hash jobs offered in the background: the core goes on meanwhile and completes
// the table later (its joinBackground export)
const BACKGROUND = -2;

let mtModules; // undefined: not tried; null: unavailable; else { core, hash }
function threadModules() {
  if (mtModules === undefined) {
    try {
      if (typeof SharedArrayBuffer !== 'function' || typeof Atomics?.wait !== 'function') throw new Error('no SharedArrayBuffer');
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
      mtModules = {
        core: new WebAssembly.Module(readFileSync(new URL('./smt_wasm_mt.wasm', import.meta.url))),
        hash: new WebAssembly.Module(readFileSync(new URL('./smt_wasm_hash_mt.wasm', import.meta.url))),
      };
    } catch {
      mtModules = null;
    }
  }
  return mtModules;
}

function defaultThreads() {
  const env = typeof process !== 'undefined' ? process.env?.SMT_WASM_THREADS : undefined;
  if (env === '0' || env === 'false') return false;
  if (env === '1' || env === 'true') return true;
  try {
    return (typeof availableParallelism === 'function' ? availableParallelism() : cpus().length) >= 2;
  } catch {
    return false;
  }
}

// splitMin (testing knob): smallest job table shared with the worker, ≥ 4; env SMT_WASM_SPLIT_MIN
// sets the default (tests use a tiny value so that every table of every test is split)
function splitMinOf(v) {
  const env = typeof process !== 'undefined' ? process.env?.SMT_WASM_SPLIT_MIN : undefined;
  if (v === undefined && env !== undefined && env !== '') v = Number(env);
  if (v === undefined) return SPLIT_MIN;
  if (!Number.isInteger(v) || v < 4) throw new RangeError('splitMin must be an integer ≥ 4');
  return v;
}

/** One worker per JS thread, shared by every threaded core; spawned lazily, never keeps the process alive. */
const pool = {
  worker: null,
  ctl: null,
  port: null,
  failed: false,
  users: 0,
  nextId: 1,
  known: new Set(), // core ids whose memory the worker has been sent
  dropped: 0, // bytes of dropped core memories the current worker may still hold
  lingerTimer: null,
  error: null,
  background: null, // { ex, ctl }: the core whose background table the worker was offered, and on which control block

  /** A threaded core was created: make sure the worker is (being) started. */
  acquire() {
    this.users++;
    if (this.lingerTimer !== null) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = null;
    }
    if (this.worker === null && !this.failed) this.spawn();
  },

  /** A threaded core was disposed (its instance went idle, or `bytes` of memory were dropped). */
  release(dropId, bytes) {
    if (dropId !== 0) this.forget(dropId, bytes);
    if (--this.users === 0 && this.lingerTimer === null) {
      this.lingerTimer = setTimeout(() => {
        this.lingerTimer = null;
        if (this.users !== 0) return;
        idle.length = 0;
        this.stop();
      }, LINGER_MS);
      this.lingerTimer.unref?.();
    }
  },

  /**
   * The worker drops its instance on a dropped core memory. Its JS heap hardly allocates, so it
   * would hardly ever collect that memory: after RECYCLE_BYTES of dropped memory the worker is
   * replaced (its isolate's teardown frees them; the next table starts a new one).
   */
  forget(id, bytes) {
    if (!this.known.delete(id) || this.worker === null) return;
    this.port.postMessage({ drop: id });
    this.ring();
    this.dropped += bytes;
    if (this.dropped >= RECYCLE_BYTES) this.stop();
  },

  spawn() {
    try {
      const { port1, port2 } = new MessageChannel();
      const ctl = new Int32Array(new SharedArrayBuffer(64));
      const worker = new Worker(new URL('./smt_wasm_worker.js', import.meta.url), {
        workerData: { ctl: ctl.buffer, module: threadModules().hash, port: port2 },
        transferList: [port2],
        // plain JS + WASM: none of the parent's flags (`-e`, loaders, --input-type, …) apply
        execArgv: [],
        stdout: false,
        stderr: false,
      });
      worker.unref();
      port1.unref?.();
      worker.on('error', (e) => this.fail(e));
      worker.on('exit', () => {
        if (this.worker === worker) this.fail(new Error('smt-wasm: hashing worker exited'));
      });
      this.worker = worker;
      this.ctl = ctl;
      this.port = port1;
    } catch (e) {
      this.fail(e);
    }
  },

  ring() {
    Atomics.add(this.ctl, BELL, 1);
    Atomics.notify(this.ctl, BELL);
  },

  stop() {
    const { worker, ctl, port } = this;
    this.worker = null;
    this.ctl = null;
    this.port = null;
    this.known.clear();
    this.dropped = 0;
    if (worker === null) return;
    Atomics.store(ctl, STOP, 1);
    Atomics.add(ctl, BELL, 1);
    Atomics.notify(ctl, BELL);
    port.close();
    worker.terminate().catch(() => {});
  },

  /** The worker is unusable: every core hashes on its own thread from now on. */
  fail(e) {
    if (this.failed) return;
    this.failed = true;
    this.error = e;
    this.stop();
  },

  /**
   * env.hashStart of core `id`: 1 if the worker was offered the table (mode -1: hash jobs;
   * BACKGROUND: hash jobs, completed later by `ex.joinBackground()`; a depth: a root() level list).
   */
  start(id, memory, table, n, ctr, mode, ex) {
    // one table at a time in the control block: another core's background table is completed
    // first (a core completes its own before it offers another)
    if (this.background !== null && this.background.ex !== ex) this.background.ex.joinBackground();
    if (this.worker === null && !this.failed) this.spawn();
    const ctl = this.ctl;
    if (ctl === null || Atomics.load(ctl, READY) === 0) return 0; // still booting: stay local
    if (!this.known.has(id)) {
      this.port.postMessage({ add: id, memory });
      this.known.add(id);
    }
    ctl[MEM] = id;
    ctl[TABLE] = table;
    ctl[N] = n;
    ctl[CTR] = ctr;
    ctl[MODE] = mode;
    ctl[STATUS] = 0;
    Atomics.store(ctl, STATE, PENDING);
    this.ring();
    if (mode === BACKGROUND) this.background = { ex, ctl };
    return 1;
  },

  /**
   * env.hashWait: the main thread has taken its last chunk. If the worker never picked the
   * table up, withdraw it; otherwise wait for its current chunk. A failed or stuck worker
   * disables threading and the work is done again here (a job table: hashed again; a root()
   * level: the whole level walk again), so the operation still completes with the right bytes.
   */
  finish(ex, table, n, mode) {
    const ctl = this.ctl;
    if (mode === BACKGROUND) {
      const offeredOn = this.background?.ctl;
      this.background = null;
      if (offeredOn !== ctl) {
        // the worker that held it was stopped meanwhile: what it left undone is hashed here,
        // the whole table again (hashing is idempotent)
        ex.hashJobs(table, n);
        return;
      }
    }
    if (Atomics.compareExchange(ctl, STATE, PENDING, IDLE) === PENDING) return;
    const deadline = performance.now() + WAIT_TIMEOUT_MS;
    let state;
    while ((state = Atomics.load(ctl, STATE)) === RUNNING) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      Atomics.wait(ctl, STATE, RUNNING, left);
    }
    const status = ctl[STATUS];
    Atomics.store(ctl, STATE, IDLE);
    if (state === DONE && status === 0) return;
    const why = state !== DONE ? `no answer within ${WAIT_TIMEOUT_MS} ms` : `worker error ${status}`;
    this.fail(new Error(`smt-wasm: hashing worker failed (${why})`));
    ex.splitJobs(0);
    // hash jobs can simply run again; a root() level cannot (extension steps hash their own
    // running digest), so the core redoes every level of that root() on its own
    if (mode < 0) ex.hashJobs(table, n);
    else ex.failLevel();
    threadWarning(this.error);
  },
};

let warned = false;
function threadWarning(e) {
  if (warned) return;
  warned = true;
  try {
    process.emitWarning(`${e?.message ?? e}; smt-wasm continues single-threaded`, 'SmtWasmThreadsWarning');
  } catch {
    // no process: nothing to report to
  }
}

// Threaded instances of disposed cores, reset and handed to the next threaded core. A shared
// WebAssembly.Memory is freed only once the main thread's and the worker's JS heaps have both
// collected it, and V8 does not count it as external memory, so nothing prompts those GCs:
// reusing the memory keeps a create/dispose cycle from piling memories up.
const idle = [];
let nextThreadId = 1;
const deadHost = { loadNode: () => -2, loadCopy: () => {} };

/** A threaded core's instance ({ ex, memory, id, slot }), or null when threads are unavailable. */
function instantiateThreaded(host, splitMin) {
  const mods = threadModules();
  if (mods === null || pool.failed) return null;
  let t = idle.pop();
  if (t === undefined) {
    let memory;
    try {
      memory = new WebAssembly.Memory({ initial: INITIAL_PAGES, maximum: MAX_PAGES, shared: true });
    } catch {
      return null;
    }
    const id = nextThreadId++;
    const slot = { host };
    let inst = null;
    let table = 0, n = 0, mode = -1;
    inst = new WebAssembly.Instance(mods.core, {
      env: {
        memory,
        loadNode: (p) => slot.host.loadNode(p),
        loadCopy: (p) => slot.host.loadCopy(p),
        hashStart: (tb, k, ctr, m) => {
          if (pool.failed) {
            inst.exports.splitJobs(0);
            return 0;
          }
          table = tb;
          n = k;
          mode = m;
          return pool.start(id, memory, tb, k, ctr, m, inst.exports);
        },
        hashWait: () => pool.finish(inst.exports, table, n, mode),
        abort: () => {
          throw new Error('smt-wasm: abort');
        },
      },
    });
    t = { ex: inst.exports, memory, id, slot };
  } else {
    t.slot.host = host;
  }
  // a reused instance starts over exactly like import(): allocator, trie, log, proofs reset
  t.ex.init();
  t.ex.batchInserts(1);
  t.ex.splitJobs(splitMin);
  pool.acquire();
  return t;
}

/** dispose() of a threaded core: its instance goes idle (for reuse) or is dropped. */
function releaseThreaded(t) {
  t.ex.joinBackground();
  t.slot.host = deadHost;
  if (idle.length < MAX_IDLE && !pool.failed) {
    idle.push(t);
    pool.release(0, 0);
  } else {
    pool.release(t.id, t.memory.buffer.byteLength);
  }
}

// a threaded core dropped without dispose(): let the worker forget its memory
const threadedCores =
  typeof FinalizationRegistry === 'function' ? new FinalizationRegistry(({ id, memory }) => pool.release(id, memory.buffer.byteLength)) : null;

/** A node needed by an operation could not be loaded; the trie is unchanged. */
export class SmtWasmNodeError extends Error {
  constructor(kind, digest, message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'SmtWasmNodeError';
    /** 'missing' | 'malformed' | 'loader' */
    this.kind = kind;
    /** 48-byte digest of the node */
    this.digest = digest;
  }
}

const hex = (b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

function checkBytes(name, v, len) {
  if (!(v instanceof Uint8Array)) throw new TypeError(`${name} must be a Uint8Array`);
  if (len !== undefined && v.length !== len) {
    throw new RangeError(`${name} must be ${len} bytes, got ${v.length}`);
  }
}
function checkPayload(v) {
  if (!(v instanceof Uint8Array)) throw new TypeError('payload must be a Uint8Array');
  if (v.length < 16) throw new RangeError(`payload must be at least 16 bytes, got ${v.length}`);
}
// updateKeyValue's assembly buffer (one per module: every use is synchronous)
let staging = new Uint8Array(1024);

function checkU32(name, v) {
  if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw new RangeError(`${name} must be an integer in [0, 2^32-1], got ${v}`);
  }
}
function checkHandle(h) {
  checkU32('handle', h);
}

// ---- stand-alone hashing ---------------------------------------------------------------

let hashEx = null;
let hashView = null;
function hashExports() {
  if (hashEx === null) {
    hashEx = instantiate({ loadNode: () => -2, loadCopy: () => {} });
  }
  return hashEx;
}
function viewOf(ex, cached) {
  return cached !== null && cached.buffer === ex.memory.buffer ? cached : new Uint8Array(ex.memory.buffer);
}

/** SHA-256 of one message (scalar path). */
export function sha256(data) {
  checkBytes('data', data);
  const ex = hashExports();
  const p = ex.input(data.length + 32);
  hashView = viewOf(ex, hashView);
  hashView.set(data, p);
  ex.sha256(p, data.length, p + data.length);
  return hashView.slice(p + data.length, p + data.length + 32);
}

/**
 * Proof verification's inner loop (spec §9.5): `cur` is the 48-byte digest at the deepest level,
 * `sides` the n side nodes (n·48 bytes, deepest first), `path` 32 bytes whose bit (n-1-i) picks
 * the side of level i. Returns the 48-byte root the proof implies.
 */
export function foldProof(cur, sides, path) {
  checkBytes('cur', cur);
  checkBytes('sides', sides);
  checkBytes('path', path);
  if (cur.length !== 48) throw new RangeError(`cur must be 48 bytes, got ${cur.length}`);
  if (sides.length % 48 !== 0 || sides.length > 256 * 48) throw new RangeError(`sides must be at most 256 digests of 48 bytes, got ${sides.length} bytes`);
  if (path.length !== 32) throw new RangeError(`path must be 32 bytes, got ${path.length}`);
  const ex = hashExports();
  const p = ex.input(48 + sides.length + 32 + 48);
  hashView = viewOf(ex, hashView);
  hashView.set(cur, p);
  hashView.set(sides, p + 48);
  const pathAt = p + 48 + sides.length;
  hashView.set(path, pathAt);
  ex.foldProof(p, p + 48, sides.length / 48, pathAt, pathAt + 32);
  return hashView.slice(pathAt + 32, pathAt + 80);
}

/** SHA-256 of each message; returns n*32 bytes. Four messages at a time run in SIMD lanes. */
export function sha256Batch(messages) {
  if (!Array.isArray(messages)) throw new TypeError('messages must be an array of Uint8Array');
  let total = 0;
  for (const m of messages) {
    checkBytes('message', m);
    total += m.length;
  }
  const n = messages.length;
  const ex = hashExports();
  const base = ex.input(total + n * 44 + 16);
  hashView = viewOf(ex, hashView);
  const table = base;
  const outs = base + n * 12;
  const dv = new DataView(ex.memory.buffer);
  let at = outs + n * 32;
  for (let i = 0; i < n; i++) {
    const m = messages[i];
    hashView.set(m, at);
    dv.setUint32(table + i * 12, at, true);
    dv.setUint32(table + i * 12 + 4, m.length, true);
    dv.setUint32(table + i * 12 + 8, outs + i * 32, true);
    at += m.length;
  }
  ex.hashJobs(table, n);
  return new Uint8Array(ex.memory.buffer).slice(outs, outs + n * 32);
}

// ---- the trie core ---------------------------------------------------------------------

export class WasmSmstCore {
  #ex;
  #view = null;
  #dv = null;
  // staging pointer for inputs of up to #inMax bytes (WASM keeps its input buffer until a
  // larger one is asked for; import() resets it)
  #inPtr = 0;
  #inMax = -1;
  #loader = null;
  #pending = null;
  #failure = null;
  #imported = false;
  #threaded = null;

  /**
   * @param {{ expectedLeaves?: number, batchInserts?: boolean }} [options] expectedLeaves: grow
   *   linear memory once, up front, for about that many leaves (each memory.grow can trigger a
   *   full JS GC). batchInserts: false applies every insert at once, one at a time (the
   *   sequential path; same results, slower), default true.
   */
  constructor(options) {
    const host = {
      loadNode: (p) => this.#loadNode(p),
      loadCopy: (p) => this.#u8().set(this.#pending, p),
    };
    // threads: hash large job tables on this thread and one shared worker thread (default: when
    // at least 2 CPUs are available; env SMT_WASM_THREADS=0/1 overrides the default); false/0
    // forces one thread. Falls back to one thread when workers or shared memory are unavailable.
    const t = options?.threads;
    const wantThreads = t === undefined ? defaultThreads() : t === true || (typeof t === 'number' && t >= 2);
    const threaded = wantThreads ? instantiateThreaded(host, splitMinOf(options?.splitMin)) : null;
    if (threaded !== null) {
      this.#ex = threaded.ex;
      this.#threaded = threaded;
      threadedCores?.register(this, { id: threaded.id, memory: threaded.memory }, this);
    } else {
      this.#ex = instantiate(host);
    }
    // batchInserts (default true): inserts are logged and applied in sorted batches when the
    // structure is next needed; false forces one-at-a-time insertion (for differential tests)
    if (options?.batchInserts === false) this.#ex.batchInserts(0);
    const expected = options?.expectedLeaves;
    if (expected !== undefined) {
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError('expectedLeaves must be a non-negative integer');
      // staging as for chunks of 32-byte keys and 116-byte payloads (see updateMany)
      this.#ex.reserve(this.#reserveBytes(expected, 2 * MANY_CHUNK * (20 + 32 + 116)));
    }
  }

  #reserveBytes(leaves, stagingBytes) {
    const fixed = FIXED_BYTES + (this.#threaded !== null ? SPARE_ARENA_BYTES : 0);
    return Math.min(leaves * BYTES_PER_LEAF + fixed + stagingBytes, 0xfff00000);
  }

  #alive() {
    if (this.#ex === null) throw new Error('WasmSmstCore: used after dispose()');
    return this.#ex;
  }

  #u8() {
    const buf = this.#ex.memory.buffer;
    if (this.#view === null || this.#view.buffer !== buf) {
      this.#view = new Uint8Array(buf);
      this.#dv = new DataView(buf);
    }
    return this.#view;
  }

  #loadNode(p) {
    const digest = this.#u8().slice(p, p + 48);
    this.#pending = null;
    if (this.#loader === null) {
      this.#failure = new SmtWasmNodeError('loader', digest, 'WasmSmstCore: a persisted node is needed but no loader is set');
      return -2;
    }
    let r;
    try {
      r = this.#loader(digest);
    } catch (e) {
      this.#failure = new SmtWasmNodeError('loader', digest, `WasmSmstCore: loader failed for node ${hex(digest)}: ${e?.message ?? e}`, e);
      return -2;
    }
    if (r === undefined || r === null) {
      this.#failure = new SmtWasmNodeError('missing', digest, `WasmSmstCore: node ${hex(digest)} is missing from the store`);
      return -1;
    }
    if (!(r instanceof Uint8Array)) {
      this.#failure = new SmtWasmNodeError('malformed', digest, `WasmSmstCore: loader returned a non-Uint8Array for node ${hex(digest)}`);
      return -3;
    }
    this.#failure = new SmtWasmNodeError('malformed', digest, `WasmSmstCore: node ${hex(digest)} has an unparsable preimage (${r.length} bytes)`);
    this.#pending = r;
    return r.length;
  }

  #check(st) {
    if (st >= 0) return st;
    const f = this.#failure;
    this.#failure = null;
    this.#pending = null;
    throw f ?? new SmtWasmNodeError('malformed', new Uint8Array(48), `WasmSmstCore: node load failed (${st})`);
  }

  #input(n) {
    if (n <= this.#inMax) return this.#inPtr;
    this.#inPtr = this.#alive().input(n);
    this.#inMax = n;
    return this.#inPtr;
  }

  #leafRef(u8, dv, p) {
    return { path: u8.slice(p, p + 32), digest: u8.slice(p + 32, p + 80), handle: dv.getUint32(p + 80, true) };
  }

  /** Reads a proof record at p; returns [proof, next offset]. */
  #readProof(u8, dv, p) {
    const n = dv.getUint32(p, true);
    p += 4;
    const sideNodes = new Array(n);
    for (let i = 0; i < n; i++, p += 48) sideNodes[i] = u8.slice(p, p + 48);
    let nonMembershipLeaf = null;
    if (u8[p++] === 1) {
      nonMembershipLeaf = this.#leafRef(u8, dv, p);
      p += 84;
    }
    let sibling = null;
    const sk = u8[p++];
    if (sk === 1) {
      sibling = { kind: 'leaf', leaf: this.#leafRef(u8, dv, p) };
      p += 84;
    } else if (sk === 2) {
      const len = dv.getUint32(p, true);
      sibling = { kind: 'node', preimage: u8.slice(p + 4, p + 4 + len) };
      p += 4 + len;
    }
    return [{ sideNodes, nonMembershipLeaf, sibling }, p];
  }

  #out() {
    const ex = this.#ex;
    const u8 = this.#u8();
    const p = ex.output();
    return { u8, dv: this.#dv, p };
  }

  update(path, payload, handle) {
    checkBytes('path', path, 32);
    checkPayload(payload);
    checkHandle(handle);
    const p = this.#input(32 + payload.length);
    const u8 = this.#u8();
    u8.set(path, p);
    u8.set(payload, p + 32);
    this.#check(this.#ex.update(p, p + 32, payload.length, handle >>> 0));
  }

  /** Like update, with path = SHA-256(key) computed inside WASM. */
  updateKey(key, payload, handle) {
    checkBytes('key', key);
    checkPayload(payload);
    checkHandle(handle);
    const p = this.#input(key.length + payload.length);
    const u8 = this.#u8();
    u8.set(key, p);
    u8.set(payload, p + key.length);
    this.#check(this.#ex.updateKey(p, key.length, p + key.length, payload.length, handle >>> 0));
  }

  /**
   * updateKey with payload = value ‖ u64be(weight) ‖ u64be(1), weight = hi·2^32 + lo: the
   * payload is assembled here, so the caller needs no buffer of its own.
   */
  updateKeyValue(key, value, weightHi, weightLo, handle) {
    checkBytes('key', key);
    checkBytes('value', value);
    checkU32('weightHi', weightHi);
    checkU32('weightLo', weightLo);
    checkHandle(handle);
    const k = key.length;
    const t = k + value.length;
    const p = this.#input(t + 16);
    // Assembled in a private array and copied in once: measured faster than three copies into
    // WASM memory (by ~60 ns per call over 100k calls).
    if (staging.length < t + 16) staging = new Uint8Array(Math.max(t + 16, 2 * staging.length));
    const st = staging;
    st.set(key, 0);
    st.set(value, k);
    st[t] = weightHi >>> 24; st[t + 1] = weightHi >>> 16; st[t + 2] = weightHi >>> 8; st[t + 3] = weightHi;
    st[t + 4] = weightLo >>> 24; st[t + 5] = weightLo >>> 16; st[t + 6] = weightLo >>> 8; st[t + 7] = weightLo;
    st.fill(0, t + 8, t + 15);
    st[t + 15] = 1;
    this.#u8().set(st.subarray(0, t + 16), p);
    this.#check(this.#ex.updateKey(p, k, p + k, value.length + 16, handle >>> 0));
  }

  /**
   * updateKey for many items, in order. Keys are hashed in 4-lane SIMD batches. On an
   * imported trie every node the batch needs is loaded first, so a loader error leaves the
   * trie unchanged.
   */
  updateMany(keys, payloads, handles) {
    if (!Array.isArray(keys) || !Array.isArray(payloads)) throw new TypeError('keys and payloads must be arrays');
    const n = keys.length;
    if (payloads.length !== n || handles.length !== n) {
      throw new RangeError('keys, payloads and handles must have the same length');
    }
    // validate everything first (bad input changes nothing); the same pass sums each chunk's
    // key and payload bytes, so staging reads every item only once more
    const chunkBytes = [];
    let acc = 0;
    for (let i = 0, c = 0; i < n; i++) {
      const k = keys[i];
      const v = payloads[i];
      checkBytes('key', k);
      checkPayload(v);
      checkHandle(handles[i]);
      acc += k.length + v.length;
      if (++c === MANY_CHUNK || i + 1 === n) {
        chunkBytes.push(acc);
        acc = 0;
        c = 0;
      }
    }
    const ex = this.#alive();
    // one grow for the whole batch instead of many (see constructor)
    let maxChunk = 0;
    for (const b of chunkBytes) if (b > maxChunk) maxChunk = b;
    ex.reserve(this.#reserveBytes(n, 2 * (maxChunk + MANY_CHUNK * 20)));
    if (this.#imported) {
      for (let s = 0, c = 0; s < n; s += MANY_CHUNK, c++) {
        this.#check(ex.resolveKeys(...this.#stage(keys, payloads, handles, s, Math.min(n, s + MANY_CHUNK), chunkBytes[c])));
      }
    }
    for (let s = 0, c = 0; s < n; s += MANY_CHUNK, c++) {
      this.#check(ex.updateMany(...this.#stage(keys, payloads, handles, s, Math.min(n, s + MANY_CHUNK), chunkBytes[c])));
    }
  }

  /**
   * updateMany over packed input, for callers that already hold their batch in two buffers:
   * `keys` = n·32-byte keys back to back, `payloads` = the n payloads back to back, `ends[i]` =
   * where payload i ends in `payloads`. Same result as updateMany; two copies into WASM per
   * chunk instead of two per item.
   */
  updateManyPacked(keys, payloads, ends, handles) {
    checkBytes('keys', keys);
    checkBytes('payloads', payloads);
    const n = ends.length;
    if (keys.length !== n * 32) throw new RangeError(`keys must be ${n} 32-byte keys (${n * 32} bytes), got ${keys.length}`);
    if (handles.length !== n) throw new RangeError('ends and handles must have the same length');
    for (let i = 0, prev = 0; i < n; i++) {
      const end = ends[i];
      if (!Number.isInteger(end) || end - prev < 16 || end > payloads.length) {
        throw new RangeError(`payload ${i} must be at least 16 bytes and inside payloads (ends at ${end})`);
      }
      checkHandle(handles[i]);
      prev = end;
    }
    if (n > 0 && ends[n - 1] !== payloads.length) throw new RangeError('ends must cover payloads exactly');
    const ex = this.#alive();
    let maxChunk = 0;
    for (let s = 0; s < n; s += MANY_CHUNK) {
      const to = Math.min(n, s + MANY_CHUNK);
      maxChunk = Math.max(maxChunk, (to - s) * 32 + ends[to - 1] - (s ? ends[s - 1] : 0));
    }
    ex.reserve(this.#reserveBytes(n, 2 * (maxChunk + MANY_CHUNK * 20)));
    const stage = (s, to) => {
      const m = to - s;
      const p0 = s ? ends[s - 1] : 0;
      const p1 = ends[to - 1];
      const base = this.#input(m * 20 + m * 32 + (p1 - p0));
      const u8 = this.#u8();
      const keyAt = base + m * 20;
      const payAt = keyAt + m * 32;
      u8.set(keys.subarray(s * 32, to * 32), keyAt);
      u8.set(payloads.subarray(p0, p1), payAt);
      const t = new Uint32Array(u8.buffer, base, m * 5);
      for (let i = s, j = 0, prev = p0; i < to; i++, j += 5) {
        t[j] = keyAt + (i - s) * 32;
        t[j + 1] = 32;
        t[j + 2] = payAt + (prev - p0);
        t[j + 3] = ends[i] - prev;
        t[j + 4] = handles[i] >>> 0;
        prev = ends[i];
      }
      return [base, m];
    };
    if (this.#imported) {
      for (let s = 0; s < n; s += MANY_CHUNK) this.#check(ex.resolveKeys(...stage(s, Math.min(n, s + MANY_CHUNK))));
    }
    for (let s = 0; s < n; s += MANY_CHUNK) this.#check(ex.updateMany(...stage(s, Math.min(n, s + MANY_CHUNK))));
  }

  #stage(keys, payloads, handles, from, to, itemBytes) {
    const n = to - from;
    const base = this.#input(n * 20 + itemBytes);
    const u8 = this.#u8();
    const t = new Uint32Array(u8.buffer, base, n * 5);
    let at = base + n * 20;
    for (let i = from, j = 0; i < to; i++, j += 5) {
      const k = keys[i];
      const v = payloads[i];
      u8.set(k, at);
      t[j] = at;
      t[j + 1] = k.length;
      at += k.length;
      u8.set(v, at);
      t[j + 2] = at;
      t[j + 3] = v.length;
      at += v.length;
      t[j + 4] = handles[i] >>> 0;
    }
    return [base, n];
  }

  delete(path) {
    checkBytes('path', path, 32);
    const p = this.#input(32);
    this.#u8().set(path, p);
    return this.#check(this.#ex.remove(p)) === 1;
  }

  get(path) {
    checkBytes('path', path, 32);
    const p = this.#input(32);
    this.#u8().set(path, p);
    if (this.#check(this.#ex.get(p)) !== 1) return null;
    const o = this.#out();
    return this.#leafRef(o.u8, o.dv, o.p);
  }

  root() {
    const p = this.#alive().rootDigest();
    return this.#u8().slice(p, p + 48);
  }

  prove(path) {
    checkBytes('path', path, 32);
    const p = this.#input(32);
    this.#u8().set(path, p);
    this.#check(this.#ex.prove(p));
    const o = this.#out();
    return this.#readProof(o.u8, o.dv, o.p)[0];
  }

  proveClosest(path) {
    checkBytes('path', path, 32);
    const p = this.#input(32);
    this.#u8().set(path, p);
    this.#check(this.#ex.proveClosest(p));
    const { u8, dv, p: o } = this.#out();
    let q = o;
    const nf = dv.getUint32(q, true);
    q += 4;
    const flippedBits = new Array(nf);
    for (let i = 0; i < nf; i++, q += 4) flippedBits[i] = dv.getUint32(q, true);
    const depth = dv.getUint32(q, true);
    q += 4;
    let leaf = null;
    if (u8[q++] === 1) {
      leaf = this.#leafRef(u8, dv, q);
      q += 84;
    }
    const [proof] = this.#readProof(u8, dv, q);
    return { flippedBits, depth, leaf, proof };
  }

  commit() {
    const ex = this.#alive();
    const no = ex.orphans();
    let { u8, p } = this.#out();
    const orphans = new Array(no);
    for (let i = 0; i < no; i++) orphans[i] = u8.slice(p + i * 48, p + i * 48 + 48);
    ex.commitStart();
    const nodes = [];
    for (;;) {
      const k = ex.commitChunk(COMMIT_CHUNK);
      if (k === 0) break;
      const o = this.#out();
      u8 = o.u8;
      p = o.p;
      for (let i = 0; i < k; i++) {
        const kind = u8[p];
        const digest = u8.slice(p + 1, p + 49);
        p += 49;
        if (kind === 0) {
          nodes.push({ digest, encoding: { kind: 'leaf', leaf: { path: u8.slice(p, p + 32), digest, handle: o.dv.getUint32(p + 32, true) } } });
          p += 36;
        } else {
          const len = kind === 1 ? 113 : 99;
          nodes.push({ digest, encoding: { kind: 'node', preimage: u8.slice(p, p + len) } });
          p += len;
        }
      }
    }
    return { orphans, nodes };
  }

  import(root) {
    checkBytes('root', root, 48);
    const p = this.#input(48);
    this.#u8().set(root, p);
    this.#ex.importRoot(p);
    this.#inMax = -1; // the reset forgot the input buffer
    this.#imported = root.some((b) => b !== 0);
  }

  setLoader(loader) {
    if (typeof loader !== 'function') throw new TypeError('loader must be a function');
    this.#alive();
    this.#loader = loader;
  }

  dispose() {
    if (this.#threaded !== null) {
      threadedCores?.unregister(this);
      releaseThreaded(this.#threaded);
      this.#threaded = null;
    }
    this.#ex = null;
    this.#view = null;
    this.#dv = null;
    this.#inMax = -1;
    this.#loader = null;
    this.#pending = null;
  }

  /** True when this core shares its hashing with the worker thread (see `threads`). */
  threaded() {
    return this.#threaded !== null && !pool.failed;
  }

  /** Pending-leaf tables the worker hashed in the background while inserts went on (diagnostics). */
  backgroundTables() {
    return this.#alive().backgroundTables();
  }

  /** Bytes of WASM linear memory held by this core. */
  memoryBytes() {
    return this.#alive().memory.buffer.byteLength;
  }

  /** Live node slots: 64-byte (inner) and 88-byte (leaf, extension, lazy, loaded inner). */
  nodeCounts() {
    const ex = this.#alive();
    return { small: ex.nodeCount64(), large: ex.nodeCount88() };
  }
}
