// Proxy benchmark: verified-and-signed relays per second and latency through the relay server, side by
// side with a bare keep-alive pass-through proxy to the same backend (the ceiling), so the ratio is the
// price of decoding, ring verification, metering, forwarding and signing. Every process is separate:
// backend, bare proxy, relay server (with its localnet) and each load run.
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { RelayResponse } from '@relayminer/protocol';

const here = (f) => fileURLToPath(new URL(f, import.meta.url));
const TARGET_OPS_PER_S = 3000; // at concurrency 64
const TARGET_ADDED_P99_MS = 5; // at concurrency 1, where latency is not queueing
const POOL = 400;

/** Starts a script that prints `{ port }` as its first stdout line. */
function startPrinting(script, args) {
  const child = spawn(process.execPath, [here(script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const nl = out.indexOf('\n');
      if (nl >= 0) resolve({ child, port: JSON.parse(out.slice(0, nl)).port });
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
}

function startRelayChild(backendPort, bodiesFile) {
  const execArgv = process.env.BENCH_PROXY_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROXY_CPU_PROF}`] : [];
  const child = fork(here('./relay-child.mjs'), [String(backendPort), bodiesFile, String(POOL)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv });
  const ask = (msg) => new Promise((resolve) => child.once('message', resolve) && child.send(msg));
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve({ child, port: m.port, info: m, stats: () => ask('stats') }));
    child.once('exit', (code) => reject(new Error(`relay-child exited with ${code}`)));
  });
}

function runLoad(url, bodiesFile, concurrency, seconds, warmup) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [here('./load.mjs'), url, bodiesFile, String(concurrency), String(seconds), String(warmup)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.once('exit', (code) => (code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`load.mjs exited with ${code}`))));
  });
}

/** One relay through the relay server, checked to be a signed answer and not an error reply. */
function probe(port, bodiesFile) {
  return import('node:fs').then(({ readFileSync }) => {
    const raw = readFileSync(bodiesFile);
    const body = raw.subarray(4, 4 + raw.readUInt32BE(0));
    return new Promise((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: { 'Content-Length': body.length } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const reply = RelayResponse.unmarshal(Buffer.concat(chunks));
          if (reply.relayMinerError) reject(new Error(`probe relay refused: ${reply.relayMinerError.message}`));
          else if (!reply.meta?.supplierOperatorSignature?.length) reject(new Error('probe relay is not signed'));
          else resolve();
        });
      });
      req.on('error', reject);
      req.end(body);
    });
  });
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const sum = (o) => Object.values(o).reduce((a, b) => a + b, 0);

export async function run({ quick, check }) {
  const seconds = quick ? 3 : 8;
  const warmup = quick ? 1 : 2;
  const reps = quick ? 3 : 5;
  const dir = mkdtempSync(join(tmpdir(), 'bench-proxy-'));
  const bodiesFile = join(dir, 'bodies.bin');
  const children = [];
  try {
    const backend = await startPrinting('./backend.mjs', []);
    children.push(backend.child);
    const bare = await startPrinting('./bare-proxy.mjs', [String(backend.port)]);
    children.push(bare.child);
    const relay = await startRelayChild(backend.port, bodiesFile);
    children.push(relay.child);
    await probe(relay.port, bodiesFile);
    console.log(`relay server on :${relay.port} (ring of ${relay.info.ringSize}, session ends at ${relay.info.sessionEnd}), ${POOL} pre-signed relays; ${reps} × ${seconds} s per point`);

    const urls = { bare: `http://127.0.0.1:${bare.port}/`, relayminer: `http://127.0.0.1:${relay.port}/` };
    const samples = new Map();
    // Interleaved so slow drift of the machine hits both implementations alike.
    for (let rep = 0; rep < reps; rep++) {
      for (const concurrency of [1, 64]) {
        for (const impl of ['bare', 'relayminer']) {
          const before = impl === 'relayminer' ? (await relay.stats()).stats : null;
          const r = await runLoad(urls[impl], bodiesFile, concurrency, seconds, warmup);
          let dropped = 0;
          let rejected = 0;
          if (before) {
            const after = (await relay.stats()).stats;
            dropped = sum(after.dropped) - sum(before.dropped);
            rejected = sum(after.rejected) - sum(before.rejected);
          }
          const key = `${impl}/${concurrency}`;
          if (!samples.has(key)) samples.set(key, []);
          samples.get(key).push({ ...r, dropped, rejected });
          console.log(`  rep ${rep + 1} ${impl.padEnd(10)} c=${String(concurrency).padEnd(3)} ${Math.round(r.ops_per_s)} ops/s  p50 ${r.p50_ms.toFixed(3)} ms  p99 ${r.p99_ms.toFixed(3)} ms  errors ${r.errors + r.non_ok}  dropped ${dropped}  rejected ${rejected}`);
        }
      }
    }
    const mined = await relay.stats();

    const results = [];
    for (const [key, runs] of samples) {
      const [impl, c] = key.split('/');
      results.push({
        impl,
        concurrency: Number(c),
        ops_per_s: +median(runs.map((r) => r.ops_per_s)).toFixed(1),
        p50_ms: +median(runs.map((r) => r.p50_ms)).toFixed(3),
        p99_ms: +median(runs.map((r) => r.p99_ms)).toFixed(3),
        dropped: runs.reduce((a, r) => a + r.dropped, 0),
        rejected: runs.reduce((a, r) => a + r.rejected, 0),
        errors: runs.reduce((a, r) => a + r.errors + r.non_ok, 0),
        reps: runs.length,
        seconds,
      });
    }
    const ratios = [];
    for (const concurrency of [1, 64]) {
      const rm = results.find((r) => r.impl === 'relayminer' && r.concurrency === concurrency);
      const b = results.find((r) => r.impl === 'bare' && r.concurrency === concurrency);
      ratios.push({
        concurrency,
        impl: 'relayminer',
        baseline: 'bare',
        ops_ratio: +(rm.ops_per_s / b.ops_per_s).toFixed(3),
        p50_ratio: +(rm.p50_ms / b.p50_ms).toFixed(2),
        p99_ratio: +(rm.p99_ms / b.p99_ms).toFixed(2),
        added_p50_ms: +(rm.p50_ms - b.p50_ms).toFixed(3),
        added_p99_ms: +(rm.p99_ms - b.p99_ms).toFixed(3),
      });
    }

    console.log('\nMedians:');
    for (const r of results) console.log(`  ${r.impl.padEnd(10)} c=${String(r.concurrency).padEnd(3)} ${String(Math.round(r.ops_per_s)).padStart(6)} ops/s  p50 ${r.p50_ms.toFixed(3)} ms  p99 ${r.p99_ms.toFixed(3)} ms  dropped ${r.dropped}`);
    console.log('Same-run ratios (relayminer / bare):');
    for (const x of ratios) console.log(`  c=${String(x.concurrency).padEnd(3)} ops ×${x.ops_ratio}  p50 ×${x.p50_ratio}  p99 ×${x.p99_ratio}  added p50 ${x.added_p50_ms} ms  added p99 ${x.added_p99_ms} ms`);
    console.log(`served relays drained by the subscriber: ${mined.mined}`);

    const failures = [];
    const rm64 = results.find((r) => r.impl === 'relayminer' && r.concurrency === 64);
    const added1 = ratios.find((x) => x.concurrency === 1).added_p99_ms;
    const problems = [];
    if (rm64.ops_per_s < TARGET_OPS_PER_S) problems.push(`relayminer ${Math.round(rm64.ops_per_s)} relays/s at concurrency 64 is below ${TARGET_OPS_PER_S}/s`);
    if (added1 > TARGET_ADDED_P99_MS) problems.push(`added p99 ${added1} ms at concurrency 1 is above ${TARGET_ADDED_P99_MS} ms`);
    for (const r of results) {
      if (r.dropped || r.rejected || r.errors) problems.push(`${r.impl} c=${r.concurrency}: ${r.dropped} dropped, ${r.rejected} rejected, ${r.errors} HTTP errors`);
    }
    console.log(problems.length ? `target missed:\n  ${problems.join('\n  ')}` : 'target met');
    if (check) failures.push(...problems);
    return {
      suite: 'proxy',
      quick,
      machine: { cpus: availableParallelism(), model: cpus()[0]?.model, node: process.version },
      results,
      ratios,
      failures,
    };
  } finally {
    for (const c of children.reverse()) {
      if (c.exitCode !== null) continue;
      if (c.connected) c.send('stop');
      else c.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => (c.kill('SIGKILL'), r()), 5000);
        c.once('exit', () => (clearTimeout(t), r()));
      });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
