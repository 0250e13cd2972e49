// Four independent SHA-256 computations at once, one per i32x4 lane. Lanes may have different
// lengths: a lane whose blocks are exhausted keeps its state (masked update) while the others
// continue. Messages are read in place; only the padded tail blocks are copied.
import { K256, IV256, padTail, sha256 } from './sha256';

const KX4: usize = memory.data(64 * 16);
const WX4: usize = memory.data(64 * 16);
const TAILS: usize = memory.data(4 * 128);
const LANE: usize = memory.data(4 * 4 * 4); // per lane: full blocks, total blocks, msg ptr, out ptr
let kReady = false;

// byte swap inside every 32-bit word
const BSWAP = i8x16(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);

function prepareK(): void {
  for (let t: usize = 0; t < 64; t++) v128.store(KX4 + (t << 4), i32x4.splat(load<i32>(K256 + (t << 2))));
  kReady = true;
}

@inline function rotrx(x: v128, n: i32): v128 {
  return v128.or(i32x4.shr_u(x, n), i32x4.shl(x, 32 - n));
}

@inline function blockPtr(lane: usize, b: usize): usize {
  const base = LANE + (lane << 4);
  const full = <usize>load<u32>(base);
  if (b < full) return <usize>load<u32>(base, 8) + (b << 6);
  const total = <usize>load<u32>(base, 4);
  const tail = TAILS + (lane << 7);
  return b < total ? tail + ((b - full) << 6) : tail;
}

/** Hashes four messages; outputs are 32 bytes each and must not overlap the inputs. */
export function sha256x4(
  m0: usize, l0: usize, m1: usize, l1: usize, m2: usize, l2: usize, m3: usize, l3: usize,
  o0: usize, o1: usize, o2: usize, o3: usize,
): void {
  if (!kReady) prepareK();
  let maxBlocks: usize = 0;
  let minBlocks: usize = 0xffffffff;
  for (let lane: usize = 0; lane < 4; lane++) {
    const m = lane == 0 ? m0 : lane == 1 ? m1 : lane == 2 ? m2 : m3;
    const l = lane == 0 ? l0 : lane == 1 ? l1 : lane == 2 ? l2 : l3;
    const full = l >>> 6;
    const tb = padTail(TAILS + (lane << 7), m + (full << 6), l);
    const total = full + tb;
    const base = LANE + (lane << 4);
    store<u32>(base, <u32>full);
    store<u32>(base, <u32>total, 4);
    store<u32>(base, <u32>m, 8);
    if (total > maxBlocks) maxBlocks = total;
    if (total < minBlocks) minBlocks = total;
  }
  let s0 = i32x4.splat(load<i32>(IV256, 0)), s1 = i32x4.splat(load<i32>(IV256, 4));
  let s2 = i32x4.splat(load<i32>(IV256, 8)), s3 = i32x4.splat(load<i32>(IV256, 12));
  let s4 = i32x4.splat(load<i32>(IV256, 16)), s5 = i32x4.splat(load<i32>(IV256, 20));
  let s6 = i32x4.splat(load<i32>(IV256, 24)), s7 = i32x4.splat(load<i32>(IV256, 28));

  for (let b: usize = 0; b < maxBlocks; b++) {
    const p0 = blockPtr(0, b), p1 = blockPtr(1, b), p2 = blockPtr(2, b), p3 = blockPtr(3, b);
    for (let g: usize = 0; g < 4; g++) {
      const off = g << 4;
      const r0 = i8x16.swizzle(v128.load(p0 + off), BSWAP);
      const r1 = i8x16.swizzle(v128.load(p1 + off), BSWAP);
      const r2 = i8x16.swizzle(v128.load(p2 + off), BSWAP);
      const r3 = i8x16.swizzle(v128.load(p3 + off), BSWAP);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const w = WX4 + (g << 6);
      v128.store(w, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
      v128.store(w, i32x4.shuffle(t0, t1, 2, 3, 6, 7), 16);
      v128.store(w, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 32);
      v128.store(w, i32x4.shuffle(t2, t3, 2, 3, 6, 7), 48);
    }
    for (let t: usize = 16; t < 64; t++) {
      const w15 = v128.load(WX4 + ((t - 15) << 4));
      const w2 = v128.load(WX4 + ((t - 2) << 4));
      const x0 = v128.xor(v128.xor(rotrx(w15, 7), rotrx(w15, 18)), i32x4.shr_u(w15, 3));
      const x1 = v128.xor(v128.xor(rotrx(w2, 17), rotrx(w2, 19)), i32x4.shr_u(w2, 10));
      v128.store(WX4 + (t << 4), i32x4.add(
        i32x4.add(v128.load(WX4 + ((t - 16) << 4)), x0),
        i32x4.add(v128.load(WX4 + ((t - 7) << 4)), x1),
      ));
    }
    let a = s0, bb = s1, c = s2, d = s3, e = s4, f = s5, g = s6, h = s7;
    for (let t: usize = 0; t < 64; t++) {
      const S1 = v128.xor(v128.xor(rotrx(e, 6), rotrx(e, 11)), rotrx(e, 25));
      const ch = v128.bitselect(f, g, e);
      const t1 = i32x4.add(i32x4.add(h, S1), i32x4.add(ch, i32x4.add(v128.load(KX4 + (t << 4)), v128.load(WX4 + (t << 4)))));
      const S0 = v128.xor(v128.xor(rotrx(a, 2), rotrx(a, 13)), rotrx(a, 22));
      const maj = v128.bitselect(a, bb, v128.xor(c, bb));
      const t2 = i32x4.add(S0, maj);
      h = g; g = f; f = e; e = i32x4.add(d, t1);
      d = c; c = bb; bb = a; a = i32x4.add(t1, t2);
    }
    if (b < minBlocks) {
      s0 = i32x4.add(s0, a); s1 = i32x4.add(s1, bb); s2 = i32x4.add(s2, c); s3 = i32x4.add(s3, d);
      s4 = i32x4.add(s4, e); s5 = i32x4.add(s5, f); s6 = i32x4.add(s6, g); s7 = i32x4.add(s7, h);
    } else {
      // lanes that already consumed all their blocks keep their state
      const mask = i32x4(
        b < <usize>load<u32>(LANE, 4) ? -1 : 0,
        b < <usize>load<u32>(LANE, 20) ? -1 : 0,
        b < <usize>load<u32>(LANE, 36) ? -1 : 0,
        b < <usize>load<u32>(LANE, 52) ? -1 : 0,
      );
      s0 = v128.bitselect(i32x4.add(s0, a), s0, mask);
      s1 = v128.bitselect(i32x4.add(s1, bb), s1, mask);
      s2 = v128.bitselect(i32x4.add(s2, c), s2, mask);
      s3 = v128.bitselect(i32x4.add(s3, d), s3, mask);
      s4 = v128.bitselect(i32x4.add(s4, e), s4, mask);
      s5 = v128.bitselect(i32x4.add(s5, f), s5, mask);
      s6 = v128.bitselect(i32x4.add(s6, g), s6, mask);
      s7 = v128.bitselect(i32x4.add(s7, h), s7, mask);
    }
  }
  // transpose state back: lane i gets words 0..3 from s0..s3 and 4..7 from s4..s7
  const u0 = i32x4.shuffle(s0, s1, 0, 4, 1, 5), u1 = i32x4.shuffle(s2, s3, 0, 4, 1, 5);
  const u2 = i32x4.shuffle(s0, s1, 2, 6, 3, 7), u3 = i32x4.shuffle(s2, s3, 2, 6, 3, 7);
  const v0 = i32x4.shuffle(s4, s5, 0, 4, 1, 5), v1 = i32x4.shuffle(s6, s7, 0, 4, 1, 5);
  const v2 = i32x4.shuffle(s4, s5, 2, 6, 3, 7), v3 = i32x4.shuffle(s6, s7, 2, 6, 3, 7);
  v128.store(o0, i8x16.swizzle(i32x4.shuffle(u0, u1, 0, 1, 4, 5), BSWAP));
  v128.store(o0, i8x16.swizzle(i32x4.shuffle(v0, v1, 0, 1, 4, 5), BSWAP), 16);
  v128.store(o1, i8x16.swizzle(i32x4.shuffle(u0, u1, 2, 3, 6, 7), BSWAP));
  v128.store(o1, i8x16.swizzle(i32x4.shuffle(v0, v1, 2, 3, 6, 7), BSWAP), 16);
  v128.store(o2, i8x16.swizzle(i32x4.shuffle(u2, u3, 0, 1, 4, 5), BSWAP));
  v128.store(o2, i8x16.swizzle(i32x4.shuffle(v2, v3, 0, 1, 4, 5), BSWAP), 16);
  v128.store(o3, i8x16.swizzle(i32x4.shuffle(u2, u3, 2, 3, 6, 7), BSWAP));
  v128.store(o3, i8x16.swizzle(i32x4.shuffle(v2, v3, 2, 3, 6, 7), BSWAP), 16);
}

// Threads build only (ASC_FEATURE_THREADS): a large job table is shared with the host's worker
// thread (pkg/smt_wasm.js), which runs hashShared with its own instance of assembly/hashworker.ts
// over the same shared memory. Both threads take chunks of CHUNK_JOBS jobs from one atomic
// counter, so neither waits for a slow (or late-waking) partner: hashStart offers the table to
// the worker (0: no worker available), hashWait returns once the worker no longer touches it.
@external("env", "hashStart") declare function hashStart(table: usize, n: usize, ctr: usize, mode: i32): i32;
@external("env", "hashWait") declare function hashWait(): void;

const CHUNK_JOBS: usize = 64;
// the shared chunk counter of the table being split (its own cache line)
const SPLIT_CTR: usize = memory.data(128, 64);

// 0: never split; otherwise the smallest table that is split (set by the glue)
let splitMin: usize = 0;
export function setSplitMin(n: usize): void { splitMin = n; }

/**
 * Threads build: offers a table of n entries to the worker (mode -1: hash jobs, hashShared;
 * 0..255: a level list of root() at that depth, hashLevelShared). True if the caller must now
 * take chunks from splitCounter() itself and then call joinSplit().
 */
export function offerSplit(table: usize, n: usize, mode: i32): bool {
  joinBackground(); // one table at a time per core
  if (splitMin == 0 || n < splitMin) return false;
  atomic.store<u32>(SPLIT_CTR, 0);
  return hashStart(table, n, SPLIT_CTR, mode) != 0;
}
@inline export function splitCounter(): usize { return SPLIT_CTR; }
export function joinSplit(): void { hashWait(); }

// A table offered in the background (mode -2): the worker hashes it while this thread goes on
// with other work; joinBackground() takes what is left and waits, like the end of hashJobs.
// Until then the caller must not touch the table, its messages or its outputs.
let bgTable: usize = 0;
let bgN: usize = 0;
/** tables taken in the background since the last reset (diagnostics) */
export let bgTables: u32 = 0;

/** Threads build: true if the worker took the table in the background; false: hash it yourself. */
export function offerBackground(table: usize, n: usize): bool {
  if (!ASC_FEATURE_THREADS || !offerSplit(table, n, -2)) return false;
  bgTable = table;
  bgN = n;
  bgTables++;
  return true;
}

/** Completes the background table, if any, and zeroes the diagnostics counter. */
export function resetBackground(): void {
  joinBackground();
  bgTables = 0;
}

/** Completes the background table, if any (the host calls it too, before another core's table). */
export function joinBackground(): void {
  if (!ASC_FEATURE_THREADS || bgN == 0) return;
  const n = bgN;
  bgN = 0;
  hashShared(bgTable, n, SPLIT_CTR);
  joinSplit();
}

/** Hashes chunks of the table taken from the counter at `ctr` until none is left. */
export function hashShared(table: usize, n: usize, ctr: usize): void {
  for (;;) {
    const i = <usize>atomic.add<u32>(ctr, <u32>CHUNK_JOBS);
    if (i >= n) break;
    hashJobsLocal(table + i * 12, n - i < CHUNK_JOBS ? n - i : CHUNK_JOBS);
  }
}

/**
 * Hashes `n` jobs described by a table of (msgPtr, len, outPtr) u32 triples: four at a time
 * through the SIMD path, the remaining 0..3 with the scalar one. In the threads build, tables of
 * at least splitMin jobs are shared with the worker thread.
 */
export function hashJobs(table: usize, n: usize): void {
  if (ASC_FEATURE_THREADS) {
    if (offerSplit(table, n, -1)) {
      hashShared(table, n, SPLIT_CTR);
      joinSplit();
      return;
    }
  }
  hashJobsLocal(table, n);
}

/** hashJobs on this thread only. */
export function hashJobsLocal(table: usize, n: usize): void {
  let i: usize = 0;
  for (; i + 4 <= n; i += 4) {
    const j = table + i * 12;
    sha256x4(
      <usize>load<u32>(j, 0), <usize>load<u32>(j, 4),
      <usize>load<u32>(j, 12), <usize>load<u32>(j, 16),
      <usize>load<u32>(j, 24), <usize>load<u32>(j, 28),
      <usize>load<u32>(j, 36), <usize>load<u32>(j, 40),
      <usize>load<u32>(j, 8), <usize>load<u32>(j, 20), <usize>load<u32>(j, 32), <usize>load<u32>(j, 44),
    );
  }
  for (; i < n; i++) {
    const j = table + i * 12;
    sha256(<usize>load<u32>(j, 0), <usize>load<u32>(j, 4), <usize>load<u32>(j, 8));
  }
}
