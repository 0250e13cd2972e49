// SMST benchmarks: the WASM trie and the TypeScript reference side by side, in one run.
import { execFileSync } from 'node:child_process';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';

const worker = fileURLToPath(new URL('./worker.mjs', import.meta.url));

function measure(task) {
  const out = execFileSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', worker, JSON.stringify(task)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop());
}

export async function run({ quick, check }) {
  const sizes = quick ? [100_000] : [100_000, 1_000_000];
  const valueSizes = quick ? [100] : [100, 1024];
  const results = [];
  const log = (rs) => {
    for (const r of rs) {
      results.push(r);
      const t = r.median_s < 1e-3 ? `${(r.median_s * 1e6).toFixed(2)} µs` : `${r.median_s.toFixed(3)} s`;
      console.log(
        `${r.impl.padEnd(9)} ${r.name.padEnd(52)} n=${String(r.n).padEnd(8)} value=${String(r.value_bytes).padEnd(5)} median ${t.padStart(11)}${r.heap_mb !== undefined ? `  heap ${r.heap_mb} MB` : ''}`,
      );
    }
  };
  for (const n of sizes) {
    for (const valueBytes of valueSizes) {
      for (const impl of ['wasm', 'reference']) {
        const reps = impl === 'wasm' ? (n > 100_000 ? 3 : 5) : n > 100_000 ? 1 : 3;
        for (const batched of [false, true]) log(measure({ kind: 'fill', impl, n, valueBytes, reps, batched }));
      }
    }
    log(measure({ kind: 'fill', impl: 'wasm', n, valueBytes: 100, reps: 1, retain: true, batched: true }));
    for (const impl of ['wasm', 'reference']) log(measure({ kind: 'ops', impl, n, valueBytes: 100, reps: 5, quick }));
  }

  // Ratios against the reference measured in this same run.
  const ratios = [];
  for (const r of results.filter((x) => x.impl === 'wasm')) {
    const base = results.find((x) => x.impl === 'reference' && x.name === r.name && x.n === r.n && x.value_bytes === r.value_bytes);
    if (base) ratios.push({ name: r.name, n: r.n, value_bytes: r.value_bytes, speedup_vs_reference: +(base.median_s / r.median_s).toFixed(2) });
  }
  console.log('\nWASM speed-up over the reference (same run):');
  for (const x of ratios) console.log(`  ${x.name.padEnd(52)} n=${String(x.n).padEnd(8)} value=${String(x.value_bytes).padEnd(5)} ×${x.speedup_vs_reference}`);

  const failures = check ? ratios.filter((x) => !(x.speedup_vs_reference > 1)).map((x) => `WASM is not faster than the reference: ${x.name} n=${x.n}`) : [];
  return {
    suite: 'smst',
    quick,
    machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version },
    results,
    ratios,
    failures,
  };
}
