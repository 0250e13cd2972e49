// Compiles assembly/ with asc into pkg/secp_wasm_bg.wasm: stub runtime (the module manages its
// own memory, see assembly/mem.ts), -O3, SIMD on (the step's two accumulators run in the two
// lanes of i64x2 arithmetic, see assembly/field2.ts).
// `node build.mjs --text` also writes the .wat; `--bench` also builds pkg/secp_wasm_bench.wasm.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ascBin = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
fs.mkdirSync(path.join(here, 'pkg'), { recursive: true });

const common = ['-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=', '--initialMemory', '1', '--enable', 'simd'];
const builds = [['assembly/index.ts', 'secp_wasm_bg']];
// --bench: also the micro-benchmark module of test/perf/field.mjs
if (process.argv.includes('--bench')) builds.push(['assembly/bench.ts', 'secp_wasm_bench']);
for (const [entry, name] of builds) {
  const args = [ascBin, entry, '-o', `pkg/${name}.wasm`, ...common];
  if (process.argv.includes('--text')) args.push('-t', `pkg/${name}.wat`);
  execFileSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
  console.log(`built pkg/${name}.wasm`, fs.statSync(path.join(here, `pkg/${name}.wasm`)).size, 'bytes');
}
