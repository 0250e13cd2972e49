// Closed-loop load: `concurrency` clients each send the next body as soon as the previous answer is in,
// for `seconds`, over keep-alive connections. Prints { ops_per_s, p50_ms, p99_ms, errors, non_ok }.
// Usage: node load.mjs <url> <bodiesFile (length-prefixed frames)> <concurrency> <seconds> [warmupSeconds]
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';

const [url, bodiesFile, concArg, secArg, warmArg] = process.argv.slice(2);
const { hostname, port, pathname } = new URL(url);
const concurrency = Number(concArg);
const seconds = Number(secArg);
const warmup = Number(warmArg ?? 1);

const raw = readFileSync(bodiesFile);
const bodies = [];
for (let at = 0; at < raw.length; ) {
  const len = raw.readUInt32BE(at);
  bodies.push(raw.subarray(at + 4, at + 4 + len));
  at += 4 + len;
}

const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = [];
let errors = 0;
let nonOk = 0;
let next = 0;
let measuring = false;
let stop = false;

function once() {
  return new Promise((resolve) => {
    const body = bodies[next++ % bodies.length];
    const t0 = process.hrtime.bigint();
    const req = request({ hostname, port, path: pathname, method: 'POST', agent, headers: { 'Content-Length': body.length } }, (res) => {
      res.on('data', () => {});
      res.on('end', () => {
        if (measuring) {
          latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
          if (res.statusCode !== 200) nonOk++;
        }
        resolve();
      });
    });
    req.on('error', () => {
      if (measuring) errors++;
      resolve();
    });
    req.end(body);
  });
}

async function client() {
  while (!stop) await once();
}

const clients = Array.from({ length: concurrency }, client);
await new Promise((r) => setTimeout(r, warmup * 1000));
measuring = true;
const started = performance.now();
await new Promise((r) => setTimeout(r, seconds * 1000));
measuring = false;
const elapsed = (performance.now() - started) / 1000;
stop = true;
await Promise.all(clients);
latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] : null);
console.log(JSON.stringify({ ops_per_s: latencies.length / elapsed, p50_ms: pct(50), p99_ms: pct(99), errors, non_ok: nonOk, n: latencies.length }));
agent.destroy();
