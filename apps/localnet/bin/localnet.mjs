#!/usr/bin/env node
// localnet CLI: serves a local Pocket chain for the demo. Runs the built package (npm run build first).
import { parseArgs } from 'node:util';

const USAGE = `usage: localnet [--genesis FILE] [--port N] [--block-time-ms N]

  --genesis FILE      genesis YAML or JSON (default: the shipped genesis/demo.yaml)
  --port N            RPC port on 127.0.0.1 (default 26657; 0 picks a free one)
  --block-time-ms N   block interval (default: the genesis block_time_ms, else 1000; 0 = no timer)
`;

function fail(message) {
  process.stderr.write(`localnet: ${message}\n\n${USAGE}`);
  process.exit(2);
}

let values;
try {
  ({ values } = parseArgs({
    options: {
      genesis: { type: 'string' },
      port: { type: 'string' },
      'block-time-ms': { type: 'string' },
      'block-time': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  }));
} catch (err) {
  fail(err.message);
}
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function nonNegativeInt(name, text) {
  if (text === undefined) return undefined;
  if (!/^\d+$/.test(text)) fail(`--${name} must be a non-negative integer, got ${JSON.stringify(text)}`);
  return Number(text);
}

const port = nonNegativeInt('port', values.port) ?? 26657;
const blockTimeMs = nonNegativeInt('block-time-ms', values['block-time-ms'] ?? values['block-time']);

let mod;
try {
  mod = await import('../dist/index.js');
} catch (err) {
  process.stderr.write(`localnet: cannot load the built package (run \`npm run build\` in apps/localnet first): ${err.message}\n`);
  process.exit(1);
}

let net;
try {
  net = await mod.startLocalnet({ genesis: values.genesis ?? mod.DEMO_GENESIS_PATH, port, blockTimeMs: blockTimeMs ?? undefined });
} catch (err) {
  process.stderr.write(`localnet: failed to start: ${err?.message ?? err}\n`);
  process.exit(1);
}

process.stdout.write(`localnet serving chain ${net.chainId} at ${net.rpcUrl}\n`);
process.stdout.write(`  websocket ${net.wsUrl}/websocket, ${net.blockTimeMs > 0 ? `a block every ${net.blockTimeMs} ms` : 'manual blocks only'}\n`);

let stopping = false;
async function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  process.stdout.write(`localnet: ${signal}, stopping at height ${net.height}\n`);
  await net.stop();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
