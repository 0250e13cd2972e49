// Thin ESM glue around smt_wasm_bg.wasm (AssemblyScript). Compiles the module once,
// synchronously; every WasmSmstCore gets its own instance (own linear memory), and one more
// instance serves the stand-alone SHA-256 functions.
import { readFileSync } from 'node:fs';

export const NO_HANDLE = 0xffffffff;

const COMMIT_CHUNK = 4096;
// Linear memory per leaf of a random trie: leaf 88 + inner 64 + ~0.25 extension of 88, plus slab
// rounding; and the fixed part: the 4 MiB pending arena (also the sort scratch of a batch),
// partly used slabs, key-hash and root() buffers. Reserving all of it in one memory.grow matters:
// every grow can start a full JS GC (see README).
const BYTES_PER_LEAF = 178;
const FIXED_BYTES = 7 << 20;
const reserveBytes = (leaves, staging) => Math.min(leaves * BYTES_PER_LEAF + FIXED_BYTES + staging, 0xfff00000);
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
function checkHandle(h) {
  if (!Number.isInteger(h) || h < 0 || h > 0xffffffff) {
    throw new RangeError(`handle must be an integer in [0, 2^32-1], got ${h}`);
  }
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

  /**
   * @param {{ expectedLeaves?: number, batchInserts?: boolean }} [options] expectedLeaves: grow
   *   linear memory once, up front, for about that many leaves (each memory.grow can trigger a
   *   full JS GC). batchInserts: false applies every insert at once, one at a time (the
   *   sequential path; same results, slower), default true.
   */
  constructor(options) {
    this.#ex = instantiate({
      loadNode: (p) => this.#loadNode(p),
      loadCopy: (p) => this.#u8().set(this.#pending, p),
    });
    // batchInserts (default true): inserts are logged and applied in sorted batches when the
    // structure is next needed; false forces one-at-a-time insertion (for differential tests)
    if (options?.batchInserts === false) this.#ex.batchInserts(0);
    const expected = options?.expectedLeaves;
    if (expected !== undefined) {
      if (!Number.isInteger(expected) || expected < 0) throw new RangeError('expectedLeaves must be a non-negative integer');
      // staging as for chunks of 32-byte keys and 116-byte payloads (see updateMany)
      this.#ex.reserve(reserveBytes(expected, 2 * MANY_CHUNK * (20 + 32 + 116)));
    }
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
    return { u8, dv: this.#dv, p: ex.output() };
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
    ex.reserve(reserveBytes(n, 2 * (maxChunk + MANY_CHUNK * 20)));
    if (this.#imported) {
      for (let s = 0, c = 0; s < n; s += MANY_CHUNK, c++) {
        this.#check(ex.resolveKeys(...this.#stage(keys, payloads, handles, s, Math.min(n, s + MANY_CHUNK), chunkBytes[c])));
      }
    }
    for (let s = 0, c = 0; s < n; s += MANY_CHUNK, c++) {
      this.#check(ex.updateMany(...this.#stage(keys, payloads, handles, s, Math.min(n, s + MANY_CHUNK), chunkBytes[c])));
    }
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
    this.#ex = null;
    this.#view = null;
    this.#dv = null;
    this.#inMax = -1;
    this.#loader = null;
    this.#pending = null;
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
