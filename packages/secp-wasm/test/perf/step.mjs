// Micro-benchmark of SecpRingEngine, printed as one JSON object:
//  * per layout (teeth × spacing): table bytes and build time per base, step() and lincomb()
//    time, memory for a few hundred rings;
//  * the same ring step composed from the prebuilt libsecp256k1 addon (`secp256k1` package):
//    L = combine(create(s), tweakMul(P, c)), R = combine(tweakMul(H, s), tweakMul(I, c));
//  * end to end: bLSAG verification of the 2-member rings of the shared golden vectors (engine
//    steps + SHA3-512 challenges in JS), tables prepared once as a relay miner would per session.
// Times are the best of several batches (the machine may be shared); medians are printed too.
//
// Usage: node test/perf/step.mjs [--quick] [--layouts=8x8,8x4,...]
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { SecpRingEngine } from '../../pkg/secp_wasm.js';

const require = createRequire(import.meta.url);
const quick = process.argv.includes('--quick');
const layoutArg = process.argv.find((a) => a.startsWith('--layouts='));
const LAYOUTS = layoutArg
  ? layoutArg.slice(10).split(',').map((s) => s.split('x').map(Number))
  : [[8, 1], [8, 2], [8, 4], [8, 8], [8, 16], [8, 32], [7, 4], [6, 4], [4, 4]];
const BATCHES = quick ? 5 : 15;
const STEPS_PER_BATCH = quick ? 300 : 1000;

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const hex = (b) => Buffer.from(b).toString('hex');
const be32 = (v) => Uint8Array.from(Buffer.from(v.toString(16).padStart(64, '0'), 'hex'));
const randScalar = () => BigInt('0x' + hex(randomBytes(32))) % N;
const round = (v, d = 2) => Number(v.toFixed(d));

/** Best and median per-call time (µs) of fn over `batches` batches of `n` calls. */
function time(fn, n, batches = BATCHES) {
  for (let i = 0; i < Math.min(n, 200); i++) fn(i); // warm-up (tier-up to TurboFan)
  const per = [];
  for (let b = 0; b < batches; b++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn(i);
    per.push(((performance.now() - t0) * 1000) / n);
  }
  per.sort((a, b) => a - b);
  return { best: per[0], median: per[per.length >> 1] };
}

// public keys of random points, shared by every layout
let points;
{
  const e = new SecpRingEngine();
  const out = new Uint8Array(33);
  points = Array.from({ length: 24 }, () => {
    e.lincomb(be32(randScalar()), SecpRingEngine.G, be32(0n), SecpRingEngine.G, out);
    return out.slice();
  });
  e.dispose();
}
const scalars = Array.from({ length: 256 }, () => be32(randScalar()));

const layouts = [];
for (const [teeth, spacing] of LAYOUTS) {
  const e = new SecpRingEngine({ teeth, spacing });
  const builds = [];
  const handles = [];
  for (const p of points) {
    const t0 = performance.now();
    handles.push(e.addBase(p));
    builds.push(performance.now() - t0);
  }
  builds.sort((a, b) => a - b);
  const out = new Uint8Array(66);
  const out33 = new Uint8Array(33);
  const [hP, hH, hI] = handles;
  const st = time((i) => e.step(scalars[i & 255], scalars[(i + 1) & 255], hP, hH, hI, out), STEPS_PER_BATCH);
  // rotating through 12 bases: tables no longer all in L1/L2, as across many rings
  const st12 = time((i) => {
    const k = (i % 4) * 3;
    e.step(scalars[i & 255], scalars[(i + 7) & 255], handles[k], handles[k + 1], handles[k + 2], out);
  }, STEPS_PER_BATCH);
  const lc = time((i) => e.lincomb(scalars[i & 255], SecpRingEngine.G, scalars[(i + 3) & 255], hP, out33), STEPS_PER_BATCH);
  layouts.push({
    teeth,
    spacing,
    blocks: e.blocks,
    bytesPerBase: e.bytesPerBase,
    // a relay miner holding 300 rings of 6 distinct bases each (G is shared)
    tableMiBFor1800Bases: round((1800 * e.bytesPerBase) / 2 ** 20, 1),
    buildMsPerBase: { best: round(builds[0], 3), median: round(builds[builds.length >> 1], 3) },
    stepUs: { best: round(st.best), median: round(st.median) },
    stepsPerSec: Math.round(1e6 / st.best),
    stepUs12Bases: { best: round(st12.best), median: round(st12.median) },
    lincombUs: { best: round(lc.best), median: round(lc.median) },
    stepsToRepayOneBuild: Math.round((builds[builds.length >> 1] * 1000) / st.median),
  });
  e.dispose();
}

// native libsecp256k1 addon, same step
let native = null;
try {
  const secp = require('secp256k1/bindings');
  const [P, H, I] = points;
  const o1 = new Uint8Array(33), o2 = new Uint8Array(33), o3 = new Uint8Array(33), o4 = new Uint8Array(33);
  const L = new Uint8Array(33), R = new Uint8Array(33);
  const nativeStep = (s, c) => {
    secp.publicKeyCreate(s, true, o1);
    secp.publicKeyTweakMul(P, c, true, o2);
    secp.publicKeyCombine([o1, o2], true, L);
    secp.publicKeyTweakMul(H, s, true, o3);
    secp.publicKeyTweakMul(I, c, true, o4);
    secp.publicKeyCombine([o3, o4], true, R);
  };
  const ns = time((i) => nativeStep(scalars[i & 255], scalars[(i + 1) & 255]), STEPS_PER_BATCH);
  const tm = time((i) => secp.publicKeyTweakMul(P, scalars[i & 255], true, o2), STEPS_PER_BATCH);
  // the addon's result must be the engine's
  const e = new SecpRingEngine();
  const out = new Uint8Array(66);
  e.step(scalars[5], scalars[6], e.addBase(P), e.addBase(H), e.addBase(I), out);
  nativeStep(scalars[5], scalars[6]);
  const same = hex(out) === hex(L) + hex(R);
  e.dispose();
  native = {
    what: 'L = combine(create(s), tweakMul(P, c)), R = combine(tweakMul(H, s), tweakMul(I, c))',
    stepUs: { best: round(ns.best), median: round(ns.median) },
    stepsPerSec: Math.round(1e6 / ns.best),
    tweakMulUs: round(tm.best),
    sameBytesAsEngine: same,
  };
} catch (err) {
  native = { error: String(err) };
}

// end to end on the golden vectors' 2-member rings
let verify = null;
const sigPath = new URL('../../../../../shared/vectors/ring/signatures.json', import.meta.url);
if (existsSync(sigPath)) {
  const recs = JSON.parse(readFileSync(sigPath, 'utf8')).records.filter((r) => r.ring_size === 2).slice(0, 200);
  const e = new SecpRingEngine();
  const cache = new Map();
  const base = (b) => {
    const k = hex(b);
    if (!cache.has(k)) cache.set(k, e.addBase(b));
    return cache.get(k);
  };
  const sha3 = (alg, b) => createHash(alg).update(b).digest();
  const hashToCurve = (pub) => {
    for (let h = sha3('sha3-256', pub); ; h = sha3('sha3-256', h)) {
      const cand = new Uint8Array(33);
      cand[0] = 2;
      cand.set(h, 1);
      if (base(cand) >= 0) return cand;
    }
  };
  const hs = (data) => {
    const r = BigInt('0x' + sha3('sha3-512', data).toString('hex')) % N;
    if (r === 0n || r >= 1n << 248n) return r;
    const shifted = r << BigInt(8 * (32 - ((r.toString(16).length + 1) >> 1)));
    return shifted < N ? shifted : null;
  };
  // per signature: what a verifier holds once the session's points have tables
  const prepared = recs.map((r) => {
    const sig = Buffer.from(r.sig_hex, 'hex');
    const members = [0, 1].map((i) => {
      const at = 69 + 65 * i;
      const pub = sig.subarray(at + 32, at + 65);
      return { s: new Uint8Array(sig.subarray(at, at + 32)), hP: base(pub), hH: base(hashToCurve(pub)) };
    });
    return { msg: Buffer.from(r.msg_hex, 'hex'), c0: BigInt('0x' + hex(sig.subarray(4, 36))) % N, hI: base(sig.subarray(36, 69)), members };
  });
  const input = new Uint8Array(98);
  const lr = input.subarray(32);
  const verifyOne = (p) => {
    input.set(p.msg, 0);
    let c = p.c0;
    for (const m of p.members) {
      e.step(m.s, be32(c), m.hP, m.hH, p.hI, lr);
      c = hs(input);
      if (c === null) return false;
    }
    return c === p.c0;
  };
  const ok = prepared.every(verifyOne);
  const t = time((i) => verifyOne(prepared[i % prepared.length]), quick ? 300 : 1000);
  verify = {
    what: '2-member ring bLSAG verify: 2 engine steps + 2 SHA3-512 (node:crypto) + BigInt scalar handling',
    signatures: prepared.length,
    allValid: ok,
    verifyUs: { best: round(t.best), median: round(t.median) },
    verificationsPerSec: Math.round(1e6 / t.best),
    verificationsPerSecMedian: Math.round(1e6 / t.median),
  };
  e.dispose();
}

console.log(JSON.stringify({ node: process.version, quick, layouts, native, verify }, null, 2));
