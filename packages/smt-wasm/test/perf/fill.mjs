// Fill N random 32-byte keys with 100-byte values (payload 116 bytes), then one root().
// Usage: node test/perf/fill.mjs [N] [runs] [api=many|key] [reserve]   — prints one JSON line.
// `reserve`: construct with { expectedLeaves: N } (the one big memory.grow, and the full JS GC
// it can start, then happens in the constructor, outside the timed fill).
import { randomBytes } from 'node:crypto';
import { WasmSmstCore, sha256Batch } from '../../pkg/smt_wasm.js';

const N = Number(process.argv[2] ?? 100000);
const runs = Number(process.argv[3] ?? 5);
const api = process.argv[4] ?? 'many';
const reserve = process.argv[5] === 'reserve';
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];

const keys = Array.from({ length: N }, () => new Uint8Array(randomBytes(32)));
const payloads = Array.from({ length: N }, () => {
  const v = new Uint8Array(116);
  v.set(randomBytes(100));
  v[107] = 1; // weight 1
  v[115] = 1; // count 1
  return v;
});
const handles = new Uint32Array(N).map((_, i) => i);

const fill = [], rootT = [];
let mem = 0, closestUs = 0, nodes = null;
for (let r = 0; r < runs; r++) {
  const core = new WasmSmstCore(reserve ? { expectedLeaves: N } : undefined);
  const t0 = performance.now();
  if (api === 'many') core.updateMany(keys, payloads, handles);
  else for (let i = 0; i < N; i++) core.updateKey(keys[i], payloads[i], i);
  const t1 = performance.now();
  core.root();
  const t2 = performance.now();
  fill.push((t2 - t0) / 1000);
  rootT.push((t2 - t1) / 1000);
  if (r === runs - 1) {
    mem = core.memoryBytes();
    nodes = core.nodeCounts();
    const probes = Array.from({ length: 20000 }, () => new Uint8Array(randomBytes(32)));
    for (let i = 0; i < 2000; i++) core.proveClosest(probes[i]);
    const t3 = performance.now();
    for (const p of probes) core.proveClosest(p);
    closestUs = ((performance.now() - t3) * 1000) / probes.length;
  }
  core.dispose();
}

// raw batch hashing throughput of 64-byte messages through the glue
const msgs = Array.from({ length: 100000 }, () => new Uint8Array(randomBytes(64)));
const hs = [];
for (let r = 0; r < 5; r++) {
  const t = performance.now();
  sha256Batch(msgs);
  hs.push(msgs.length / ((performance.now() - t) / 1000));
}

console.log(JSON.stringify({
  N, api, runs, reserve,
  fillPlusRootSecMedian: +median(fill).toFixed(4),
  rootOnlySecMedian: +median(rootT).toFixed(4),
  wasmMemoryMB: +(mem / 2 ** 20).toFixed(1),
  nodes,
  proveClosestUsPerCall: +closestUs.toFixed(2),
  sha256Batch64BPerSec: Math.round(median(hs)),
}));
