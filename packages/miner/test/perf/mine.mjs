// Relays/s through minedRelays, batched vs one at a time, on the relays of
// ../shared/vectors/protocol/relays.json (known sessions, so no lookups). Prints JSON.
// Run after `npm run build`: node packages/miner/test/perf/mine.mjs [--relays N]
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { firstValueFrom, from, count } from 'rxjs';
import { RelayRequest, RelayResponse } from '@relayminer/protocol';
import { minedRelays } from '../../dist/index.js';

const arg = process.argv.indexOf('--relays');
const N = arg > 0 ? Number(process.argv[arg + 1]) : 50_000;
const vectors = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../../shared/vectors/protocol/relays.json', import.meta.url)), 'utf8'));
const base = vectors.relays
  .filter((v) => !['r10', 'r14', 'r15', 'r16', 'r05'].includes(v.label)) // invalid ones, and r05's 20 KiB outlier
  .map((v) => {
    const request = RelayRequest.unmarshal(Buffer.from(v.request_hex, 'hex'));
    const response = RelayResponse.unmarshal(Buffer.from(v.response_hex, 'hex'));
    const header = request.meta.sessionHeader;
    return { request, response, sessionHeader: header, serviceId: header.serviceId, supplierOperatorAddress: request.meta.supplierOperatorAddress, receivedAtHeight: 1n };
  });
const relays = Array.from({ length: N }, (_, i) => base[i % base.length]);
const deps = { difficultyAt: () => new Uint8Array(32).fill(0xff), computeUnitsPerRelayAt: () => 1n };

async function run(batchSize) {
  const t0 = performance.now();
  const mined = await firstValueFrom(minedRelays(from(relays), deps, { batchSize, batchWaitMs: 1 }).pipe(count()));
  const s = (performance.now() - t0) / 1000;
  return { batchSize, relays: N, mined, seconds: +s.toFixed(3), relaysPerSecond: Math.round(N / s) };
}

await run(64); // warm-up: JIT, WASM instantiation, params cache
const results = [];
for (const batchSize of [1, 16, 64, 256]) results.push(await run(batchSize));
console.log(JSON.stringify({ benchmark: 'miner.minedRelays', node: process.version, results }, null, 2));
