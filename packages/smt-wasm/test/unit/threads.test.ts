// The threads build (hash-job tables and root() levels shared with one worker thread) against
// the single-threaded build: roots, proofs, commit sets and stores must be byte-identical, for
// every split size, across memory growth, imports, several live cores, and the process must
// exit by itself with threaded cores left undisposed.
import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { WasmSmstCore } from '../../pkg/smt_wasm.js';
import { hex } from './helpers';

const sha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const glue = fileURLToPath(new URL('../../pkg/smt_wasm.js', import.meta.url));

function batch(n: number, _seed: number) {
  const keys: Uint8Array[] = [];
  for (let i = 0; i < n; i++) {
    // every 7th key repeats an earlier one (overwrites)
    const k = i % 7 === 3 && i > 10 ? keys[i - 7] : new Uint8Array(randomBytes(32 + (i % 3)));
    keys.push(k);
  }
  const payloads = keys.map((_, i) => {
    const v = new Uint8Array(16 + (i % 50));
    v.set(randomBytes(v.length - 16));
    v[v.length - 9] = i & 0xff; // weight
    v[v.length - 1] = 1; // count
    return v;
  });
  return { keys, payloads, handles: keys.map((_, i) => i) };
}

const ser = (x: unknown): string => JSON.stringify(x, (_k, v) => (v instanceof Uint8Array ? hex(v) : v));

function snapshot(c: WasmSmstCore, probes: Uint8Array[]) {
  const root = hex(c.root());
  const proofs = probes.map((p) => ser([c.prove(p), c.proveClosest(p)]));
  const commit = ser(c.commit());
  return { root, proofs, commit };
}

describe('threads', () => {
  it('uses the worker when asked (and where available), never when threads: false', async () => {
    const on = new WasmSmstCore({ threads: true });
    // the worker boots in the background (tables are hashed locally until it is ready); give it
    // time so that the tests below split from their first table
    await new Promise((r) => setTimeout(r, 300));
    const off = new WasmSmstCore({ threads: false });
    expect(off.threaded()).toBe(false);
    expect(typeof on.threaded()).toBe('boolean');
    if (typeof SharedArrayBuffer === 'function') expect(on.threaded()).toBe(true);
    on.dispose();
    off.dispose();
    expect(() => new WasmSmstCore({ threads: true, splitMin: 2 })).toThrow(RangeError);
  });

  it('threaded and single-threaded cores agree byte for byte (several split sizes, growth, overwrites)', () => {
    const { keys, payloads, handles } = batch(30000, 1);
    const probes = Array.from({ length: 40 }, (_, i) => (i % 2 ? new Uint8Array(randomBytes(32)) : new Uint8Array(32).fill(i)));
    const ref = new WasmSmstCore({ threads: false });
    ref.updateMany(keys.slice(0, 20000), payloads.slice(0, 20000), handles.slice(0, 20000));
    const r1 = snapshot(ref, probes);
    ref.updateMany(keys.slice(20000), payloads.slice(20000), handles.slice(20000));
    const r2 = snapshot(ref, probes);
    for (const splitMin of [4, 37, 256, 5000]) {
      // no expectedLeaves: memory grows step by step while the worker holds an instance on it
      const c = new WasmSmstCore({ threads: true, splitMin });
      c.updateMany(keys.slice(0, 20000), payloads.slice(0, 20000), handles.slice(0, 20000));
      expect(snapshot(c, probes)).toEqual(r1);
      for (let i = 20000; i < keys.length; i++) c.updateKey(keys[i], payloads[i], handles[i]);
      expect(snapshot(c, probes)).toEqual(r2);
      expect(c.nodeCounts()).toEqual(ref.nodeCounts());
      // applying each log hashed its last leaves in the background (overwrites among them)
      expect(c.backgroundTables()).toBe(2);
      c.dispose();
    }
    ref.dispose();
  });

  it('interleaves several threaded cores, imports and sequential mode', () => {
    const { keys, payloads, handles } = batch(12000, 2);
    const store = new Map<string, Uint8Array>();
    const cores = [0, 1, 2].map(() => new WasmSmstCore({ threads: true, splitMin: 8 }));
    const seq = new WasmSmstCore({ threads: true, splitMin: 8, batchInserts: false });
    const ref = new WasmSmstCore({ threads: false });
    for (let s = 0; s < keys.length; s += 3000) {
      const part = [keys.slice(s, s + 3000), payloads.slice(s, s + 3000), handles.slice(s, s + 3000)] as const;
      for (const c of [...cores, seq, ref]) c.updateMany(...part);
      const want = hex(ref.root());
      for (const c of [...cores, seq]) expect(hex(c.root())).toBe(want);
    }
    // a committed store, reloaded through the loader into a threaded core
    const set = ref.commit();
    for (const n of set.nodes) store.set(hex(n.digest)!, n.encoding.kind === 'node' ? n.encoding.preimage : new Uint8Array(0));
    const imp = new WasmSmstCore({ threads: true, splitMin: 8 });
    const imp1 = new WasmSmstCore({ threads: false });
    for (const c of [imp, imp1]) {
      c.setLoader((d) => {
        const v = store.get(hex(d)!);
        if (v === undefined || v.length === 0) return undefined;
        return v;
      });
      c.import(ref.root());
    }
    const more = batch(2000, 3);
    expect(() => {
      imp.updateMany(more.keys, more.payloads, more.handles);
      imp1.updateMany(more.keys, more.payloads, more.handles);
    }).toThrow(); // leaves are not in this store: both refuse, unchanged
    expect(hex(imp.root())).toBe(hex(imp1.root()));
    for (const c of [...cores, seq, ref, imp, imp1]) c.dispose();
  });

  it('full pending arenas hashed in the background: interleaved cores, dispose and reuse with a table in flight', () => {
    // 1 KiB payloads: the 4 MiB arena fills every ~3,900 inserts
    const n = 12000;
    const keys = Array.from({ length: n }, () => new Uint8Array(randomBytes(32)));
    const payloads = keys.map((_, i) => {
      const v = new Uint8Array(1040);
      v.set(randomBytes(1024));
      v[1031] = i & 0xff;
      v[1039] = 1;
      return v;
    });
    const ref = new WasmSmstCore({ threads: false });
    for (let i = 0; i < n; i++) ref.updateKey(keys[i], payloads[i], i);
    const want = hex(ref.root());
    const a = new WasmSmstCore({ threads: true });
    const b = new WasmSmstCore({ threads: true });
    // inserts alternate between the cores, so one core's arena flush meets the other's table in flight
    for (let s = 0; s < n; s += 500) {
      for (let i = s; i < s + 500; i++) a.updateKey(keys[i], payloads[i], i);
      for (let i = s; i < s + 500; i++) b.update(sha(keys[i]), payloads[i], i);
    }
    expect(a.backgroundTables()).toBeGreaterThanOrEqual(2);
    expect(b.backgroundTables()).toBeGreaterThanOrEqual(2);
    expect(hex(a.root())).toBe(want);
    expect(hex(b.root())).toBe(want);
    // disposed right after a background flush; the next core reuses that memory
    const c = new WasmSmstCore({ threads: true });
    for (let i = 0; i < 4000; i++) c.updateKey(keys[i], payloads[i], i);
    expect(c.backgroundTables()).toBe(1);
    c.dispose();
    const d = new WasmSmstCore({ threads: true });
    expect(d.backgroundTables()).toBe(0);
    for (let i = 0; i < n; i++) d.updateKey(keys[i], payloads[i], i);
    expect(hex(d.root())).toBe(want);
    for (const x of [ref, a, b, d]) x.dispose();
  });

  it('a worker failing in the middle of a root() level: the root is still right, single-threaded from then on', () => {
    // the worker does its share of the first level table, then reports an error (testing knob);
    // extension steps it did must not be applied twice
    const code = `
      import { WasmSmstCore } from ${JSON.stringify(glue)};
      import { randomBytes } from 'node:crypto';
      const warnings = [];
      process.on('warning', (w) => warnings.push(w.name));
      const n = 20000;
      const keys = Array.from({ length: n }, () => randomBytes(32));
      const pays = keys.map((_, i) => { const v = new Uint8Array(40); v[31] = i & 0xff; v[39] = 1; return v; });
      const hs = keys.map((_, i) => i);
      const t = new WasmSmstCore({ threads: true, splitMin: 4 });
      await new Promise((r) => setTimeout(r, 300)); // the worker has booted
      t.updateMany(keys, pays, hs);
      const got = Buffer.from(t.root()).toString('hex');
      const ref = new WasmSmstCore({ threads: false });
      ref.updateMany(keys, pays, hs);
      const want = Buffer.from(ref.root()).toString('hex');
      await new Promise((r) => setImmediate(r));
      console.log(JSON.stringify({ same: got === want, threadedAfter: t.threaded(), warnings, nodes: t.nodeCounts().large > n }));
    `;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 60000,
      env: { ...process.env, SMT_WASM_TEST_WORKER_FAIL: 'level', SMT_WASM_THREADS: '1' },
    });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout.trim())).toEqual({ same: true, threadedAfter: false, warnings: ['SmtWasmThreadsWarning'], nodes: true });
  });

  it('the process exits by itself with threaded cores left undisposed', () => {
    const code = `
      import { WasmSmstCore } from ${JSON.stringify(glue)};
      import { createHash, randomBytes } from 'node:crypto';
      const keep = [];
      for (let r = 0; r < 3; r++) {
        const c = new WasmSmstCore({ threads: true, splitMin: 4 });
        const n = 5000;
        c.updateMany(Array.from({ length: n }, () => randomBytes(32)), Array.from({ length: n }, () => new Uint8Array(40)), Array.from({ length: n }, (_, i) => i));
        c.root();
        keep.push(c);
        await new Promise((r) => setTimeout(r, 50)); // the worker has booted by now
      }
      console.log('threaded', keep.map((c) => c.threaded()).join(','));
    `;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 30000 });
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe('threaded true,true,true');
    expect(Date.now() - t0).toBeLessThan(20000);
  });
});
