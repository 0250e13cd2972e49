// Arithmetic in the secp256k1 base field F_p, p = 2^256 - 2^32 - 977.
//
// An element is 10 little-endian u32 limbs of 26 bits at a pointer (limb i weighs 2^(26 i), so the
// top limb holds 22 bits once normalized). 26 bits leave room in a u64 for a whole column of a
// 10x10 schoolbook product, which is what makes this work without a 128-bit multiply.
//
// Limbs may run above 26 bits between reductions. "Magnitude m" bounds them: limbs 0..8 stay
// <= 2m(2^26-1) and limb 9 <= 2m(2^22-1). feMul/feSqr take inputs of magnitude <= 8 (limbs < 2^30,
// so each of the 19 column sums stays below 2^63.4) and return magnitude 1. Callers track
// magnitudes by hand; the bounds used are spelled out at every formula in point.ts.
//
// Every function loads all of its inputs before storing, so r may alias any input.

export const FE: usize = 40;

const M26: u64 = 0x3ffffff;
const M22: u64 = 0x3fffff;
// 2^256 mod p = 2^32 + 977 and 2^260 mod p = 2^36 + 0x3d10: folding constants for the top bits
const R0: u64 = 0x3d1;
const R260: u64 = 0x3d10;

// p's limbs
const P0: u32 = 0x3fffc2f;
const P1: u32 = 0x3ffffbf;
const PM: u32 = 0x3ffffff;
const P9: u32 = 0x3fffff;

@inline export function feCopy(r: usize, a: usize): void {
  memory.copy(r, a, FE);
}

export function feSetU32(r: usize, v: u32): void {
  memory.fill(r, 0, FE);
  store<u32>(r, v & <u32>M26);
  store<u32>(r, v >> 26, 4);
}

/** r = a + b (limb-wise; magnitudes add). */
@inline export function feAdd(r: usize, a: usize, b: usize): void {
  store<u32>(r, load<u32>(a, 0) + load<u32>(b, 0), 0);
  store<u32>(r, load<u32>(a, 4) + load<u32>(b, 4), 4);
  store<u32>(r, load<u32>(a, 8) + load<u32>(b, 8), 8);
  store<u32>(r, load<u32>(a, 12) + load<u32>(b, 12), 12);
  store<u32>(r, load<u32>(a, 16) + load<u32>(b, 16), 16);
  store<u32>(r, load<u32>(a, 20) + load<u32>(b, 20), 20);
  store<u32>(r, load<u32>(a, 24) + load<u32>(b, 24), 24);
  store<u32>(r, load<u32>(a, 28) + load<u32>(b, 28), 28);
  store<u32>(r, load<u32>(a, 32) + load<u32>(b, 32), 32);
  store<u32>(r, load<u32>(a, 36) + load<u32>(b, 36), 36);
}

/** r = a * k for a small k (magnitude times k). */
@inline export function feMulInt(r: usize, a: usize, k: u32): void {
  store<u32>(r, load<u32>(a, 0) * k, 0);
  store<u32>(r, load<u32>(a, 4) * k, 4);
  store<u32>(r, load<u32>(a, 8) * k, 8);
  store<u32>(r, load<u32>(a, 12) * k, 12);
  store<u32>(r, load<u32>(a, 16) * k, 16);
  store<u32>(r, load<u32>(a, 20) * k, 20);
  store<u32>(r, load<u32>(a, 24) * k, 24);
  store<u32>(r, load<u32>(a, 28) * k, 28);
  store<u32>(r, load<u32>(a, 32) * k, 32);
  store<u32>(r, load<u32>(a, 36) * k, 36);
}

/**
 * r = -a for a of magnitude <= m, as 2(m+1)p - a limb by limb (every limb stays non-negative);
 * the result has magnitude m + 1.
 */
@inline export function feNeg(r: usize, a: usize, m: u32): void {
  const k = 2 * (m + 1);
  store<u32>(r, P0 * k - load<u32>(a, 0), 0);
  store<u32>(r, P1 * k - load<u32>(a, 4), 4);
  store<u32>(r, PM * k - load<u32>(a, 8), 8);
  store<u32>(r, PM * k - load<u32>(a, 12), 12);
  store<u32>(r, PM * k - load<u32>(a, 16), 16);
  store<u32>(r, PM * k - load<u32>(a, 20), 20);
  store<u32>(r, PM * k - load<u32>(a, 24), 24);
  store<u32>(r, PM * k - load<u32>(a, 28), 28);
  store<u32>(r, PM * k - load<u32>(a, 32), 32);
  store<u32>(r, P9 * k - load<u32>(a, 36), 36);
}

// Product reduction. Column k of a 10x10 limb product weighs 2^(26k); for k >= 10 that is
// 2^260 * 2^(26(k-10)) and 2^260 = 2^36 + 0x3d10 (mod p). Columns k and k + 10 are therefore
// produced together, low to high: the high column is carried into a 26-bit digit t (its carry u
// moves up to the next high column), and t folds into the low column as t * 0x3d10 plus, one
// column up, t << 10. Only a handful of values are live at any time, which matters: computing
// all 19 columns first made V8 spill most of them (measured ~35% slower). The carry u out of
// column 18 weighs 2^494 = 2^260 * 2^234: it folds as u * 0x3d10 into column 9 and u << 10 into
// weight 2^260 = 2^256 * 16, i.e. u << 14 more of the overflow above bit 256 handled in finish().
@inline function finish(r: usize, r0: u64, r1: u64, r2: u64, r3: u64, l: u64, u: u64): void {
  // l is column 9 (weight 2^234): 22 bits stay, the rest is a multiple of 2^256 = 2^32 + 977
  store<u32>(r, <u32>(l & M22), 36);
  const e = (l >> 22) + (u << 14); // < 2^50
  l = r0 + e * R0;
  store<u32>(r, <u32>(l & M26), 0);
  l = r1 + (e << 6) + (l >> 26);
  store<u32>(r, <u32>(l & M26), 4);
  l = r2 + (l >> 26);
  store<u32>(r, <u32>(l & M26), 8);
  // limb 3 may end a few units above 2^26: still magnitude 1
  store<u32>(r, <u32>(r3 + (l >> 26)), 12);
}

/** r = a * b (inputs magnitude <= 8, result magnitude 1). */
export function feMul(r: usize, a: usize, b: usize): void {
  // all inputs are read before the first store: r may alias a or b
  const a0 = <u64>load<u32>(a, 0), a1 = <u64>load<u32>(a, 4), a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12), a4 = <u64>load<u32>(a, 16), a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24), a7 = <u64>load<u32>(a, 28), a8 = <u64>load<u32>(a, 32);
  const a9 = <u64>load<u32>(a, 36);
  const b0 = <u64>load<u32>(b, 0), b1 = <u64>load<u32>(b, 4), b2 = <u64>load<u32>(b, 8);
  const b3 = <u64>load<u32>(b, 12), b4 = <u64>load<u32>(b, 16), b5 = <u64>load<u32>(b, 20);
  const b6 = <u64>load<u32>(b, 24), b7 = <u64>load<u32>(b, 28), b8 = <u64>load<u32>(b, 32);
  const b9 = <u64>load<u32>(b, 36);
  let h: u64, l: u64, t: u64, tp: u64, u: u64, v: u64;
  h = a1 * b9 + a2 * b8 + a3 * b7 + a4 * b6 + a5 * b5 + a6 * b4 + a7 * b3 + a8 * b2 + a9 * b1;
  t = h & M26; u = h >> 26;
  l = a0 * b0 + t * R260;
  const r0 = l & M26; v = l >> 26; tp = t;
  h = a2 * b9 + a3 * b8 + a4 * b7 + a5 * b6 + a6 * b5 + a7 * b4 + a8 * b3 + a9 * b2 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b1 + a1 * b0 + v + t * R260 + (tp << 10);
  const r1 = l & M26; v = l >> 26; tp = t;
  h = a3 * b9 + a4 * b8 + a5 * b7 + a6 * b6 + a7 * b5 + a8 * b4 + a9 * b3 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b2 + a1 * b1 + a2 * b0 + v + t * R260 + (tp << 10);
  const r2 = l & M26; v = l >> 26; tp = t;
  h = a4 * b9 + a5 * b8 + a6 * b7 + a7 * b6 + a8 * b5 + a9 * b4 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b3 + a1 * b2 + a2 * b1 + a3 * b0 + v + t * R260 + (tp << 10);
  const r3 = l & M26; v = l >> 26; tp = t;
  h = a5 * b9 + a6 * b8 + a7 * b7 + a8 * b6 + a9 * b5 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b4 + a1 * b3 + a2 * b2 + a3 * b1 + a4 * b0 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 16); v = l >> 26; tp = t;
  h = a6 * b9 + a7 * b8 + a8 * b7 + a9 * b6 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b5 + a1 * b4 + a2 * b3 + a3 * b2 + a4 * b1 + a5 * b0 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 20); v = l >> 26; tp = t;
  h = a7 * b9 + a8 * b8 + a9 * b7 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b6 + a1 * b5 + a2 * b4 + a3 * b3 + a4 * b2 + a5 * b1 + a6 * b0 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 24); v = l >> 26; tp = t;
  h = a8 * b9 + a9 * b8 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b7 + a1 * b6 + a2 * b5 + a3 * b4 + a4 * b3 + a5 * b2 + a6 * b1 + a7 * b0 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 28); v = l >> 26; tp = t;
  h = a9 * b9 + u;
  t = h & M26; u = h >> 26;
  l = a0 * b8 + a1 * b7 + a2 * b6 + a3 * b5 + a4 * b4 + a5 * b3 + a6 * b2 + a7 * b1 + a8 * b0 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 32); v = l >> 26;
  l = a0 * b9 + a1 * b8 + a2 * b7 + a3 * b6 + a4 * b5 + a5 * b4 + a6 * b3 + a7 * b2 + a8 * b1 + a9 * b0 + v + u * R260 + (t << 10);
  finish(r, r0, r1, r2, r3, l, u);
}

/** r = a^2 (input magnitude <= 8, result magnitude 1); cross products are taken once, doubled. */
export function feSqr(r: usize, a: usize): void {
  const a0 = <u64>load<u32>(a, 0), a1 = <u64>load<u32>(a, 4), a2 = <u64>load<u32>(a, 8);
  const a3 = <u64>load<u32>(a, 12), a4 = <u64>load<u32>(a, 16), a5 = <u64>load<u32>(a, 20);
  const a6 = <u64>load<u32>(a, 24), a7 = <u64>load<u32>(a, 28), a8 = <u64>load<u32>(a, 32);
  const a9 = <u64>load<u32>(a, 36);
  const d0 = a0 << 1, d1 = a1 << 1, d2 = a2 << 1, d3 = a3 << 1, d4 = a4 << 1;
  const d5 = a5 << 1, d6 = a6 << 1, d7 = a7 << 1, d8 = a8 << 1;
  let h: u64, l: u64, t: u64, tp: u64, u: u64, v: u64;
  h = d1 * a9 + d2 * a8 + d3 * a7 + d4 * a6 + a5 * a5;
  t = h & M26; u = h >> 26;
  l = a0 * a0 + t * R260;
  const r0 = l & M26; v = l >> 26; tp = t;
  h = d2 * a9 + d3 * a8 + d4 * a7 + d5 * a6 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a1 + v + t * R260 + (tp << 10);
  const r1 = l & M26; v = l >> 26; tp = t;
  h = d3 * a9 + d4 * a8 + d5 * a7 + a6 * a6 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a2 + a1 * a1 + v + t * R260 + (tp << 10);
  const r2 = l & M26; v = l >> 26; tp = t;
  h = d4 * a9 + d5 * a8 + d6 * a7 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a3 + d1 * a2 + v + t * R260 + (tp << 10);
  const r3 = l & M26; v = l >> 26; tp = t;
  h = d5 * a9 + d6 * a8 + a7 * a7 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a4 + d1 * a3 + a2 * a2 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 16); v = l >> 26; tp = t;
  h = d6 * a9 + d7 * a8 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a5 + d1 * a4 + d2 * a3 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 20); v = l >> 26; tp = t;
  h = d7 * a9 + a8 * a8 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a6 + d1 * a5 + d2 * a4 + a3 * a3 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 24); v = l >> 26; tp = t;
  h = d8 * a9 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a7 + d1 * a6 + d2 * a5 + d3 * a4 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 28); v = l >> 26; tp = t;
  h = a9 * a9 + u;
  t = h & M26; u = h >> 26;
  l = d0 * a8 + d1 * a7 + d2 * a6 + d3 * a5 + a4 * a4 + v + t * R260 + (tp << 10);
  store<u32>(r, <u32>(l & M26), 32); v = l >> 26;
  l = d0 * a9 + d1 * a8 + d2 * a7 + d3 * a6 + d4 * a5 + v + u * R260 + (t << 10);
  finish(r, r0, r1, r2, r3, l, u);
}

/** r = a^(2^k). */
function feSqrN(r: usize, a: usize, k: i32): void {
  feSqr(r, a);
  for (let i = 1; i < k; i++) feSqr(r, r);
}

/**
 * Magnitude 1 again without a full reduction: fold what sits above bit 256 and carry once.
 * Accepts magnitude up to 32 (limbs < 2^32).
 */
export function feNormWeak(r: usize): void {
  let t0 = <u64>load<u32>(r, 0), t1 = <u64>load<u32>(r, 4), t2 = <u64>load<u32>(r, 8);
  let t3 = <u64>load<u32>(r, 12), t4 = <u64>load<u32>(r, 16), t5 = <u64>load<u32>(r, 20);
  let t6 = <u64>load<u32>(r, 24), t7 = <u64>load<u32>(r, 28), t8 = <u64>load<u32>(r, 32);
  let t9 = <u64>load<u32>(r, 36);
  const m = t9 >> 22;
  t9 &= M22;
  t0 += m * R0;
  t1 += (m << 6) + (t0 >> 26); t0 &= M26;
  t2 += t1 >> 26; t1 &= M26;
  t3 += t2 >> 26; t2 &= M26;
  t4 += t3 >> 26; t3 &= M26;
  t5 += t4 >> 26; t4 &= M26;
  t6 += t5 >> 26; t5 &= M26;
  t7 += t6 >> 26; t6 &= M26;
  t8 += t7 >> 26; t7 &= M26;
  t9 += t8 >> 26; t8 &= M26;
  store<u32>(r, <u32>t0, 0);
  store<u32>(r, <u32>t1, 4);
  store<u32>(r, <u32>t2, 8);
  store<u32>(r, <u32>t3, 12);
  store<u32>(r, <u32>t4, 16);
  store<u32>(r, <u32>t5, 20);
  store<u32>(r, <u32>t6, 24);
  store<u32>(r, <u32>t7, 28);
  store<u32>(r, <u32>t8, 32);
  store<u32>(r, <u32>t9, 36);
}

/**
 * Whether a (magnitude <= 32) is 0 mod p. After one weak pass the value is below 2^256 + 2^241 < 2p,
 * so it is 0 mod p exactly when it equals 0 or p.
 */
export function feIsZeroModP(a: usize): bool {
  let t0 = <u64>load<u32>(a, 0), t1 = <u64>load<u32>(a, 4), t2 = <u64>load<u32>(a, 8);
  let t3 = <u64>load<u32>(a, 12), t4 = <u64>load<u32>(a, 16), t5 = <u64>load<u32>(a, 20);
  let t6 = <u64>load<u32>(a, 24), t7 = <u64>load<u32>(a, 28), t8 = <u64>load<u32>(a, 32);
  let t9 = <u64>load<u32>(a, 36);
  const m = t9 >> 22;
  t9 &= M22;
  t0 += m * R0;
  t1 += (m << 6) + (t0 >> 26); t0 &= M26;
  t2 += t1 >> 26; t1 &= M26;
  t3 += t2 >> 26; t2 &= M26;
  t4 += t3 >> 26; t3 &= M26;
  t5 += t4 >> 26; t4 &= M26;
  t6 += t5 >> 26; t5 &= M26;
  t7 += t6 >> 26; t6 &= M26;
  t8 += t7 >> 26; t7 &= M26;
  t9 += t8 >> 26; t8 &= M26;
  const z = t0 | t1 | t2 | t3 | t4 | t5 | t6 | t7 | t8 | t9;
  const q = (t0 ^ <u64>P0) | (t1 ^ <u64>P1) | (t2 ^ M26) | (t3 ^ M26) | (t4 ^ M26) |
    (t5 ^ M26) | (t6 ^ M26) | (t7 ^ M26) | (t8 ^ M26) | (t9 ^ M22);
  return z == 0 || q == 0;
}

/** The unique representative in [0, p) with every limb within its 26 (22) bits. */
export function feNormalize(r: usize): void {
  feNormWeak(r);
  // value < 2^256 + 2^241: a second weak pass leaves it below 2^256 (a carry out of the low
  // limbs cannot reach bit 256 again because the top limb has just been cut to a few units)
  feNormWeak(r);
  // value in [0, 2^256): subtract p iff value + (2^256 - p) reaches 2^256
  let t0 = <u64>load<u32>(r, 0), t1 = <u64>load<u32>(r, 4), t2 = <u64>load<u32>(r, 8);
  let t3 = <u64>load<u32>(r, 12), t4 = <u64>load<u32>(r, 16), t5 = <u64>load<u32>(r, 20);
  let t6 = <u64>load<u32>(r, 24), t7 = <u64>load<u32>(r, 28), t8 = <u64>load<u32>(r, 32);
  let t9 = <u64>load<u32>(r, 36);
  t0 += R0;
  t1 += 64 + (t0 >> 26); t0 &= M26;
  t2 += t1 >> 26; t1 &= M26;
  t3 += t2 >> 26; t2 &= M26;
  t4 += t3 >> 26; t3 &= M26;
  t5 += t4 >> 26; t4 &= M26;
  t6 += t5 >> 26; t5 &= M26;
  t7 += t6 >> 26; t6 &= M26;
  t8 += t7 >> 26; t7 &= M26;
  t9 += t8 >> 26; t8 &= M26;
  if ((t9 >> 22) == 0) return;
  store<u32>(r, <u32>t0, 0);
  store<u32>(r, <u32>t1, 4);
  store<u32>(r, <u32>t2, 8);
  store<u32>(r, <u32>t3, 12);
  store<u32>(r, <u32>t4, 16);
  store<u32>(r, <u32>t5, 20);
  store<u32>(r, <u32>t6, 24);
  store<u32>(r, <u32>t7, 28);
  store<u32>(r, <u32>t8, 32);
  store<u32>(r, <u32>(t9 & M22), 36);
}

// ---- conversions (inputs/outputs normalized) -------------------------------------------------

/** Limbs from 8 little-endian u32 words at w (the value must be < 2^256). */
@inline export function feFromWords(r: usize, w: usize): void {
  const w0 = load<u32>(w, 0), w1 = load<u32>(w, 4), w2 = load<u32>(w, 8), w3 = load<u32>(w, 12);
  const w4 = load<u32>(w, 16), w5 = load<u32>(w, 20), w6 = load<u32>(w, 24), w7 = load<u32>(w, 28);
  const m = <u32>M26;
  store<u32>(r, w0 & m, 0);
  store<u32>(r, ((w0 >> 26) | (w1 << 6)) & m, 4);
  store<u32>(r, ((w1 >> 20) | (w2 << 12)) & m, 8);
  store<u32>(r, ((w2 >> 14) | (w3 << 18)) & m, 12);
  store<u32>(r, ((w3 >> 8) | (w4 << 24)) & m, 16);
  store<u32>(r, (w4 >> 2) & m, 20);
  store<u32>(r, ((w4 >> 28) | (w5 << 4)) & m, 24);
  store<u32>(r, ((w5 >> 22) | (w6 << 10)) & m, 28);
  store<u32>(r, ((w6 >> 16) | (w7 << 16)) & m, 32);
  store<u32>(r, w7 >> 10, 36);
}

/** 8 little-endian u32 words at w from a normalized element. */
@inline export function feToWords(w: usize, a: usize): void {
  const l0 = load<u32>(a, 0), l1 = load<u32>(a, 4), l2 = load<u32>(a, 8), l3 = load<u32>(a, 12);
  const l4 = load<u32>(a, 16), l5 = load<u32>(a, 20), l6 = load<u32>(a, 24), l7 = load<u32>(a, 28);
  const l8 = load<u32>(a, 32), l9 = load<u32>(a, 36);
  store<u32>(w, l0 | (l1 << 26), 0);
  store<u32>(w, (l1 >> 6) | (l2 << 20), 4);
  store<u32>(w, (l2 >> 12) | (l3 << 14), 8);
  store<u32>(w, (l3 >> 18) | (l4 << 8), 12);
  store<u32>(w, (l4 >> 24) | (l5 << 2) | (l6 << 28), 16);
  store<u32>(w, (l6 >> 4) | (l7 << 22), 20);
  store<u32>(w, (l7 >> 10) | (l8 << 16), 24);
  store<u32>(w, (l8 >> 16) | (l9 << 10), 28);
}

const WORDS: usize = memory.data(32);

/** Reads 32 big-endian bytes; false (r untouched) when the value is >= p. */
export function feFromBytes(r: usize, b: usize): bool {
  for (let i: usize = 0; i < 8; i++) store<u32>(WORDS + 4 * i, bswap<u32>(load<u32>(b + 28 - 4 * i)));
  // >= p iff the top 7 words are all ones and word 1.. word 0 reach p's low words
  let high = true;
  for (let i: usize = 2; i < 8; i++) if (load<u32>(WORDS + 4 * i) != 0xffffffff) high = false;
  if (high) {
    const w1 = load<u32>(WORDS + 4), w0 = load<u32>(WORDS);
    if (w1 > 0xfffffffe || (w1 == 0xfffffffe && w0 >= 0xfffffc2f)) return false;
  }
  feFromWords(r, WORDS);
  return true;
}

/** 32 big-endian bytes of a normalized element. */
export function feToBytes(b: usize, a: usize): void {
  feToWords(WORDS, a);
  for (let i: usize = 0; i < 8; i++) store<u32>(b + 28 - 4 * i, bswap<u32>(load<u32>(WORDS + 4 * i)));
}

// ---- exponentiations ------------------------------------------------------------------------

const X2: usize = memory.data(<i32>FE);
const X3: usize = memory.data(<i32>FE);
const X6: usize = memory.data(<i32>FE);
const X11: usize = memory.data(<i32>FE);
const X22: usize = memory.data(<i32>FE);
const X44: usize = memory.data(<i32>FE);
const X88: usize = memory.data(<i32>FE);
const XT: usize = memory.data(<i32>FE);
const XA: usize = memory.data(<i32>FE);

// Both p - 2 and (p + 1)/4 start with a run of 223 one bits followed by 0 and 22 ones, so both
// exponentiations share this ladder: it leaves a^(2^223 - 1) in XT, and keeps a^(2^k - 1) for
// k = 2, 3, 22 (X2, X3, X22) for the tails. 
function ladder223(a: usize): void {
  feCopy(XA, a);
  feSqr(X2, XA); feMul(X2, X2, XA); // 2 ones
  feSqr(X3, X2); feMul(X3, X3, XA); // 3
  feSqrN(X6, X3, 3); feMul(X6, X6, X3); // 6
  feSqrN(XT, X6, 3); feMul(XT, XT, X3); // 9
  feSqrN(X11, XT, 2); feMul(X11, X11, X2); // 11
  feSqrN(X22, X11, 11); feMul(X22, X22, X11); // 22
  feSqrN(X44, X22, 22); feMul(X44, X44, X22); // 44
  feSqrN(X88, X44, 44); feMul(X88, X88, X44); // 88
  feSqrN(XT, X88, 88); feMul(XT, XT, X88); // 176
  feSqrN(XT, XT, 44); feMul(XT, XT, X44); // 220
  feSqrN(XT, XT, 3); feMul(XT, XT, X3); // 223
  feSqrN(XT, XT, 23); feMul(XT, XT, X22); // then 0 and 22 ones
}

/** r = a^(p-2) = 1/a (0 for a = 0). p - 2 ends in ...0000101101 after the shared prefix. */
export function feInv(r: usize, a: usize): void {
  ladder223(a);
  feSqrN(XT, XT, 5); feMul(XT, XT, XA);
  feSqrN(XT, XT, 3); feMul(XT, XT, X2);
  feSqrN(XT, XT, 2); feMul(r, XT, XA);
}

const SQ: usize = memory.data(<i32>FE);

/**
 * r = a^((p+1)/4), a square root when one exists (p = 3 mod 4); returns whether r^2 = a.
 * (p+1)/4 ends in ...00001100 after the shared prefix.
 */
export function feSqrt(r: usize, a: usize): bool {
  ladder223(a);
  feSqrN(XT, XT, 6); feMul(XT, XT, X2);
  feSqrN(XT, XT, 2);
  feSqr(SQ, XT);
  feNeg(SQ, SQ, 1);
  feAdd(SQ, SQ, XA);
  const ok = feIsZeroModP(SQ);
  feCopy(r, XT);
  return ok;
}
