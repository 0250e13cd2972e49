// Cost of single field and point operations inside WASM (pkg/secp_wasm_bench.wasm, built by
// `node build.mjs --bench`), printed as JSON: nanoseconds per call, best of several batches.
// Usage: node test/perf/field.mjs
import { readFileSync } from 'node:fs';

const ex = new WebAssembly.Instance(
  new WebAssembly.Module(readFileSync(new URL('../../pkg/secp_wasm_bench.wasm', import.meta.url))),
  { env: { abort() {} } },
).exports;
ex.setup();
const result = {};
for (const name of Object.keys(ex).filter((k) => k.endsWith('Loop'))) {
  const n = name.startsWith('feInv') ? 2000 : name.startsWith('jac') ? 40000 : 300000;
  ex[name](n >> 2); // warm-up
  let best = Infinity;
  for (let rep = 0; rep < 15; rep++) {
    const t0 = performance.now();
    ex[name](n);
    best = Math.min(best, performance.now() - t0);
  }
  result[name.slice(0, -4) + 'Ns'] = Number(((best * 1e6) / n).toFixed(1));
}
console.log(JSON.stringify(result, null, 2));
