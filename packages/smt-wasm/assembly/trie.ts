// The Go-shaped trie (spec §6): insert with extension splits, delete with merges/absorbs,
// lazy nodes resolved through the host loader, level-by-level batched hashing and commit.
import { rawAlloc, blockAlloc, blockFree, blockCap, allocReset } from './alloc';
import { hashJobs, offerBackground, joinBackground, resetBackground } from './sha256x4';
import { hashLevel } from './levels';
import {
  K_LEAF, K_INNER, K_EXT, K_LAZY, F_STALE, F_PERSISTED, F_PENDING, F_BIG, F_KEYED, NO_HANDLE, ZERO48,
  kindOf, flagsOf, setFlags, digestPtr, extStart, extEnd, setExtStart, setExtEnd, extChild,
  setExtChild, innerChild, setInnerChild, setLeafHandle, bitAt, firstDiff, newInner, newExt,
  newLazy, freeNode, isZero48, writeInnerPre, writeExtPre, copy16, copy32, copy48, copyBytes,
} from './node';
import { alloc88 } from './alloc';
import { deferring } from './batch';

@external("env", "loadNode") declare function hostLoad(digest: usize): i32;
@external("env", "loadCopy") declare function hostCopy(dst: usize): void;

export const E_MISSING: i32 = -1;
export const E_LOADER: i32 = -2;
export const E_MALFORMED: i32 = -3;

export let root: usize = 0;
/** set once a persisted root is imported: only then can walks meet lazy nodes */
export let lazyPossible: bool = false;
/** the path the current operation works on */
export const PATH: usize = memory.data(32);

let curPre: usize = 0;
let curPreLen: u32 = 0;
let curHandle: u32 = 0;
/** the staged preimage's path is to be hashed from a key of curKeyLen bytes (stageKeyed) */
let curKeyed: bool = false;
let curKeyLen: u32 = 0;

// ---- growable buffers --------------------------------------------------------------------

export function regrow(old: usize, oldCap: usize, used: usize, need: usize): usize {
  const p = blockAlloc(need);
  if (used > 0) memory.copy(p, old, used);
  if (old != 0) blockFree(old, oldCap);
  return p;
}

export let outPtr: usize = 0;
let outCap: usize = 0;
export let outLen: usize = 0;

export function outReset(): void { outLen = 0; }
/** Reserves n bytes at the end of the output buffer and returns where to write them. */
export function outTake(n: usize): usize {
  if (outLen + n > outCap) {
    let cap: usize = outCap < 4096 ? 4096 : outCap * 2;
    while (cap < outLen + n) cap *= 2;
    outPtr = regrow(outPtr, outCap, outLen, cap);
    outCap = blockCap(cap);
  }
  const p = outPtr + outLen;
  outLen += n;
  return p;
}
@inline export function outU8(v: u8): void { store<u8>(outTake(1), v); }
@inline export function outU32(v: u32): void { store<u32>(outTake(4), v); }
@inline export function outBytes(src: usize, n: usize): void { memory.copy(outTake(n), src, n); }

let inPtr: usize = 0;
let inCap: usize = 0;
/** A staging buffer of at least n bytes for the host to write inputs into. */
export function inBuffer(n: usize): usize {
  if (n > inCap) {
    if (inPtr != 0) blockFree(inPtr, inCap);
    inPtr = blockAlloc(n);
    inCap = blockCap(n);
  }
  return inPtr;
}

// orphans: 48-byte digests of persisted nodes replaced or modified since the last commit
let orphPtr: usize = 0;
let orphCap: usize = 0;
let orphLen: usize = 0;

function orphan(n: usize): void {
  if ((flagsOf(n) & F_PERSISTED) == 0) return;
  if (orphLen + 48 > orphCap) {
    const cap: usize = orphCap < 4096 ? 4096 : orphCap * 2;
    orphPtr = regrow(orphPtr, orphCap, orphLen, cap);
    orphCap = blockCap(cap);
  }
  memory.copy(orphPtr + orphLen, n + 8, 48);
  orphLen += 48;
}

/** Appends a 48-byte digest to the orphan list (batched inserts record their own order). */
export function orphanDigest(d: usize): void {
  if (orphLen + 48 > orphCap) {
    const cap: usize = orphCap < 4096 ? 4096 : orphCap * 2;
    orphPtr = regrow(orphPtr, orphCap, orphLen, cap);
    orphCap = blockCap(cap);
  }
  memory.copy(orphPtr + orphLen, d, 48);
  orphLen += 48;
}

/** Moves the orphan list to the output buffer; returns how many digests. */
export function takeOrphans(): u32 {
  outReset();
  outBytes(orphPtr, orphLen);
  const n = <u32>(orphLen / 48);
  orphLen = 0;
  return n;
}

@inline export function markStale(n: usize): void {
  setFlags(n, (flagsOf(n) & ~F_PERSISTED) | F_STALE);
}

// ---- pending leaves: preimages waiting to be hashed in SIMD batches ------------------------

const ARENA_MIN: usize = 4 << 20;
let arenaPtr: usize = 0;
let arenaCap: usize = 0;
let arenaLen: usize = 0;
let pendPtr: usize = 0;
let pendCap: usize = 0;
let pendCount: usize = 0;

// preimages per hash-job table; the threads build shares tables with a worker thread, so larger
// tables amortise its wake-up (4096: 512 KiB of preimages)
const CHUNK: usize = ASC_FEATURE_THREADS ? 4096 : 1024;
let jobTable: usize = 0;
let preBuf: usize = 0;

function ensureScratch(): void {
  if (jobTable == 0) {
    jobTable = rawAlloc(CHUNK * 12);
    // the threads build builds inner preimages in per-thread scratch (levels.ts)
    preBuf = ASC_FEATURE_THREADS ? 0 : rawAlloc(CHUNK * 128);
  }
}

@inline function setJob(table: usize, i: usize, msg: usize, len: usize, out: usize): void {
  const j = table + i * 12;
  store<u32>(j, <u32>msg);
  store<u32>(j, <u32>len, 4);
  store<u32>(j, <u32>out, 8);
}

/** Job i of `table` for pending leaf number i: its preimage → its digest field. */
@inline function leafJob(table: usize, k: usize, i: usize): void {
  const n = <usize>load<u32>(pendPtr + (i << 2));
  const pre = <usize>load<u32>(n, 8);
  const len = <usize>load<u32>(n, 12);
  // trailer (weight ‖ count) is copied now; the hash lands in bytes 8..40 afterwards
  copy16(n + 40, pre + len - 16);
  setJob(table, k, pre, len, n + 8);
  setFlags(n, flagsOf(n) & ~(F_PENDING | F_STALE));
}

// Threads build: a full arena is hashed by the worker in the background while inserts go on in
// the spare arena (the log's leaves are not read before the log is applied, which flushes).
let spareArena: usize = 0;
let spareCap: usize = 0;
let bgJobs: usize = 0;
let bgCap: usize = 0;

/**
 * Hashes every pending leaf. `background` (logged inserts only, which nothing reads before the
 * log is applied): the threads build may hand the leaf hashing to the worker and return at
 * once; the next flush, offer or joinBackground() completes it. Keys are hashed before return.
 */
export function flushPending(background: bool = false): void {
  joinBackground(); // the spare arena and the background table are free again
  if (pendCount == 0) return;
  ensureScratch();
  if (keyedCount > 0) hashPendingKeys();
  if (ASC_FEATURE_THREADS && background && flushInBackground()) return;
  let k: usize = 0;
  for (let i: usize = 0; i < pendCount; i++) {
    leafJob(jobTable, k++, i);
    if (k == CHUNK) { hashJobs(jobTable, k); k = 0; }
  }
  if (k > 0) hashJobs(jobTable, k);
  pendCount = 0;
  arenaLen = 0;
}

function flushInBackground(): bool {
  const need = pendCount * 12;
  if (need > bgCap) {
    if (bgJobs != 0) blockFree(bgJobs, bgCap);
    bgJobs = blockAlloc(need);
    bgCap = blockCap(need);
  }
  for (let i: usize = 0; i < pendCount; i++) leafJob(bgJobs, i, i);
  if (!offerBackground(bgJobs, pendCount)) {
    hashJobs(bgJobs, pendCount);
    pendCount = 0;
    arenaLen = 0;
    return true;
  }
  pendCount = 0;
  if (spareArena == 0) {
    spareArena = blockAlloc(ARENA_MIN);
    spareCap = blockCap(ARENA_MIN);
  }
  const p = arenaPtr, c = arenaCap;
  arenaPtr = spareArena;
  arenaCap = spareCap;
  spareArena = p;
  spareCap = c;
  arenaLen = 0;
  return true;
}

let keyedCount: usize = 0;

/** Paths of the keyed pending leaves: keys hashed in batches into their preimages, then copied. */
function hashPendingKeys(): void {
  let k: usize = 0;
  for (let i: usize = 0; i < pendCount; i++) {
    const n = <usize>load<u32>(pendPtr + (i << 2));
    if ((flagsOf(n) & F_KEYED) == 0) continue;
    const pre = <usize>load<u32>(n, 8);
    const len = <usize>load<u32>(n, 12);
    setJob(jobTable, k++, pre + len, <usize>load<u32>(n, 56), pre + 1);
    if (k == CHUNK) { hashJobs(jobTable, k); k = 0; }
  }
  if (k > 0) hashJobs(jobTable, k);
  for (let i: usize = 0; i < pendCount; i++) {
    const n = <usize>load<u32>(pendPtr + (i << 2));
    if ((flagsOf(n) & F_KEYED) == 0) continue;
    copy32(n + 56, <usize>load<u32>(n, 8) + 1);
    setFlags(n, flagsOf(n) & ~F_KEYED);
  }
  keyedCount = 0;
}

function pendPush(n: usize): void {
  if ((pendCount + 1) << 2 > pendCap) {
    const cap: usize = pendCap < 4096 ? 4096 : pendCap * 2;
    pendPtr = regrow(pendPtr, pendCap, pendCount << 2, cap);
    pendCap = blockCap(cap);
  }
  store<u32>(pendPtr + (pendCount << 2), <u32>n);
  pendCount++;
}

/** Copies 00 ‖ PATH ‖ payload into the arena; it becomes the current leaf preimage. */
export function stagePayload(pay: usize, len: usize, handle: u32): void {
  const need: usize = 33 + len;
  const p = arenaRoom(need);
  store<u8>(p, 0);
  copy32(p + 1, PATH);
  copyBytes(p + 33, pay, len);
  curPre = p;
  curPreLen = <u32>need;
  curHandle = handle;
  curKeyed = false;
}

/**
 * stagePayload for a key whose path is not computed yet: the key waits after the preimage and
 * is hashed with the others when the arena is flushed (SIMD batches instead of one scalar hash
 * per insert). Only for logged inserts, which nothing reads before the flush.
 */
export function stageKeyed(key: usize, keyLen: usize, pay: usize, len: usize, handle: u32): void {
  const need: usize = 33 + len;
  const p = arenaRoom(need + keyLen);
  store<u8>(p, 0);
  copyBytes(p + 33, pay, len);
  copyBytes(p + 33 + len, key, keyLen);
  curPre = p;
  curPreLen = <u32>need;
  curHandle = handle;
  curKeyed = true;
  curKeyLen = <u32>keyLen;
}

/** `need` bytes at the end of the pending arena (flushed first when full). */
function arenaRoom(need: usize): usize {
  if (arenaLen + need > arenaCap) {
    flushPending(deferring());
    if (need > arenaCap) {
      if (arenaPtr != 0) blockFree(arenaPtr, arenaCap);
      const cap: usize = need > ARENA_MIN ? need : ARENA_MIN;
      arenaPtr = blockAlloc(cap);
      arenaCap = blockCap(cap);
    }
  }
  const p = arenaPtr + arenaLen;
  arenaLen += need;
  return p;
}

// ---- lazy resolution ---------------------------------------------------------------------

function parseInto(n: usize, buf: usize, len: i32): i32 {
  const t = load<u8>(buf);
  if (t == 0) {
    if (len < 49) return E_MALFORMED;
    store<u8>(n, K_LEAF);
    setFlags(n, F_PERSISTED);
    setLeafHandle(n, NO_HANDLE);
    memory.copy(n + 56, buf + 1, 32);
    return 0;
  }
  if (t == 1) {
    if (len != 113) return E_MALFORMED;
    const lz = isZero48(buf + 1), rz = isZero48(buf + 49);
    if (lz && rz) return E_MALFORMED;
    const l: usize = lz ? 0 : newLazy(buf + 1);
    const r: usize = rz ? 0 : newLazy(buf + 49);
    store<u8>(n, K_INNER);
    setFlags(n, F_PERSISTED | F_BIG);
    store<u32>(n, <u32>l, 4);
    store<u32>(n, <u32>r, 56);
    return 0;
  }
  if (t == 2) {
    if (len != 99) return E_MALFORMED;
    const s = load<u8>(buf, 1), e = load<u8>(buf, 2);
    if (s >= e || isZero48(buf + 35)) return E_MALFORMED;
    const c = newLazy(buf + 35);
    store<u8>(n, K_EXT);
    setFlags(n, F_PERSISTED);
    store<u8>(n, s, 2);
    store<u8>(n, e, 3);
    store<u32>(n, <u32>c, 4);
    memory.copy(n + 56, buf + 3, 32);
    return 0;
  }
  return E_MALFORMED;
}

/** Turns a lazy node into the node it stands for, in place. 0 or a negative error code. */
export function resolve(n: usize): i32 {
  if (n == 0 || kindOf(n) != K_LAZY) return 0;
  const len = hostLoad(n + 8);
  if (len < 0) return len;
  if (len == 0) return E_MALFORMED;
  const buf = blockAlloc(<usize>len);
  hostCopy(buf);
  const st = parseInto(n, buf, len);
  blockFree(buf, <usize>len);
  return st;
}

/**
 * Resolves every node the walk along PATH touches (and, for a delete, each sibling on the
 * way) so the mutation that follows never needs the loader. Returns 1 if a leaf with PATH
 * exists, 0 if not, or a negative error code.
 */
export function walkResolve(withSiblings: bool): i32 {
  let n = root;
  let depth = 0;
  while (n != 0) {
    const st = resolve(n);
    if (st < 0) return st;
    const k = kindOf(n);
    if (k == K_LEAF) return firstDiff(PATH, n + 56, 0, 256) == 256 ? 1 : 0;
    if (k == K_EXT) {
      const e = extEnd(n);
      if (firstDiff(PATH, n + 56, extStart(n), e) != e) return 0;
      depth = e;
      n = extChild(n);
      continue;
    }
    const side = bitAt(PATH, depth);
    if (withSiblings) {
      const s2 = resolve(innerChild(n, 1 - side));
      if (s2 < 0) return s2;
    }
    n = innerChild(n, side);
    depth++;
  }
  return 0;
}

// ---- insert / delete (spec §6.1, §6.2) ---------------------------------------------------

/** Initialises slot n as a new pending leaf from PATH and the staged payload/handle. */
export function initLeaf(n: usize): usize {
  store<u32>(n, 0);
  store<u8>(n, K_LEAF);
  setFlags(n, F_STALE | F_PENDING);
  setLeafHandle(n, curHandle);
  store<u32>(n, <u32>curPre, 8);
  store<u32>(n, curPreLen, 12);
  if (curKeyed) {
    setFlags(n, F_STALE | F_PENDING | F_KEYED);
    store<u32>(n, curKeyLen, 56);
    curKeyed = false;
    keyedCount++;
  } else {
    copy32(n + 56, PATH);
  }
  pendPush(n);
  return n;
}

function makeLeaf(): usize {
  return initLeaf(alloc88());
}

function overwriteLeaf(n: usize): void {
  const f = flagsOf(n);
  if ((f & F_PENDING) == 0) {
    orphan(n);
    setFlags(n, F_STALE | F_PENDING);
    pendPush(n);
  }
  setLeafHandle(n, curHandle);
  store<u32>(n, <u32>curPre, 8);
  store<u32>(n, curPreLen, 12);
}

function ins(n: usize, depth: i32): usize {
  if (n == 0) return makeLeaf();
  const k = kindOf(n);
  if (k == K_LEAF) {
    const p = firstDiff(PATH, n + 56, depth, 256);
    if (p == 256) { overwriteLeaf(n); return n; }
    const inner = newInner();
    const side = bitAt(PATH, p);
    setInnerChild(inner, side, makeLeaf());
    setInnerChild(inner, 1 - side, n);
    return depth < p ? newExt(PATH, depth, p, inner) : inner;
  }
  if (k == K_LAZY) unreachable(); // walkResolve must have run first
  orphan(n);
  if (k == K_EXT) {
    const s = extStart(n), e = extEnd(n);
    const i = firstDiff(PATH, n + 56, s, e);
    if (i == e) {
      setExtChild(n, ins(extChild(n), e));
      markStale(n);
      return n;
    }
    const branch = newInner();
    const extSide = bitAt(n + 56, i);
    const child = extChild(n);
    let tail: usize;
    let result: usize;
    if (i == s) {
      if (s + 1 == e) {
        tail = child;
        freeNode(n);
      } else {
        setExtStart(n, s + 1);
        markStale(n);
        tail = n;
      }
      result = branch;
    } else {
      tail = i == e - 1 ? child : newExt(n + 56, i + 1, e, child);
      setExtEnd(n, i);
      setExtChild(n, branch);
      markStale(n);
      result = n;
    }
    setInnerChild(branch, extSide, tail);
    setInnerChild(branch, 1 - extSide, makeLeaf());
    return result;
  }
  const side = bitAt(PATH, depth);
  setInnerChild(n, side, ins(innerChild(n, side), depth + 1));
  markStale(n);
  return n;
}

export function insertStaged(): void {
  root = ins(root, 0);
}

/** The node absorbs the one-child level above it: its extension now starts one bit earlier. */
function absorb(x: usize): usize {
  orphan(x);
  setExtStart(x, extStart(x) - 1);
  markStale(x);
  return x;
}

function del(n: usize, depth: i32): usize {
  const k = kindOf(n);
  if (k == K_LEAF) {
    orphan(n);
    freeNode(n);
    return 0;
  }
  orphan(n);
  if (k == K_EXT) {
    const c = del(extChild(n), extEnd(n));
    if (c != 0 && kindOf(c) == K_LEAF) { freeNode(n); return c; }
    if (c != 0 && kindOf(c) == K_EXT) {
      orphan(c);
      setExtStart(c, extStart(n));
      markStale(c);
      freeNode(n);
      return c;
    }
    setExtChild(n, c);
    markStale(n);
    return n;
  }
  const side = bitAt(PATH, depth);
  const c = del(innerChild(n, side), depth + 1);
  setInnerChild(n, side, c);
  const sib = innerChild(n, 1 - side);
  if (c == 0) {
    const sk = kindOf(sib);
    if (sk == K_LEAF) { freeNode(n); return sib; }
    if (sk == K_EXT) { freeNode(n); return absorb(sib); }
  } else if (sib == 0) {
    const ck = kindOf(c);
    if (ck == K_LEAF) { freeNode(n); return c; }
    if (ck == K_EXT) { freeNode(n); return absorb(c); }
  }
  markStale(n);
  return n;
}

/** 1 deleted, 0 absent (nothing changed), negative: loader error (nothing changed). */
export function deletePath(): i32 {
  const found = walkResolve(false);
  if (found <= 0) return found;
  const st = walkResolve(true);
  if (st < 0) return st;
  flushPending(); // a pending leaf about to be freed must not stay in the queue
  root = del(root, 0);
  return 1;
}

// ---- batched hashing of stale nodes (level by level) -------------------------------------

/** per depth: head of the list of stale inner nodes */
const DEPTH_COUNT: usize = memory.data(257 * 4);
const EXT_COUNT: usize = memory.data(257 * 4);
let nInnerStale: usize = 0;
let cexPtr: usize = 0; // stale extension nodes
let cexCap: usize = 0;
let cexLen: usize = 0;

function collect(n: usize, depth: i32): void {
  if (n == 0 || (flagsOf(n) & F_STALE) == 0) return;
  const k = kindOf(n);
  if (k == K_INNER) {
    collect(<usize>load<u32>(n, 4), depth + 1);
    collect(<usize>load<u32>(n, 56), depth + 1);
    // spare word at offset 60 links the stale inner nodes of one depth
    const head = DEPTH_COUNT + (<usize>depth << 2);
    store<u32>(n, load<u32>(head), 60);
    store<u32>(head, <u32>n);
    nInnerStale++;
  } else if (k == K_EXT) {
    collect(extChild(n), extEnd(n));
    if (cexLen + 4 > cexCap) {
      const cap: usize = cexCap < 65536 ? 65536 : cexCap * 2;
      cexPtr = regrow(cexPtr, cexCap, cexLen, cap);
      cexCap = blockCap(cap);
    }
    store<u32>(cexPtr + cexLen, <u32>n);
    cexLen += 4;
    const d = <usize>(extEnd(n) - 1);
    store<u32>(EXT_COUNT + (d << 2), load<u32>(EXT_COUNT + (d << 2)) + 1);
  }
}

/** Brings every digest up to date: pending leaves first, then inner levels deepest first. */
export function hashDirty(): void {
  flushPending();
  if (root == 0 || (flagsOf(root) & F_STALE) == 0) return;
  ensureScratch();
  memory.fill(DEPTH_COUNT, 0, 257 * 4);
  memory.fill(EXT_COUNT, 0, 257 * 4);
  nInnerStale = 0;
  cexLen = 0;
  collect(root, 0);
  const nEx = cexLen >>> 2;
  // counting sort of extensions by the depth of their deepest chain step
  const exSorted = blockAlloc((nEx + 1) << 2);
  const active = blockAlloc((nEx + 1) << 2);
  const exOff = blockAlloc(258 << 2);
  let b: u32 = 0;
  for (let d: usize = 0; d <= 256; d++) {
    store<u32>(exOff + (d << 2), b);
    b += load<u32>(EXT_COUNT + (d << 2));
  }
  store<u32>(exOff + (257 << 2), b);
  memory.copy(EXT_COUNT, exOff, 257 * 4);
  for (let i: usize = 0; i < nEx; i++) {
    const n = load<u32>(cexPtr + (i << 2));
    const d = <usize>(extEnd(<usize>n) - 1);
    const c = load<u32>(EXT_COUNT + (d << 2));
    store<u32>(exSorted + (<usize>c << 2), n);
    store<u32>(EXT_COUNT + (d << 2), c + 1);
  }
  // a level the worker failed on may be half done, and an extension's chain step is not
  // idempotent (it hashes its own running digest): every level again, on this thread only
  while (!hashLevels(exSorted, active, exOff)) levelFailed = false;
  blockFree(exSorted, (nEx + 1) << 2);
  blockFree(active, (nEx + 1) << 2);
  blockFree(exOff, 258 << 2);
}

/** Set by the host when the worker failed during a root() level (threading is off from then on). */
let levelFailed: bool = false;
export function failLevel(): void { levelFailed = true; }

/**
 * The level walk of hashDirty, depths 255 → 0, over the lists collect() built (which it leaves
 * intact); false if the worker failed during a level. Every step reads only what deeper levels
 * (or the leaves) produced, so it can simply run again.
 */
function hashLevels(exSorted: usize, active: usize, exOff: usize): bool {
  let nActive: usize = 0;
  for (let d = 255; d >= 0; d--) {
    // extensions whose chain starts (from the bottom) at this depth: seed with the child digest
    const e0 = <usize>load<u32>(exOff + (<usize>d << 2)), e1 = <usize>load<u32>(exOff + (<usize>(d + 1) << 2));
    for (let i = e0; i < e1; i++) {
      const e = <usize>load<u32>(exSorted + (i << 2));
      copy48(e + 8, digestPtr(extChild(e)));
      store<u32>(active + (nActive << 2), <u32>e);
      nActive++;
    }
    let n = <usize>load<u32>(DEPTH_COUNT + (<usize>d << 2));
    if (n == 0 && nActive == 0) continue;
    let k: usize = 0;
    if (ASC_FEATURE_THREADS) {
      // node lists (jobTable holds 3·CHUNK u32s): preimages are built by whichever thread
      // hashes the entry (levels.ts)
      const cap = CHUNK * 3;
      for (; n != 0; n = <usize>load<u32>(n, 60)) {
        store<u32>(jobTable + (k << 2), <u32>n);
        if (++k == cap) { hashLevel(jobTable, k, d); k = 0; if (levelFailed) return false; }
      }
      for (let i: usize = 0; i < nActive; i++) {
        store<u32>(jobTable + (k << 2), load<u32>(active + (i << 2)) | 1);
        if (++k == cap) { hashLevel(jobTable, k, d); k = 0; if (levelFailed) return false; }
      }
      if (k > 0) hashLevel(jobTable, k, d);
      if (levelFailed) return false;
      k = 0;
      n = 0;
    }
    for (; n != 0; n = <usize>load<u32>(n, 60)) {
      const pre = preBuf + (k << 7);
      writeInnerPre(pre, digestPtr(<usize>load<u32>(n, 4)), digestPtr(<usize>load<u32>(n, 56)));
      copy16(n + 40, pre + 97);
      setJob(jobTable, k++, pre, 113, n + 8);
      setFlags(n, flagsOf(n) & ~F_STALE);
      if (k == CHUNK) { hashJobs(jobTable, k); k = 0; }
    }
    for (let i: usize = 0; !ASC_FEATURE_THREADS && i < nActive; i++) {
      const e = <usize>load<u32>(active + (i << 2));
      const pre = preBuf + (k << 7);
      // one step of the expanded chain; the sum/count trailer is the child's and stays put
      if (bitAt(e + 56, d) == 0) writeInnerPre(pre, e + 8, ZERO48);
      else writeInnerPre(pre, ZERO48, e + 8);
      setJob(jobTable, k++, pre, 113, e + 8);
      if (k == CHUNK) { hashJobs(jobTable, k); k = 0; }
    }
    if (k > 0) hashJobs(jobTable, k);
    // extensions whose top step was this depth are done
    let w: usize = 0;
    for (let i: usize = 0; i < nActive; i++) {
      const e = <usize>load<u32>(active + (i << 2));
      if (extStart(e) == d) setFlags(e, flagsOf(e) & ~F_STALE);
      else { store<u32>(active + (w << 2), <u32>e); w++; }
    }
    nActive = w;
  }
  return true;
}

// ---- commit ------------------------------------------------------------------------------

const STACK: usize = memory.data(4096 * 8);
let sp: usize = 0;

@inline function needsCommit(n: usize): bool {
  return n != 0 && (flagsOf(n) & F_PERSISTED) == 0;
}

@inline function push(n: usize): void {
  store<u32>(STACK + (sp << 3), <u32>n);
  store<u32>(STACK + (sp << 3), 0, 4);
  sp++;
}

export function commitBegin(): void {
  hashDirty();
  sp = 0;
  if (needsCommit(root)) push(root);
}

/**
 * Emits up to `max` not-yet-persisted nodes, children before parents, into the output
 * buffer and marks them persisted. Record: kind u8, digest 48, then
 * leaf: path 32 + handle u32 | inner: preimage 113 | ext: preimage 99.
 */
export function commitNext(max: u32): u32 {
  outReset();
  let count: u32 = 0;
  while (sp > 0 && count < max) {
    const top = STACK + ((sp - 1) << 3);
    const n = <usize>load<u32>(top);
    const k = kindOf(n);
    if (load<u32>(top, 4) == 0) {
      store<u32>(top, 1, 4);
      if (k == K_INNER) {
        const l = <usize>load<u32>(n, 4), r = <usize>load<u32>(n, 56);
        if (needsCommit(r)) push(r);
        if (needsCommit(l)) push(l);
      } else if (k == K_EXT) {
        if (needsCommit(extChild(n))) push(extChild(n));
      }
      continue;
    }
    sp--;
    outU8(k);
    outBytes(n + 8, 48);
    if (k == K_LEAF) {
      outBytes(n + 56, 32);
      outU32(load<u32>(n, 4));
      setLeafHandle(n, NO_HANDLE);
    } else if (k == K_INNER) {
      writeInnerPre(outTake(113), digestPtr(<usize>load<u32>(n, 4)), digestPtr(<usize>load<u32>(n, 56)));
    } else {
      writeExtPre(outTake(99), n);
    }
    setFlags(n, flagsOf(n) | F_PERSISTED);
    count++;
  }
  return count;
}

// ---- lifecycle ---------------------------------------------------------------------------

export function resetAll(): void {
  resetBackground(); // the worker must be done with this memory before it is reused
  allocReset();
  root = 0;
  lazyPossible = false;
  outPtr = 0; outCap = 0; outLen = 0;
  inPtr = 0; inCap = 0;
  orphPtr = 0; orphCap = 0; orphLen = 0;
  arenaPtr = 0; arenaCap = 0; arenaLen = 0;
  pendPtr = 0; pendCap = 0; pendCount = 0; keyedCount = 0; curKeyed = false;
  spareArena = 0; spareCap = 0; bgJobs = 0; bgCap = 0;
  jobTable = 0; preBuf = 0;
  cexPtr = 0; cexCap = 0; cexLen = 0;
  sp = 0;
}

const IMPORT_TMP: usize = memory.data(48);

export function importRoot(digest: usize): void {
  // the digest may live in the input buffer, which the reset forgets: copy it out first
  const tmp = IMPORT_TMP;
  memory.copy(tmp, digest, 48);
  resetAll();
  root = isZero48(tmp) ? 0 : newLazy(tmp);
  lazyPossible = root != 0;
}


// ---- memory-level parallelism for batched inserts ----------------------------------------

const CUR: usize = memory.data(16 * 4);
const DEP: usize = memory.data(16 * 4);
export let touchSink: u32 = 0;

/**
 * Read-only descent along up to 16 paths at once, one level per path per round, so the cache
 * misses of independent walks overlap; the inserts that follow then find their nodes cached.
 * Only a prefetch: it follows whatever it finds and never dereferences outside memory.
 */
export function touchPaths(paths: usize, count: usize): void {
  const memEnd = (<usize>memory.size()) << 16;
  for (let k: usize = 0; k < count; k++) {
    store<u32>(CUR + (k << 2), <u32>root);
    store<u32>(DEP + (k << 2), 0);
  }
  let acc: u32 = 0;
  let active = true;
  while (active) {
    active = false;
    for (let k: usize = 0; k < count; k++) {
      const n = <usize>load<u32>(CUR + (k << 2));
      if (n == 0) continue;
      const kind = load<u8>(n);
      let next: usize = 0;
      let d = <i32>load<u32>(DEP + (k << 2));
      if (kind == K_INNER) {
        next = bitAt(paths + (k << 5), d) == 0 ? <usize>load<u32>(n, 4) : <usize>load<u32>(n, 56);
        d++;
      } else if (kind == K_EXT) {
        next = <usize>load<u32>(n, 4);
        d = <i32>load<u8>(n, 3);
      } else {
        acc += load<u8>(n, 56);
      }
      if (next + 88 > memEnd || d > 255) next = 0;
      store<u32>(CUR + (k << 2), <u32>next);
      store<u32>(DEP + (k << 2), <u32>d);
      if (next != 0) active = true;
    }
  }
  touchSink += acc;
}

export function setRoot(n: usize): void { root = n; }

/** The (empty) pending arena as scratch space: its address if it is empty and holds `need` bytes, else 0. */
export function arenaScratch(need: usize): usize {
  return arenaLen == 0 && pendCount == 0 && need <= arenaCap ? arenaPtr : 0;
}
