#!/usr/bin/env node
// relayminer CLI. Until the full relay miner lands, `demo` runs the SMST part of it on embedded
// defaults: mine simulated relays into a session trie on LevelDB, commit, reopen, and produce and
// check the closest proof the chain would ask for.
import { demo } from '../src/demo.mjs';

const [cmd = 'demo', ...rest] = process.argv.slice(2);
if (cmd === 'demo') {
  const arg = (name, dflt) => {
    const i = rest.indexOf(`--${name}`);
    return i >= 0 ? rest[i + 1] : dflt;
  };
  await demo({ relays: Number(arg('relays', 200000)), valueBytes: Number(arg('value-bytes', 300)), dir: arg('data-dir', '.data/demo') });
} else {
  console.error('usage: relayminer demo [--relays N] [--value-bytes N] [--data-dir DIR]');
  process.exit(2);
}
