// Thin ESM glue around secp_wasm_bg.wasm (AssemblyScript). The module is compiled once,
// synchronously; every engine is its own instance (own linear memory, own table layout).
// Handles, reference counts and input checks live here; the module only sees table pointers.
import { readFileSync } from 'node:fs';

const ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const G_COMPRESSED = hexBytes('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798');

const DEFAULT_TEETH = 8;
const DEFAULT_SPACING = 8;

let wasmModule = null;
function getModule() {
  if (wasmModule === null) {
    wasmModule = new WebAssembly.Module(readFileSync(new URL('./secp_wasm_bg.wasm', import.meta.url)));
  }
  return wasmModule;
}

function hexBytes(h) {
  const b = new Uint8Array(h.length / 2);
  for (let i = 0; i < b.length; i++) b[i] = parseInt(h.slice(2 * i, 2 * i + 2), 16);
  return b;
}

function be32(v) {
  const b = new Uint8Array(32);
  for (let i = 31; i >= 0; i--, v >>= 8n) b[i] = Number(v & 0xffn);
  return b;
}

/**
 * Every table entry is m·P for a fixed integer m of the layout; m ≡ 0 (mod n) would make the
 * entry infinity for every base. Impossible when the layout spans exactly 256 bits (see
 * assembly/comb.ts), but wider layouts are checked here rather than argued.
 */
function checkLayout(teeth, spacing, blocks) {
  const ent = 1 << (teeth - 1);
  for (let b = 0; b < blocks; b++) {
    const pos = (j) => BigInt(b * teeth * spacing + j * spacing);
    const top = 1n << pos(teeth - 1);
    for (let m = 0; m < ent; m++) {
      let v = top;
      for (let j = 0; j < teeth - 1; j++) v += ((m >> j) & 1 ? 1n : -1n) << pos(j);
      if (((v % ORDER) + ORDER) % ORDER === 0n) throw new RangeError(`secp-wasm: layout teeth=${teeth} spacing=${spacing} has an infinite table entry`);
    }
  }
}

function isBytes(v, n) {
  return v instanceof Uint8Array && v.length === n;
}

function checkBytes(v, n, what) {
  if (!isBytes(v, n)) throw new TypeError(`secp-wasm: ${what} must be a Uint8Array of ${n} bytes`);
}

export class SecpRingEngine {
  /** Handle of the generator G: always available, never released. */
  static G = 0;

  constructor(opts = {}) {
    const teeth = opts.teeth ?? DEFAULT_TEETH;
    const spacing = opts.spacing ?? DEFAULT_SPACING;
    if (!Number.isInteger(teeth) || teeth < 2 || teeth > 10) throw new RangeError('secp-wasm: teeth must be an integer in 2..10');
    if (!Number.isInteger(spacing) || spacing < 1 || spacing > 32) throw new RangeError('secp-wasm: spacing must be an integer in 1..32');
    const blocks = Math.ceil(256 / (teeth * spacing));
    if (blocks * teeth * spacing !== 256) checkLayout(teeth, spacing, blocks);
    this.teeth = teeth;
    this.spacing = spacing;
    this.blocks = blocks;

    const ex = new WebAssembly.Instance(getModule(), {
      env: {
        abort: () => {
          throw new Error('secp-wasm: abort');
        },
      },
    }).exports;
    this._ex = ex;
    this._io = ex.io();
    this._views();
    const width = BigInt(blocks * teeth * spacing);
    this._u8.set(be32(((1n << width) - 1n) % ORDER), this._io);
    const bytes = ex.configure(teeth, spacing, blocks);
    if (bytes === 0) throw new RangeError('secp-wasm: out of memory');
    /** Table bytes per base (blocks · 2^(teeth−1) · 64). */
    this.bytesPerBase = bytes;
    this._views();

    this._ptr = []; // handle → table pointer (0: free handle)
    this._refs = [];
    this._keys = [];
    this._freeHandles = [];
    this._byKey = new Map();
    const g = this.addBase(G_COMPRESSED);
    if (g !== SecpRingEngine.G) throw new Error('secp-wasm: generator table failed');
  }

  _views() {
    const buf = this._ex.memory.buffer;
    this._u8 = new Uint8Array(buf);
    this._in = this._u8.subarray(this._io, this._io + 64);
    this._out = this._u8.subarray(this._io + 64, this._io + 130);
    this._out33 = this._u8.subarray(this._io + 64, this._io + 97);
  }

  _alive() {
    if (this._ex === null) throw new Error('secp-wasm: engine disposed');
  }

  _table(h) {
    const p = this._ptr[h];
    if (p === undefined || p === 0) throw new RangeError(`secp-wasm: ${h} is not a live base handle`);
    return p;
  }

  /**
   * Builds (or shares) the tables of a compressed point. Returns its handle, or −1 when the
   * bytes are not a valid compressed point. The same point added again returns the same
   * handle with one more reference: every addBase needs one releaseBase.
   */
  addBase(compressed33) {
    this._alive();
    if (!(compressed33 instanceof Uint8Array)) throw new TypeError('secp-wasm: base must be a Uint8Array');
    if (compressed33.length !== 33) return -1;
    const key = Buffer.from(compressed33.buffer, compressed33.byteOffset, 33).toString('latin1');
    const known = this._byKey.get(key);
    if (known !== undefined) {
      if (known !== SecpRingEngine.G) this._refs[known]++;
      return known;
    }
    this._u8.set(compressed33, this._io + 160);
    const tab = this._ex.addBase();
    this._views(); // the table may have grown memory
    if (tab === 0) return -1;
    if (tab === 1) throw new RangeError('secp-wasm: out of memory');
    if (tab === 2) throw new Error('secp-wasm: infinite table entry');
    const h = this._freeHandles.length > 0 ? this._freeHandles.pop() : this._ptr.length;
    this._ptr[h] = tab;
    this._refs[h] = 1;
    this._keys[h] = key;
    this._byKey.set(key, h);
    return h;
  }

  /** Drops one reference; the table goes back to the pool with the last one. G is never released. */
  releaseBase(handle) {
    this._alive();
    const tab = this._table(handle);
    if (handle === SecpRingEngine.G) return;
    if (--this._refs[handle] > 0) return;
    this._ex.releaseBase(tab);
    this._ptr[handle] = 0;
    this._byKey.delete(this._keys[handle]);
    this._keys[handle] = undefined;
    this._freeHandles.push(handle);
  }

  /** out66 = enc(s·G + c·P) ‖ enc(s·H + c·I). */
  step(s32, c32, hP, hH, hI, out66) {
    this._alive();
    checkBytes(s32, 32, 's');
    checkBytes(c32, 32, 'c');
    checkBytes(out66, 66, 'out');
    const tG = this._ptr[SecpRingEngine.G], tP = this._table(hP), tH = this._table(hH), tI = this._table(hI);
    this._in.set(s32, 0);
    this._in.set(c32, 32);
    this._ex.step(tG, tP, tH, tI);
    out66.set(this._out);
    return out66;
  }

  /** out33 = enc(a·A + b·B). */
  lincomb(a32, hA, b32, hB, out33) {
    this._alive();
    checkBytes(a32, 32, 'a');
    checkBytes(b32, 32, 'b');
    checkBytes(out33, 33, 'out');
    const tA = this._table(hA), tB = this._table(hB);
    this._in.set(a32, 0);
    this._in.set(b32, 32);
    this._ex.lincomb(tA, tB);
    out33.set(this._out33);
    return out33;
  }

  /** Live tables (distinct bases, G included). */
  baseCount() {
    this._alive();
    return this._ex.tablesLive();
  }

  /** Bytes of linear memory held by this engine's instance (never shrinks; freed tables are reused). */
  memoryBytes() {
    this._alive();
    return this._ex.memory.buffer.byteLength;
  }

  /** Drops the instance; its memory goes to the JS GC. */
  dispose() {
    this._ex = null;
    this._u8 = this._in = this._out = this._out33 = null;
    this._byKey = null;
  }
}
