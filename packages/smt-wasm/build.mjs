// Compiles assembly/ with asc (stub runtime: no GC, the module manages its own memory) into
//  * pkg/smt_wasm_bg.wasm       single-threaded core (own memory; -O3 --enable simd)
//  * pkg/smt_wasm_mt.wasm       threads build of the same core: imports a shared memory
//                               (env.memory, maximum 4 GiB), static data from MT_CORE_BASE up;
//                               large hash-job tables call env.hashStart/env.hashWait
//  * pkg/smt_wasm_hash_mt.wasm  the worker thread's SHA-256 module (assembly/hashworker.ts) over
//                               that shared memory, static data in [MT_HASH_BASE, MT_CORE_BASE)
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { createRequire } from 'node:module';

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const ascBin = path.join(path.dirname(require.resolve('assemblyscript/package.json')), 'bin', 'asc.js');
fs.mkdirSync(path.join(here, 'pkg'), { recursive: true });
const text = process.argv.includes('--text');

const MT_HASH_BASE = 1024;
const MT_CORE_BASE = 32768;
const common = [...(process.env.ASC_DEBUG ? ['--debug'] : []), '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort='];
const shared = ['--enable', 'simd,threads', '--importMemory', '--sharedMemory', '--maximumMemory', '65536'];
const builds = [
  ['assembly/index.ts', 'smt_wasm_bg', ['--enable', 'simd', '--initialMemory', '1']],
  ['assembly/index.ts', 'smt_wasm_mt', [...shared, '--memoryBase', String(MT_CORE_BASE), '--initialMemory', '2']],
  ['assembly/hashworker.ts', 'smt_wasm_hash_mt', [...shared, '--memoryBase', String(MT_HASH_BASE), '--initialMemory', '1']],
];
for (const [entry, name, extra] of builds) {
  const args = [ascBin, entry, '-o', `pkg/${name}.wasm`, ...common, ...extra];
  if (text) args.push('-t', `pkg/${name}.wat`);
  execFileSync(process.execPath, args, { cwd: here, stdio: 'inherit' });
  console.log(`built pkg/${name}.wasm`, fs.statSync(path.join(here, `pkg/${name}.wasm`)).size, 'bytes');
}
