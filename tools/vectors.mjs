#!/usr/bin/env node
// Runs every golden-vector suite found in a folder laid out like ../shared/vectors
// (smst/, ring/, protocol/, each holding *.json files) against this project's implementation.
// One line per suite, then "N passed, M failed"; exit code 1 when anything failed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { smstSuites } from './vectors/smst.mjs';
import { protocolSuites } from './vectors/protocol.mjs';
import { ringSuites } from './vectors/ring.mjs';

const runners = { smst: smstSuites, ring: ringSuites, protocol: protocolSuites };

const dir = process.argv[2];
if (!dir || !existsSync(dir)) {
  console.error('usage: node tools/vectors.mjs <vectors-dir>   (a folder laid out like ../shared/vectors)');
  process.exit(2);
}

let passed = 0;
let failed = 0;
let skipped = 0;
for (const group of readdirSync(dir, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort()) {
  const files = readdirSync(join(dir, group)).filter((f) => f.endsWith('.json')).sort();
  const suites = runners[group];
  for (const file of files) {
    const name = `${group}/${file}`;
    const run = suites?.[file.replace(/\.json$/, '')];
    if (!run) {
      skipped++;
      console.log(`${name.padEnd(34)} skipped: no implementation in this project yet`);
      continue;
    }
    const started = performance.now();
    const result = { passed: 0, failed: 0, failures: [] };
    const check = (label, ok, detail = '') => {
      if (ok) result.passed++;
      else {
        result.failed++;
        result.failures.push(detail ? `${label}: ${detail}` : label);
      }
    };
    try {
      await run(JSON.parse(readFileSync(resolve(dir, group, file), 'utf8')), check);
    } catch (err) {
      check('suite', false, `crashed: ${err?.stack ?? err}`);
    }
    passed += result.passed;
    failed += result.failed;
    const secs = ((performance.now() - started) / 1000).toFixed(2);
    console.log(`${name.padEnd(34)} ${result.failed ? 'FAIL' : 'ok  '} ${result.passed} passed, ${result.failed} failed (${secs} s)`);
    for (const f of result.failures.slice(0, 10)) console.log(`    ✗ ${f}`);
    if (result.failures.length > 10) console.log(`    … and ${result.failures.length - 10} more`);
  }
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
