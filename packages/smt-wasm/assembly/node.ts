// Node layouts. Every node reference is a plain u32 byte offset; 0 means "empty subtree".
// The 48-byte digest sits at offset 8 in every kind, so digest reads never branch on kind.
//
//  leaf  (88): kind u8 | flags u8 | - | - | handle u32 | digest 48 | path 32
//              while PENDING the digest area holds (preimage ptr u32, preimage len u32)
//  inner (64): kind u8 | flags u8 | - | - | left u32   | digest 48 | right u32 | -
//  ext   (88): kind u8 | flags u8 | start u8 | end u8 | child u32 | digest 48 | path 32
//  lazy  (88): kind u8 | flags u8 | - | - | -          | digest 48 | -
// A lazy node is resolved in place; an inner node born from a lazy one keeps its 88-byte
// slot (flag BIG) so it goes back to the right pool.
import { alloc64, alloc88, free64, free88 } from './alloc';

export const K_LEAF: u8 = 0;
export const K_INNER: u8 = 1;
export const K_EXT: u8 = 2;
export const K_LAZY: u8 = 3;

/** digest not valid (node or something below it changed) */
export const F_STALE: u8 = 1;
/** node is in the store under its current digest */
export const F_PERSISTED: u8 = 2;
/** leaf whose preimage waits in the pending arena to be hashed */
export const F_PENDING: u8 = 4;
/** inner node living in an 88-byte slot */
export const F_BIG: u8 = 8;
/** pending leaf whose path is still to be hashed from its key (bytes 56..60: key length) */
export const F_KEYED: u8 = 16;

export const NO_HANDLE: u32 = 0xffffffff;

export const ZERO48: usize = memory.data(48);

@inline export function kindOf(n: usize): u8 { return load<u8>(n); }
@inline export function flagsOf(n: usize): u8 { return load<u8>(n, 1); }
@inline export function setFlags(n: usize, f: u8): void { store<u8>(n, f, 1); }
@inline export function digestPtr(n: usize): usize { return n == 0 ? ZERO48 : n + 8; }
@inline export function pathPtr(n: usize): usize { return n + 56; }

@inline export function extStart(n: usize): i32 { return <i32>load<u8>(n, 2); }
@inline export function extEnd(n: usize): i32 { return <i32>load<u8>(n, 3); }
@inline export function setExtStart(n: usize, v: i32): void { store<u8>(n, <u8>v, 2); }
@inline export function setExtEnd(n: usize, v: i32): void { store<u8>(n, <u8>v, 3); }
@inline export function extChild(n: usize): usize { return <usize>load<u32>(n, 4); }
@inline export function setExtChild(n: usize, c: usize): void { store<u32>(n, <u32>c, 4); }

@inline export function innerChild(n: usize, side: i32): usize {
  return side == 0 ? <usize>load<u32>(n, 4) : <usize>load<u32>(n, 56);
}
@inline export function setInnerChild(n: usize, side: i32, c: usize): void {
  if (side == 0) store<u32>(n, <u32>c, 4); else store<u32>(n, <u32>c, 56);
}

@inline export function leafHandle(n: usize): u32 { return load<u32>(n, 4); }
@inline export function setLeafHandle(n: usize, h: u32): void { store<u32>(n, h, 4); }

@inline export function bitAt(p: usize, i: i32): i32 {
  return (<i32>load<u8>(p + (<usize>i >>> 3)) >>> (7 - (i & 7))) & 1;
}

@inline export function flipBit(p: usize, i: i32): void {
  const a = p + (<usize>i >>> 3);
  store<u8>(a, load<u8>(a) ^ <u8>(<u32>0x80 >>> <u32>(i & 7)));
}

/** First bit index in [from, to) where paths a and b differ, or `to`. */
export function firstDiff(a: usize, b: usize, from: i32, to: i32): i32 {
  if (from >= to) return to;
  let byte = from >>> 3;
  let x = <u32>(load<u8>(a + <usize>byte) ^ load<u8>(b + <usize>byte)) & (0xff >>> (from & 7));
  while (x == 0) {
    byte++;
    if ((byte << 3) >= to) return to;
    x = <u32>(load<u8>(a + <usize>byte) ^ load<u8>(b + <usize>byte));
  }
  const i = (byte << 3) + <i32>clz<u32>(x) - 24;
  return i < to ? i : to;
}

export function newInner(): usize {
  const n = alloc64();
  store<u32>(n, 0);
  store<u8>(n, K_INNER);
  store<u8>(n, F_STALE, 1);
  store<u32>(n, 0, 4);
  store<u32>(n, 0, 56);
  return n;
}

export function newExt(path: usize, start: i32, end: i32, child: usize): usize {
  const n = alloc88();
  store<u8>(n, K_EXT);
  store<u8>(n, F_STALE, 1);
  store<u8>(n, <u8>start, 2);
  store<u8>(n, <u8>end, 3);
  store<u32>(n, <u32>child, 4);
  copy32(n + 56, path);
  return n;
}

export function newLazy(digest: usize): usize {
  const n = alloc88();
  store<u32>(n, 0);
  store<u8>(n, K_LAZY);
  store<u8>(n, F_PERSISTED, 1);
  memory.copy(n + 8, digest, 48);
  return n;
}

export function freeNode(n: usize): void {
  if (kindOf(n) == K_INNER && (flagsOf(n) & F_BIG) == 0) free64(n); else free88(n);
}

@inline export function isZero48(p: usize): bool {
  return (load<u64>(p) | load<u64>(p, 8) | load<u64>(p, 16) | load<u64>(p, 24) | load<u64>(p, 32) | load<u64>(p, 40)) == 0;
}

/** out[0..16] = BE(a.sum + b.sum) ‖ BE(a.count + b.count), wrapping mod 2^64. */
@inline export function addTrailers(out: usize, a: usize, b: usize): void {
  store<u64>(out, bswap<u64>(bswap<u64>(load<u64>(a, 32)) + bswap<u64>(load<u64>(b, 32))));
  store<u64>(out, bswap<u64>(bswap<u64>(load<u64>(a, 40)) + bswap<u64>(load<u64>(b, 40))), 8);
}

/** Writes the 113-byte inner preimage 01 ‖ L ‖ R ‖ trailer. */
export function writeInnerPre(out: usize, l: usize, r: usize): void {
  store<u8>(out, 1);
  copy48(out + 1, l);
  copy48(out + 49, r);
  addTrailers(out + 97, l, r);
}

/** Writes the 99-byte extension preimage 02 ‖ start ‖ end ‖ path ‖ Cd ‖ Cd[32..48]. */
export function writeExtPre(out: usize, e: usize): void {
  store<u8>(out, 2);
  store<u8>(out + 1, <u8>extStart(e));
  store<u8>(out + 2, <u8>extEnd(e));
  copy32(out + 3, e + 56);
  const cd = digestPtr(extChild(e));
  copy48(out + 35, cd);
  copy16(out + 83, cd + 32);
}

// Small fixed-size copies as v128 loads/stores (memory.copy is an out-of-line call in V8).
// Source and destination must not overlap.
@inline export function copy16(d: usize, s: usize): void { v128.store(d, v128.load(s)); }
@inline export function copy32(d: usize, s: usize): void {
  const a = v128.load(s), b = v128.load(s, 16);
  v128.store(d, a);
  v128.store(d, b, 16);
}
@inline export function copy48(d: usize, s: usize): void {
  const a = v128.load(s), b = v128.load(s, 16), c = v128.load(s, 32);
  v128.store(d, a);
  v128.store(d, b, 16);
  v128.store(d, c, 32);
}
/** n bytes, n >= 16 in 16-byte steps (the last one overlapping), else memory.copy. */
@inline export function copyBytes(d: usize, s: usize, n: usize): void {
  if (n < 16) { memory.copy(d, s, n); return; }
  let i: usize = 0;
  for (; i + 16 <= n; i += 16) v128.store(d + i, v128.load(s + i));
  if (i < n) v128.store(d + n - 16, v128.load(s + n - 16));
}
