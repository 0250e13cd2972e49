// Same fill as fill.mjs but straight on the WASM exports with keys/payloads in one buffer (no
// per-item JS objects), to split staging / updateMany / root. Usage: node test/perf/raw.mjs [N] [split]
import { readFileSync } from 'node:fs';
import { randomFillSync } from 'node:crypto';
const m = new WebAssembly.Module(readFileSync(new URL('../../pkg/smt_wasm_bg.wasm', import.meta.url)));
const N = Number(process.argv[2] ?? 1000000);
// `split`: apply the pending-insert log (flushInserts) before root() and time it separately
const split = process.argv.includes('split');
const data = randomFillSync(new Uint8Array(N * 148));
for (let r = 0; r < 3; r++) {
  const ex = new WebAssembly.Instance(m, { env: { loadNode: () => -1, loadCopy: () => {}, abort() {} } }).exports;
  ex.init();
  ex.reserve(N * 178 + (10 << 20)); // as the glue does (one grow)
  const CH = 8192;
  let tStage = 0, tIns = 0;
  const t0 = performance.now();
  for (let s = 0; s < N; s += CH) {
    const n = Math.min(CH, N - s);
    const a = performance.now();
    const base = ex.input(n * (20 + 148));
    const u8 = new Uint8Array(ex.memory.buffer);
    u8.set(data.subarray(s * 148, (s + n) * 148), base + n * 20);
    const t = new Uint32Array(ex.memory.buffer, base, n * 5);
    for (let i = 0, j = 0, at = base + n * 20; i < n; i++, j += 5, at += 148) { t[j] = at; t[j+1] = 32; t[j+2] = at + 32; t[j+3] = 116; t[j+4] = s + i; }
    const b = performance.now();
    ex.updateMany(base, n);
    tIns += performance.now() - b; tStage += b - a;
  }
  const t2 = performance.now();
  if (split && ex.flushInserts) ex.flushInserts();
  const t2b = performance.now();
  ex.rootDigest();
  const t3 = performance.now();
  const apply = split ? ` (apply ${(t2b-t2).toFixed(0)}ms + hash ${(t3-t2b).toFixed(0)}ms)` : '';
  console.log(`N=${N} stage ${tStage.toFixed(0)}ms updateMany ${tIns.toFixed(0)}ms root ${(t3-t2).toFixed(0)}ms${apply} total ${(t3-t0).toFixed(0)}ms mem ${(ex.memory.buffer.byteLength/2**20).toFixed(1)}MB used ${ex.usedBytes ? (ex.usedBytes()/2**20).toFixed(1) : "?"}MB`);
}
