// proveClosest through the glue on a trie of N random leaves (100-byte values): 7 repetitions of
// 20,000 random probes, µs per call. Usage: node test/perf/closest.mjs [N]
import { randomBytes } from 'node:crypto';
import { WasmSmstCore } from '../../pkg/smt_wasm.js';

const N = Number(process.argv[2] ?? 1000000);
const keys = Array.from({ length: N }, () => new Uint8Array(randomBytes(32)));
const payloads = Array.from({ length: N }, () => {
  const v = new Uint8Array(116);
  v.set(randomBytes(100));
  v[107] = 1;
  v[115] = 1;
  return v;
});
const core = new WasmSmstCore();
core.updateMany(keys, payloads, new Uint32Array(N).map((_, i) => i));
core.root();
const probes = Array.from({ length: 20000 }, () => new Uint8Array(randomBytes(32)));
for (let i = 0; i < 2000; i++) core.proveClosest(probes[i]);
const res = [];
for (let rep = 0; rep < 7; rep++) {
  const t = performance.now();
  for (const p of probes) core.proveClosest(p);
  res.push(((performance.now() - t) * 1000) / probes.length);
}
res.sort((a, b) => a - b);
console.log(JSON.stringify({ N, proveClosestUsPerCall: res.map((x) => +x.toFixed(2)), median: +res[3].toFixed(2) }));
