// One measurement in a fresh process, so that heap figures belong to one trie alone.
// argv[2] = JSON task; prints one JSON line of results.
import { randomBytes } from 'node:crypto';
import * as smst from '@relayminer/smst';
import { Bench } from 'tinybench';

const task = JSON.parse(process.argv[2]);
const { impl, n, valueBytes, reps } = task;
const gc = globalThis.gc ?? (() => {});
// The reference keeps everything in JS objects and their buffers; the WASM trie's own memory is
// measured exactly below, so only the JS heap is added for it.
const heapMb = () => {
  gc();
  const m = process.memoryUsage();
  return (impl === 'reference' ? m.heapUsed + m.external : m.heapUsed) / 2 ** 20;
};
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

// Inputs, prepared before any timing: random keys, values cut from a shared random pool, weights
// 1..1000; plain Uint8Array views, as a relay miner holds relay hashes and relay bytes.
const keys = new Uint8Array(randomBytes(32 * n));
const pool = new Uint8Array(randomBytes(Math.min(64 << 20, valueBytes * n + 1)));
const key = (i) => keys.subarray(32 * i, 32 * i + 32);
const value = (i) => {
  const off = (i * 7919) % (pool.length - valueBytes);
  return pool.subarray(off, off + valueBytes);
};
const weight = (i) => (i % 1000) + 1;

// The relay miner keeps values in its relay log, so the trie is built without retaining them.
const newTrie = () => new smst.SparseMerkleSumTrie({ core: impl, valueLookup: task.retain ? undefined : () => undefined });

// A relay miner inserts relays as they are mined: one at a time, or in batches of what arrived.
// Fill inputs as ready-made arrays (built only for fill tasks: the operation measurements below
// should not run next to millions of unrelated live objects).
const BATCH = 1024;
let allKeys, allValues, allWeights;
const batches = [];
if (task.kind === 'fill') {
  allKeys = Array.from({ length: n }, (_, i) => key(i));
  allValues = Array.from({ length: n }, (_, i) => value(i));
  allWeights = Array.from({ length: n }, (_, i) => weight(i));
  for (let i = 0; i < n; i += BATCH) batches.push([allKeys.slice(i, i + BATCH), allValues.slice(i, i + BATCH), allWeights.slice(i, i + BATCH)]);
}
function fill(batched) {
  const trie = newTrie();
  const t0 = performance.now();
  if (batched) for (const [k, v, w] of batches) trie.updateMany(k, v, w);
  else for (let i = 0; i < n; i++) trie.update(allKeys[i], allValues[i], allWeights[i]);
  trie.root();
  return { trie, s: (performance.now() - t0) / 1000 };
}

const out = [];
const emit = (name, fields) => out.push({ impl, name, n, value_bytes: valueBytes, ...fields });

if (task.kind === 'fill') {
  const times = [];
  let heap = 0;
  for (let r = 0; r < reps; r++) {
    const before = heapMb();
    const { trie, s } = fill(task.batched);
    times.push(s);
    // Footprint of the first run (later runs reuse memory the first one freed): the trie's WASM
    // memory and value arena, exactly, plus what the JS heap grew by.
    const native = trie.nativeMemory();
    if (r === 0) heap = (native.bytes + native.valueBytes) / 2 ** 20 + Math.max(0, heapMb() - before);
    trie.dispose();
  }
  const name = `fill+root${task.batched ? ' (updateMany, batches of 1024)' : ''}${task.retain ? ' (values retained)' : ''}`;
  emit(name, { median_s: median(times), heap_mb: +heap.toFixed(1), runs: reps });
} else {
  // Operations on a filled trie, with values retained so proofs can be built.
  const trie = new smst.SparseMerkleSumTrie({ core: impl });
  for (let i = 0; i < n; i++) trie.update(key(i), value(i), weight(i));
  trie.root();
  const m = 1000;
  const times = [];
  for (let r = 0; r < reps; r++) {
    const extra = randomBytes(32 * m);
    const t0 = performance.now();
    for (let i = 0; i < m; i++) trie.update(i % 2 ? extra.subarray(32 * i, 32 * i + 32) : key((i * 104729) % n), value(i), weight(i) + 1);
    trie.root();
    times.push((performance.now() - t0) / 1000 / m);
  }
  emit('update-then-root (per update, 1000 updates + root)', { median_s: median(times), runs: reps });

  const paths = Array.from({ length: 256 }, () => new Uint8Array(randomBytes(32)));
  const proofs = paths.map((p) => trie.proveClosest(p));
  const compacts = proofs.map((p) => smst.compactClosestProof(p));
  const gobs = compacts.map((c) => smst.marshalSparseCompactMerkleClosestProof(c));
  const root = trie.root();
  // The reference verifies with TypeScript and node:crypto; the WASM run folds the proof in WASM.
  const verifyOpts = { engine: impl === 'wasm' ? 'wasm' : 'node' };
  for (const g of gobs) if (!smst.checkClosestProofBytes(g, root, verifyOpts).valid) throw new Error('benchmark proof does not verify');
  let k = 0;
  const bench = new Bench({ time: task.quick ? 300 : 1000, warmupTime: 100 });
  // Each sample times a run of calls: a microsecond operation timed one call at a time would
  // mostly measure the timer and the harness's await between samples.
  const calls = new Map();
  const add = (name, per, op) => {
    calls.set(name, per);
    bench.add(name, () => {
      for (let i = 0; i < per; i++) op();
    });
  };
  add('prove-closest', 100, () => trie.proveClosest(paths[k++ & 255]));
  // Compaction and gob are one TypeScript implementation shared by both: measured once.
  if (impl === 'wasm') add('compact+gob', 20, () => smst.marshalSparseCompactMerkleClosestProof(smst.compactClosestProof(proofs[k++ & 255])));
  add('verify (gob → decompact → verify)', 20, () => smst.checkClosestProofBytes(gobs[k++ & 255], root, verifyOpts));
  await bench.run();
  for (const t of bench.tasks) {
    const r = t.result;
    const per = calls.get(t.name);
    const s = r.latency.p50 / 1000 / per;
    emit(t.name, { median_s: s, ops_per_s: Math.round(1 / s), samples: r.latency.samplesCount ?? r.latency.samples?.length, calls_per_sample: per });
  }
  trie.dispose();
}
process.stdout.write(JSON.stringify(out) + '\n');
