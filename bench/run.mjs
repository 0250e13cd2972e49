#!/usr/bin/env node
// npm run bench -- <suite> [--quick] [--json FILE] [--check]
import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

const suites = {
  smst: () => import('./smst/suite.mjs'),
  protocol: () => import('./protocol/suite.mjs'),
  proxy: () => import('./proxy/suite.mjs'),
  sessions: () => import('./sessions/suite.mjs'),
  relayminer: () => import('./relayminer/suite.mjs'),
};
const args = process.argv.slice(2);
const name = args.find((a) => !a.startsWith('--') && args[args.indexOf(a) - 1] !== '--json');
if (!name || !suites[name]) {
  console.error(`usage: npm run bench -- <${Object.keys(suites).join('|')}> [--quick] [--json FILE] [--check]`);
  process.exit(2);
}
const opts = {
  quick: args.includes('--quick'),
  check: args.includes('--check'),
  json: args.includes('--json') ? args[args.indexOf('--json') + 1] : null,
};
const { run } = await suites[name]();
const report = await run(opts);
if (opts.json) {
  mkdirSync(dirname(opts.json), { recursive: true });
  writeFileSync(opts.json, JSON.stringify(report, null, 2) + '\n');
  console.log(`wrote ${opts.json}`);
}
if (report.failures?.length) {
  for (const f of report.failures) console.error(`check failed: ${f}`);
  process.exit(1);
}
