// Deferred, batched insertion (README "Deferred, batched inserts").
//
// update/updateKey/updateMany only append a new leaf to the pending-insert log; the log is
// applied in one batch before anything reads the structure (root, prove*, get, delete,
// commit, node counts). Applying: sort the log by path (one counting-sort pass on the top
// bits, insertion sort inside each bucket), merge duplicates (the last update's digest and
// handle, the first one's insertion time), then merge the sorted batch into the existing
// trie top-down: every existing node on the batch's paths is visited once, and subtrees made
// only of new keys (under an empty slot or an existing leaf) are built from the common-prefix
// lengths of adjacent sorted paths. The result is exactly what Go's one-at-a-time insertion
// (spec §6.1) gives: same nodes, same extension ranges and path bytes, same orphans in the
// same order.
import { blockAlloc, blockFree, blockCap, logSlabAlloc, noteAlloc88, reserveBytes } from './alloc';
import { joinBackground } from './sha256x4';
import {
  K_LEAF, K_INNER, K_LAZY, F_PERSISTED, ZERO48, kindOf, flagsOf, setFlags, extStart, extEnd,
  setExtEnd, extChild, setExtChild, innerChild, setInnerChild, bitAt, firstDiff, newInner,
  newExt, freeNode, copy32,
} from './node';
import {
  root, setRoot, initLeaf, flushPending, orphanDigest, markStale, regrow, resolve, arenaScratch,
} from './trie';

/** false: every insert descends at once (the sequential path; a constructor option) */
export let batchMode: bool = true;
/** set by a successful delete: from then on inserts are applied one at a time */
export let hadDelete: bool = false;

export function setBatchMode(on: bool): void { batchMode = on; }
export function noteDelete(): void { hadDelete = true; }
@inline export function deferring(): bool { return batchMode && !hadDelete; }

// ---- the log: new leaves in insertion order, in slabs of 8192 slots -------------------------
// seq s (0-based insertion order within the batch) lives in slot logK0 + s of the slab list;
// the slab list continues after the last used slot, so small batches waste nothing.

const LOG_SHIFT: usize = 13;
const LOG_PER: usize = 1 << LOG_SHIFT;
const LOG_SLAB: usize = LOG_PER * 88;

let logTab: usize = 0;
let logTabCap: usize = 0;
let logTabLen: usize = 0;
let logK0: usize = 0;
export let logLen: usize = 0;

// orphan records of one batch: key u64 = (min seq << 9) | depth, digest 48, pad
let ordPtr: usize = 0;
let ordCap: usize = 0;
let ordLen: usize = 0;

export function resetBatch(): void {
  hadDelete = false;
  logTab = 0; logTabCap = 0; logTabLen = 0; logK0 = 0; logLen = 0;
  ordPtr = 0; ordCap = 0; ordLen = 0;
}

@inline function nodeOfSeq(s: usize): usize {
  const v = s + logK0;
  return <usize>load<u32>(logTab + ((v >> LOG_SHIFT) << 2)) + (v & (LOG_PER - 1)) * 88;
}
@inline function pathOfSeq(s: usize): usize { return nodeOfSeq(s) + 56; }

/** Call before staging a payload for logInsert: applies a full log (its arena becomes scratch). */
@inline export function logRoom(): void {
  if (logLen >= MAX_BATCH) applyLog();
}

/** Appends a new pending leaf (PATH and the staged payload/handle) to the log. */
export function logInsert(): void {
  const v = logK0 + logLen;
  const si = v >> LOG_SHIFT;
  if (si == logTabLen) {
    if ((logTabLen + 1) << 2 > logTabCap) {
      const cap: usize = logTabCap < 256 ? 256 : logTabCap * 2;
      logTab = regrow(logTab, logTabCap, logTabLen << 2, cap);
      logTabCap = blockCap(cap);
    }
    store<u32>(logTab + (logTabLen << 2), <u32>logSlabAlloc(LOG_SLAB));
    logTabLen++;
  }
  noteAlloc88();
  initLeaf(<usize>load<u32>(logTab + (si << 2)) + (v & (LOG_PER - 1)) * 88);
  logLen++;
}

// ---- path helpers ------------------------------------------------------------------------

@inline function cmpPath(a: usize, b: usize): i32 {
  for (let k: usize = 0; k < 32; k += 8) {
    const x = bswap<u64>(load<u64>(a + k)), y = bswap<u64>(load<u64>(b + k));
    if (x != y) return x < y ? -1 : 1;
  }
  return 0;
}

/** Common-prefix length of two paths in bits; 256 if equal. */
@inline function lcp256(a: usize, b: usize): i32 {
  for (let k: usize = 0; k < 32; k += 8) {
    const x = load<u64>(a + k) ^ load<u64>(b + k);
    if (x != 0) return (<i32>k << 3) + <i32>clz<u64>(bswap<u64>(x));
  }
  return 256;
}

// ---- sorted batch: S[j] = seq of the j-th smallest path (low 24 bits) | lcp(path j-1, path j) << 24
// (4 bytes per key; at up to ~1M keys it lives in the empty pending arena, so applying a batch
// needs no memory beyond what the nodes take)

/** a batch holds at most 2^24 keys: the log is applied when it reaches that */
export const MAX_BATCH: usize = 1 << 24;
let S: usize = 0;

@inline function seqAt(j: usize): usize { return <usize>(load<u32>(S + (j << 2)) & 0xffffff); }
@inline function lcpAt(j: usize): i32 { return <i32>load<u8>(S + (j << 2) + 3); }

// two smallest insertion ranks of the keys of the subtree just built (X = 0, seq s = s + 1)
const NONE: u32 = 0xffffffff;
let RM1: u32 = 0;
export let touchSink: u32 = 0;
let RM2: u32 = 0;
let MINPOS: usize = 0;

/** Smallest lcp in (lo, hi) (unique in a sorted distinct range) and its position (MINPOS). */
@inline function minLcp(lo: usize, hi: usize, floor: i32): i32 {
  let p = 256;
  let m = lo;
  for (let j = lo + 1; j < hi; j++) {
    const v = lcpAt(j);
    if (v < p) {
      p = v;
      m = j;
      if (v == floor) break;
    }
  }
  MINPOS = m;
  return p;
}

// ---- orphans (Go order: by the first key whose walk met the node, then by depth) ---------

function pushOrphan(n: usize, seq: usize, d: i32): void {
  if (ordLen + 64 > ordCap) {
    const cap: usize = ordCap < 4096 ? 4096 : ordCap * 2;
    ordPtr = regrow(ordPtr, ordCap, ordLen, cap);
    ordCap = blockCap(cap);
  }
  const r = ordPtr + ordLen;
  store<u64>(r, ((<u64>seq) << 9) | <u64>d);
  memory.copy(r + 8, n + 8, 48);
  ordLen += 64;
}

function orphanRange(n: usize, lo: usize, hi: usize, d: i32): void {
  let m = seqAt(lo);
  for (let j = lo + 1; j < hi; j++) {
    const s = seqAt(j);
    if (s < m) m = s;
  }
  pushOrphan(n, m, d);
}

const SWAP: usize = memory.data(64);

@inline function recKey(i: usize): u64 { return load<u64>(ordPtr + (i << 6)); }
@inline function recSwap(i: usize, j: usize): void {
  const a = ordPtr + (i << 6), b = ordPtr + (j << 6);
  memory.copy(SWAP, a, 56);
  memory.copy(a, b, 56);
  memory.copy(b, SWAP, 56);
}

function siftDown(i: usize, n: usize): void {
  for (;;) {
    let c: usize = 2 * i + 1;
    if (c >= n) return;
    if (c + 1 < n && recKey(c + 1) > recKey(c)) c++;
    if (recKey(c) <= recKey(i)) return;
    recSwap(i, c);
    i = c;
  }
}

function flushOrphans(): void {
  const n = ordLen >> 6;
  if (n == 0) return;
  // heapsort by key (keys are distinct: one record per node, depths differ along a walk)
  for (let i = <isize>(n >> 1) - 1; i >= 0; i--) siftDown(<usize>i, n);
  for (let e = n - 1; e > 0; e--) {
    recSwap(0, e);
    siftDown(0, e);
  }
  for (let i: usize = 0; i < n; i++) orphanDigest(ordPtr + (i << 6) + 8);
  ordLen = 0;
}

// ---- building and merging ----------------------------------------------------------------

/** A fresh subtree at depth d holding the keys S[lo..hi) (distinct, sorted). */
function build(lo: usize, hi: usize, d: i32): usize {
  if (hi - lo == 1) {
    const s = seqAt(lo);
    RM1 = <u32>s + 1;
    RM2 = NONE;
    return nodeOfSeq(s);
  }
  const p = minLcp(lo, hi, d);
  const m = MINPOS;
  const ext: usize = p > d ? newExt(ZERO48, d, p, 0) : 0;
  const inner = newInner();
  const l = build(lo, m, p + 1);
  const a1 = RM1, a2 = RM2;
  const r = build(m, hi, p + 1);
  const b1 = RM1, b2 = RM2;
  store<u32>(inner, <u32>l, 4);
  store<u32>(inner, <u32>r, 56);
  if (a1 < b1) { RM1 = a1; RM2 = a2 < b1 ? a2 : b1; } else { RM1 = b1; RM2 = b2 < a1 ? b2 : a1; }
  if (ext != 0) {
    // closed form (spec §6.5): the path of the second key by insertion time
    copy32(ext + 56, pathOfSeq(<usize>RM2 - 1));
    setExtChild(ext, inner);
    return ext;
  }
  return inner;
}

/** Existing leaf X overwritten by the batch entry with seq s (X keeps its insertion time). */
function overwrite(x: usize, s: usize, d: i32): void {
  const nn = nodeOfSeq(s);
  if ((flagsOf(x) & F_PERSISTED) != 0) pushOrphan(x, s, d);
  memory.copy(x + 4, nn + 4, 52); // handle ‖ digest
  setFlags(x, 0);
  freeNode(nn);
}

/** A fresh subtree at depth d holding the existing leaf X (oldest) and S[lo..hi). */
function buildX(lo: usize, hi: usize, d: i32, x: usize): usize {
  const xp = x + 56;
  const q = lcp256(xp, pathOfSeq(seqAt(lo)));
  let p = 256;
  let m = lo;
  if (hi - lo == 1) {
    if (q == 256) {
      overwrite(x, seqAt(lo), d);
      RM1 = 0;
      RM2 = NONE;
      return x;
    }
  } else {
    p = minLcp(lo, hi, d);
    m = MINPOS;
  }
  let ext: usize = 0;
  let inner: usize = 0;
  if (q < p) {
    // X leaves the batch's common prefix at q
    if (q > d) ext = newExt(ZERO48, d, q, 0);
    inner = newInner();
    const other = build(lo, hi, q + 1);
    const side = bitAt(xp, q);
    setInnerChild(inner, side, x);
    setInnerChild(inner, 1 - side, other);
    RM2 = RM1;
  } else {
    if (p > d) ext = newExt(ZERO48, d, p, 0);
    inner = newInner();
    if (bitAt(xp, p) == 0) {
      const l = buildX(lo, m, p + 1, x);
      const a2 = RM2;
      const r = build(m, hi, p + 1);
      const b1 = RM1;
      store<u32>(inner, <u32>l, 4);
      store<u32>(inner, <u32>r, 56);
      RM2 = a2 < b1 ? a2 : b1;
    } else {
      const l = build(lo, m, p + 1);
      const a1 = RM1;
      const r = buildX(m, hi, p + 1, x);
      const b2 = RM2;
      store<u32>(inner, <u32>l, 4);
      store<u32>(inner, <u32>r, 56);
      RM2 = a1 < b2 ? a1 : b2;
    }
  }
  RM1 = 0;
  if (ext != 0) {
    copy32(ext + 56, pathOfSeq(<usize>RM2 - 1));
    setExtChild(ext, inner);
    return ext;
  }
  return inner;
}

// per-extension groups of keys leaving the extension's path at bit i: (i, lo, hi) u32 triples;
// nested extensions cover disjoint depth ranges, so at most 256 groups are live at once
const GROUPS: usize = memory.data(260 * 12);
let gsp: usize = 0;

/** Inserts S[lo..hi) into the subtree n at depth d; returns what replaces n. */
function merge(n: usize, lo: usize, hi: usize, d: i32): usize {
  if (n == 0) return build(lo, hi, d);
  if (kindOf(n) == K_LAZY && resolve(n) < 0) unreachable(); // resolved when the key was logged
  const k = kindOf(n);
  if (k == K_LEAF) return buildX(lo, hi, d, n);
  if ((flagsOf(n) & F_PERSISTED) != 0) orphanRange(n, lo, hi, d);
  if (k == K_INNER) {
    let m = hi;
    for (let j = lo + 1; j < hi; j++) {
      if (lcpAt(j) == d) { m = j; break; }
    }
    if (m == hi && bitAt(pathOfSeq(seqAt(lo)), d) == 1) m = lo;
    if (m > lo) setInnerChild(n, 0, merge(innerChild(n, 0), lo, m, d + 1));
    if (m < hi) setInnerChild(n, 1, merge(innerChild(n, 1), m, hi, d + 1));
    markStale(n);
    return n;
  }
  return mergeExt(n, lo, hi);
}

/** Extension E (reached at its start): cut at every bit where some batch keys leave its path. */
function mergeExt(e: usize, lo: usize, hi: usize): usize {
  const s = extStart(e), end = extEnd(e);
  const P = e + 56;
  const g0 = gsp;
  let mlo = lo, mhi = lo;
  if (firstDiff(pathOfSeq(seqAt(lo)), P, s, end) == end && firstDiff(pathOfSeq(seqAt(hi - 1)), P, s, end) == end) {
    mhi = hi; // first and last follow the whole extension, so everything between does
  } else {
    let j = lo;
    let gi = firstDiff(pathOfSeq(seqAt(j)), P, s, end);
    while (j < hi) {
      let j2 = j + 1;
      let i2 = 0;
      while (j2 < hi) {
        i2 = firstDiff(pathOfSeq(seqAt(j2)), P, s, end);
        if (i2 != gi) break;
        j2++;
      }
      if (gi == end) {
        mlo = j;
        mhi = j2;
      } else {
        const g = GROUPS + gsp * 12;
        store<u32>(g, <u32>gi);
        store<u32>(g, <u32>j, 4);
        store<u32>(g, <u32>j2, 8);
        gsp++;
      }
      j = j2;
      gi = i2;
    }
  }
  const g1 = gsp;
  // deepest cut first: insertion sort of the groups by i, descending
  for (let a = g0 + 1; a < g1; a++) {
    const ai = load<u32>(GROUPS + a * 12), alo = load<u32>(GROUPS + a * 12, 4), ahi = load<u32>(GROUPS + a * 12, 8);
    let b = a;
    while (b > g0 && load<u32>(GROUPS + (b - 1) * 12) < ai) {
      memory.copy(GROUPS + b * 12, GROUPS + (b - 1) * 12, 12);
      b--;
    }
    store<u32>(GROUPS + b * 12, ai);
    store<u32>(GROUPS + b * 12, alo, 4);
    store<u32>(GROUPS + b * 12, ahi, 8);
  }
  let cur = extChild(e);
  if (mhi > mlo) cur = merge(cur, mlo, mhi, end);
  let segEnd = end;
  for (let a = g0; a < g1; a++) {
    const i = <i32>load<u32>(GROUPS + a * 12);
    const glo = <usize>load<u32>(GROUPS + a * 12, 4), ghi = <usize>load<u32>(GROUPS + a * 12, 8);
    // the piece below the cut keeps E's path bytes (Go copies them into the new tail)
    if (i + 1 < segEnd) cur = newExt(P, i + 1, segEnd, cur);
    const b = newInner();
    const side = bitAt(P, i);
    setInnerChild(b, side, cur);
    setInnerChild(b, 1 - side, build(glo, ghi, i + 1));
    cur = b;
    segEnd = i;
  }
  gsp = g0;
  if (s < segEnd) {
    setExtEnd(e, segEnd);
    setExtChild(e, cur);
    markStale(e);
    return e;
  }
  freeNode(e);
  return cur;
}

// ---- apply -------------------------------------------------------------------------------

/** Applies the pending-insert log to the trie (no-op when empty). */
export function applyLog(): void {
  const n = logLen;
  if (n == 0) return;
  // every logged leaf gets its path now and its digest by the merge below: the threads build
  // hashes the last leaves on the worker while this thread sorts (sorting reads paths only)
  flushPending(true);
  // the inner and extension nodes of a random batch (64 + ~0.25 × 88 bytes per new key) and
  // root()'s extension lists, in one memory.grow: every grow can start a full JS GC (a no-op
  // when updateMany already reserved it)
  if (n >= 4096) reserveBytes(n * 89);
  let bits: u32 = 31 - clz<u32>(<u32>n);
  if (bits > 16) bits = 16;
  if (bits < 1) bits = 1;
  let nb: usize = <usize>1 << bits;
  let cntBytes = (nb + 1) << 2;
  let scratch: usize = 0;
  for (;;) {
    scratch = arenaScratch(cntBytes + (n << 2));
    if (scratch != 0 || bits <= 10) break;
    bits--;
    nb = <usize>1 << bits;
    cntBytes = (nb + 1) << 2;
  }
  const own = scratch == 0;
  if (own) scratch = blockAlloc(cntBytes + (n << 2));
  const sh: u32 = 16 - bits;
  const cnt = scratch;
  S = scratch + cntBytes;
  memory.fill(cnt, 0, cntBytes);
  // counting sort on the top `bits` bits (reads the log in memory order)
  for (let s: usize = 0; s < n; s++) {
    const b = <usize>(<u32>bswap<u16>(load<u16>(pathOfSeq(s))) >> sh);
    const c = cnt + ((b + 1) << 2);
    store<u32>(c, load<u32>(c) + 1);
  }
  for (let b: usize = 1; b <= nb; b++) {
    const c = cnt + (b << 2);
    store<u32>(c, load<u32>(c) + load<u32>(c - 4));
  }
  for (let s: usize = 0; s < n; s++) {
    const b = <usize>(<u32>bswap<u16>(load<u16>(pathOfSeq(s))) >> sh);
    const c = cnt + (b << 2);
    const at = load<u32>(c);
    store<u32>(S + (<usize>at << 2), <u32>s);
    store<u32>(c, at + 1);
  }
  // each bucket: stable insertion sort, then lcp with the previous key and duplicate merging
  let w: usize = 0;
  let prev: usize = 0;
  let b0: usize = 0;
  let acc: u32 = 0;
  for (let b: usize = 0; b < nb; b++) {
    const b1 = <usize>load<u32>(cnt + (b << 2));
    // touch the paths of the bucket after next: independent loads, so their misses overlap
    if (b + 2 < nb) {
      const t1 = <usize>load<u32>(cnt + ((b + 2) << 2));
      for (let j = <usize>load<u32>(cnt + ((b + 1) << 2)); j < t1; j++) {
        const p = pathOfSeq(<usize>load<u32>(S + (j << 2)));
        acc += load<u8>(p) + load<u8>(p, 31);
      }
    }
    for (let j = b0 + 1; j < b1; j++) {
      const v = load<u32>(S + (j << 2));
      const pv = pathOfSeq(<usize>v);
      let i = j;
      while (i > b0) {
        const u = load<u32>(S + ((i - 1) << 2));
        if (cmpPath(pathOfSeq(<usize>u), pv) <= 0) break;
        store<u32>(S + (i << 2), u);
        i--;
      }
      store<u32>(S + (i << 2), v);
    }
    for (let j = b0; j < b1; j++) {
      const s = <usize>load<u32>(S + (j << 2));
      const p = pathOfSeq(s);
      let l = 0;
      if (w > 0) {
        l = lcp256(prev, p);
        if (l == 256) {
          // same path again: the newest value and handle, the oldest insertion time
          joinBackground(); // its digest must be final, and its slot no longer written
          const keep = nodeOfSeq(seqAt(w - 1));
          const nn = p - 56;
          memory.copy(keep + 4, nn + 4, 52);
          freeNode(nn);
          continue;
        }
      }
      store<u32>(S + (w << 2), <u32>s | (<u32>l << 24));
      w++;
      prev = p;
    }
    b0 = b1;
  }
  touchSink += acc;
  joinBackground(); // merging copies and reads leaf digests
  ordLen = 0;
  gsp = 0;
  setRoot(merge(root, 0, w, 0));
  flushOrphans();
  if (own) blockFree(scratch, cntBytes + (n << 2));
  S = 0;
  // the next batch continues in the same slab after the last used slot
  const vEnd = logK0 + n;
  if ((vEnd & (LOG_PER - 1)) == 0) {
    logTabLen = 0;
    logK0 = 0;
  } else {
    store<u32>(logTab, load<u32>(logTab + ((vEnd >> LOG_SHIFT) << 2)));
    logTabLen = 1;
    logK0 = vEnd & (LOG_PER - 1);
  }
  logLen = 0;
}
