// Compiles assembly/ into pkg/smt_wasm_bg.wasm with asc (stub runtime: no GC, the module
// manages its own memory).
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ascBin = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
fs.mkdirSync(path.join(here, 'pkg'), { recursive: true });
const args = [
  ascBin,
  'assembly/index.ts',
  '-o', 'pkg/smt_wasm_bg.wasm',
  '-O3', '--noAssert',
  '--runtime', 'stub',
  '--enable', 'simd',
  '--initialMemory', '1',
  '--use', 'abort=',
];
if (process.argv.includes('--text')) args.push('-t', 'pkg/smt_wasm_bg.wat');
execFileSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
console.log('built pkg/smt_wasm_bg.wasm', fs.statSync(path.join(here, 'pkg/smt_wasm_bg.wasm')).size, 'bytes');
