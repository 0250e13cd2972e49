// Two field elements side by side ("lanes"), for the comb's two accumulators L and R, which
// always go through the same operations with the same magnitudes. Limb i of lane 0 and lane 1
// sit next to each other at +8i (two u32), so one v128.load64_zero gives [a_L, a_R, 0, 0] and
// i64x2.extmul_low_i32x4_u multiplies both lanes' limbs at once into two u64 products. On x64
// that is ~3 vector instructions for 2 products, against one imul per product on the scalar
// path, whose single multiplier port is what bounds feMul (measured: one 2-lane product ~45 ns
// against 2 x ~36 ns). Same limb format, same magnitude rules and the same reduction as field.ts.
//
// A 2-lane element is 80 bytes. Every function reads all of its inputs before storing.
export const FE2: usize = 80;

const M26X: v128 = i64x2(0x3ffffff, 0x3ffffff);
const M22X: v128 = i64x2(0x3fffff, 0x3fffff);
const R260X: v128 = i32x4(0x3d10, 0x3d10, 0x3d10, 0x3d10);

@inline function X(a: v128, b: v128): v128 {
  return i64x2.extmul_low_i32x4_u(a, b);
}

// t * 0x3d10 per 64-bit lane for t < 2^32: move the lanes' low words to i32 lanes 0, 1 first
@inline function times3d10(t: v128): v128 {
  return i64x2.extmul_low_i32x4_u(i32x4.shuffle(t, t, 0, 2, 0, 2), R260X);
}

// the same for any 64-bit t (the last carry can exceed 2^32): 0x3d10 = 2^14 - 2^10 + 2^8 + 2^4
@inline function wide3d10(t: v128): v128 {
  return i64x2.add(i64x2.sub(i64x2.shl(t, 14), i64x2.shl(t, 10)), i64x2.add(i64x2.shl(t, 8), i64x2.shl(t, 4)));
}

// x * 977 for x < 2^54: 977 = 2^10 - 2^5 - 2^4 + 1
@inline function times977(x: v128): v128 {
  return i64x2.add(i64x2.sub(i64x2.sub(i64x2.shl(x, 10), i64x2.shl(x, 5)), i64x2.shl(x, 4)), x);
}

// limbs k and k + 1 (both lanes, as i64x2 below 2^32) into one 16-byte store
@inline function store2(r: usize, lo: v128, hi: v128, off: usize): void {
  v128.store(r + off, i32x4.shuffle(lo, hi, 0, 2, 4, 6));
}

// as finish() in field.ts, in both lanes
@inline function finish2(
  r: usize, r0: v128, r1: v128, r2: v128, r3: v128, r4: v128, r5: v128, r6: v128, r7: v128, r8: v128,
  l: v128, u: v128,
): void {
  const e = i64x2.add(i64x2.shr_u(l, 22), i64x2.shl(u, 14));
  const r9 = v128.and(l, M22X);
  l = i64x2.add(r0, times977(e));
  r0 = v128.and(l, M26X);
  l = i64x2.add(i64x2.add(r1, i64x2.shl(e, 6)), i64x2.shr_u(l, 26));
  r1 = v128.and(l, M26X);
  l = i64x2.add(r2, i64x2.shr_u(l, 26));
  r2 = v128.and(l, M26X);
  r3 = i64x2.add(r3, i64x2.shr_u(l, 26));
  store2(r, r0, r1, 0);
  store2(r, r2, r3, 16);
  store2(r, r4, r5, 32);
  store2(r, r6, r7, 48);
  store2(r, r8, r9, 64);
}

/**
 * r = a * b in both lanes (inputs magnitude <= 8, result magnitude 1). One level of Karatsuba
 * (limbs 0..4 and 5..9): 75 limb products instead of 100, which matters because every 2-lane
 * product costs two shuffles and shuffles are what bound this function (~10% faster measured).
 * The middle sums (a_i + a_(i+5)) (b_j + b_(j+5)) may exceed 2^64 when summed over a column, but
 * u64 arithmetic wraps: middle - low - high is exact mod 2^64 and its true value (the cross
 * terms of a schoolbook column) is below 2^64, so the bounds are the schoolbook ones.
 */
export function fe2Mul(r: usize, a: usize, b: usize): void {
  const a0 = v128.load64_zero(a, 0);
  const a1 = v128.load64_zero(a, 8);
  const a2 = v128.load64_zero(a, 16);
  const a3 = v128.load64_zero(a, 24);
  const a4 = v128.load64_zero(a, 32);
  const a5 = v128.load64_zero(a, 40);
  const a6 = v128.load64_zero(a, 48);
  const a7 = v128.load64_zero(a, 56);
  const a8 = v128.load64_zero(a, 64);
  const a9 = v128.load64_zero(a, 72);
  const b0 = v128.load64_zero(b, 0);
  const b1 = v128.load64_zero(b, 8);
  const b2 = v128.load64_zero(b, 16);
  const b3 = v128.load64_zero(b, 24);
  const b4 = v128.load64_zero(b, 32);
  const b5 = v128.load64_zero(b, 40);
  const b6 = v128.load64_zero(b, 48);
  const b7 = v128.load64_zero(b, 56);
  const b8 = v128.load64_zero(b, 64);
  const b9 = v128.load64_zero(b, 72);
  const sa0 = i32x4.add(a0, a5), sb0 = i32x4.add(b0, b5);
  const sa1 = i32x4.add(a1, a6), sb1 = i32x4.add(b1, b6);
  const sa2 = i32x4.add(a2, a7), sb2 = i32x4.add(b2, b7);
  const sa3 = i32x4.add(a3, a8), sb3 = i32x4.add(b3, b8);
  const sa4 = i32x4.add(a4, a9), sb4 = i32x4.add(b4, b9);
  const lo0 = X(a0, b0);
  const lo1 = i64x2.add(X(a0, b1), X(a1, b0));
  const lo2 = i64x2.add(i64x2.add(X(a0, b2), X(a1, b1)), X(a2, b0));
  const lo3 = i64x2.add(i64x2.add(i64x2.add(X(a0, b3), X(a1, b2)), X(a2, b1)), X(a3, b0));
  const lo4 = i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(a0, b4), X(a1, b3)), X(a2, b2)), X(a3, b1)), X(a4, b0));
  const lo5 = i64x2.add(i64x2.add(i64x2.add(X(a1, b4), X(a2, b3)), X(a3, b2)), X(a4, b1));
  const lo6 = i64x2.add(i64x2.add(X(a2, b4), X(a3, b3)), X(a4, b2));
  const lo7 = i64x2.add(X(a3, b4), X(a4, b3));
  const lo8 = X(a4, b4);
  const hi0 = X(a5, b5);
  const hi1 = i64x2.add(X(a5, b6), X(a6, b5));
  const hi2 = i64x2.add(i64x2.add(X(a5, b7), X(a6, b6)), X(a7, b5));
  const hi3 = i64x2.add(i64x2.add(i64x2.add(X(a5, b8), X(a6, b7)), X(a7, b6)), X(a8, b5));
  const hi4 = i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(a5, b9), X(a6, b8)), X(a7, b7)), X(a8, b6)), X(a9, b5));
  const hi5 = i64x2.add(i64x2.add(i64x2.add(X(a6, b9), X(a7, b8)), X(a8, b7)), X(a9, b6));
  const hi6 = i64x2.add(i64x2.add(X(a7, b9), X(a8, b8)), X(a9, b7));
  const hi7 = i64x2.add(X(a8, b9), X(a9, b8));
  const hi8 = X(a9, b9);
  const x0 = i64x2.sub(i64x2.sub(X(sa0, sb0), lo0), hi0);
  const x1 = i64x2.sub(i64x2.sub(i64x2.add(X(sa0, sb1), X(sa1, sb0)), lo1), hi1);
  const x2 = i64x2.sub(i64x2.sub(i64x2.add(i64x2.add(X(sa0, sb2), X(sa1, sb1)), X(sa2, sb0)), lo2), hi2);
  const x3 = i64x2.sub(i64x2.sub(i64x2.add(i64x2.add(i64x2.add(X(sa0, sb3), X(sa1, sb2)), X(sa2, sb1)), X(sa3, sb0)), lo3), hi3);
  const x4 = i64x2.sub(i64x2.sub(i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(sa0, sb4), X(sa1, sb3)), X(sa2, sb2)), X(sa3, sb1)), X(sa4, sb0)), lo4), hi4);
  const x5 = i64x2.sub(i64x2.sub(i64x2.add(i64x2.add(i64x2.add(X(sa1, sb4), X(sa2, sb3)), X(sa3, sb2)), X(sa4, sb1)), lo5), hi5);
  const x6 = i64x2.sub(i64x2.sub(i64x2.add(i64x2.add(X(sa2, sb4), X(sa3, sb3)), X(sa4, sb2)), lo6), hi6);
  const x7 = i64x2.sub(i64x2.sub(i64x2.add(X(sa3, sb4), X(sa4, sb3)), lo7), hi7);
  const x8 = i64x2.sub(i64x2.sub(X(sa4, sb4), lo8), hi8);
  let h: v128, l: v128, t: v128, tp: v128, u: v128, v: v128;
  h = i64x2.add(x5, hi0);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(lo0, times3d10(t));
  const r0 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(x6, hi1);
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(lo1, times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r1 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(x7, hi2);
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(lo2, times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r2 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(x8, hi3);
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(lo3, times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r3 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = hi4;
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(lo4, times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r4 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = hi5;
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(lo5, x0), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r5 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = hi6;
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(lo6, x1), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r6 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = hi7;
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(lo7, x2), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r7 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = hi8;
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(lo8, x3), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r8 = v128.and(l, M26X); v = i64x2.shr_u(l, 26);
  l = i64x2.add(x4, i64x2.add(i64x2.add(v, wide3d10(u)), i64x2.shl(t, 10)));
  finish2(r, r0, r1, r2, r3, r4, r5, r6, r7, r8, l, u);
}

/** r = a^2 in both lanes (input magnitude <= 8, result magnitude 1). */
export function fe2Sqr(r: usize, a: usize): void {
  const a0 = v128.load64_zero(a, 0);
  const a1 = v128.load64_zero(a, 8);
  const a2 = v128.load64_zero(a, 16);
  const a3 = v128.load64_zero(a, 24);
  const a4 = v128.load64_zero(a, 32);
  const a5 = v128.load64_zero(a, 40);
  const a6 = v128.load64_zero(a, 48);
  const a7 = v128.load64_zero(a, 56);
  const a8 = v128.load64_zero(a, 64);
  const a9 = v128.load64_zero(a, 72);
  const d0 = i32x4.shl(a0, 1);
  const d1 = i32x4.shl(a1, 1);
  const d2 = i32x4.shl(a2, 1);
  const d3 = i32x4.shl(a3, 1);
  const d4 = i32x4.shl(a4, 1);
  const d5 = i32x4.shl(a5, 1);
  const d6 = i32x4.shl(a6, 1);
  const d7 = i32x4.shl(a7, 1);
  const d8 = i32x4.shl(a8, 1);
  let h: v128, l: v128, t: v128, tp: v128, u: v128, v: v128;
  h = i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(d1, a9), X(d2, a8)), X(d3, a7)), X(d4, a6)), X(a5, a5));
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(X(a0, a0), times3d10(t));
  const r0 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(i64x2.add(i64x2.add(X(d2, a9), X(d3, a8)), X(d4, a7)), X(d5, a6));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(X(d0, a1), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r1 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(i64x2.add(i64x2.add(X(d3, a9), X(d4, a8)), X(d5, a7)), X(a6, a6));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(X(d0, a2), X(a1, a1)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r2 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(i64x2.add(X(d4, a9), X(d5, a8)), X(d6, a7));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(X(d0, a3), X(d1, a2)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r3 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(i64x2.add(X(d5, a9), X(d6, a8)), X(a7, a7));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(i64x2.add(X(d0, a4), X(d1, a3)), X(a2, a2)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r4 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(X(d6, a9), X(d7, a8));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(i64x2.add(X(d0, a5), X(d1, a4)), X(d2, a3)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r5 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = i64x2.add(X(d7, a9), X(a8, a8));
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(d0, a6), X(d1, a5)), X(d2, a4)), X(a3, a3)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r6 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = X(d8, a9);
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(d0, a7), X(d1, a6)), X(d2, a5)), X(d3, a4)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r7 = v128.and(l, M26X); v = i64x2.shr_u(l, 26); tp = t;
  h = X(a9, a9);
  h = i64x2.add(h, u);
  t = v128.and(h, M26X); u = i64x2.shr_u(h, 26);
  l = i64x2.add(i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(d0, a8), X(d1, a7)), X(d2, a6)), X(d3, a5)), X(a4, a4)), times3d10(t));
  l = i64x2.add(l, i64x2.add(v, i64x2.shl(tp, 10)));
  const r8 = v128.and(l, M26X); v = i64x2.shr_u(l, 26);
  l = i64x2.add(i64x2.add(i64x2.add(i64x2.add(i64x2.add(X(d0, a9), X(d1, a8)), X(d2, a7)), X(d3, a6)), X(d4, a5)), i64x2.add(i64x2.add(v, wide3d10(u)), i64x2.shl(t, 10)));
  finish2(r, r0, r1, r2, r3, r4, r5, r6, r7, r8, l, u);
}


/** r = a + b, both lanes. */
@inline export function fe2Add(r: usize, a: usize, b: usize): void {
  v128.store(r, i32x4.add(v128.load(a), v128.load(b)));
  v128.store(r, i32x4.add(v128.load(a, 16), v128.load(b, 16)), 16);
  v128.store(r, i32x4.add(v128.load(a, 32), v128.load(b, 32)), 32);
  v128.store(r, i32x4.add(v128.load(a, 48), v128.load(b, 48)), 48);
  v128.store(r, i32x4.add(v128.load(a, 64), v128.load(b, 64)), 64);
}

/** r = a * k for a small k, both lanes. */
@inline export function fe2MulInt(r: usize, a: usize, k: i32): void {
  const kk = i32x4.splat(k);
  v128.store(r, i32x4.mul(v128.load(a), kk));
  v128.store(r, i32x4.mul(v128.load(a, 16), kk), 16);
  v128.store(r, i32x4.mul(v128.load(a, 32), kk), 32);
  v128.store(r, i32x4.mul(v128.load(a, 48), kk), 48);
  v128.store(r, i32x4.mul(v128.load(a, 64), kk), 64);
}

// 2(m+1)p in both lanes for m = 0..9, the minuends of fe2Neg
const NEGK: usize = memory.data(<i32>FE2 * 10, 16);

export function field2Init(): void {
  for (let m: u32 = 0; m < 10; m++) {
    const k = 2 * (m + 1);
    for (let i: usize = 0; i < 10; i++) {
      const p: u32 = i == 0 ? 0x3fffc2f : i == 1 ? 0x3ffffbf : i == 9 ? 0x3fffff : 0x3ffffff;
      store<u32>(NEGK + <usize>m * FE2 + 8 * i, p * k);
      store<u32>(NEGK + <usize>m * FE2 + 8 * i + 4, p * k);
    }
  }
}

/** r = -a for a of magnitude <= m (m <= 9), both lanes; magnitude m + 1 (see feNeg). */
@inline export function fe2Neg(r: usize, a: usize, m: usize): void {
  const k = NEGK + m * FE2;
  v128.store(r, i32x4.sub(v128.load(k), v128.load(a)));
  v128.store(r, i32x4.sub(v128.load(k, 16), v128.load(a, 16)), 16);
  v128.store(r, i32x4.sub(v128.load(k, 32), v128.load(a, 32)), 32);
  v128.store(r, i32x4.sub(v128.load(k, 48), v128.load(a, 48)), 48);
  v128.store(r, i32x4.sub(v128.load(k, 64), v128.load(a, 64)), 64);
}

const M26W: v128 = i32x4(0x3ffffff, 0x3ffffff, 0x3ffffff, 0x3ffffff);
const M22W: v128 = i32x4(0x3fffff, 0x3fffff, 0x3fffff, 0x3fffff);
const R0W: v128 = i32x4(0x3d1, 0x3d1, 0x3d1, 0x3d1);

/**
 * Magnitude 1 again in both lanes (as feNormWeak), for inputs of magnitude <= 15 (limbs < 2^31:
 * the carries then fit the 32-bit lanes this works in).
 */
export function fe2NormWeak(r: usize): void {
  let t0 = v128.load64_zero(r, 0), t1 = v128.load64_zero(r, 8), t2 = v128.load64_zero(r, 16);
  let t3 = v128.load64_zero(r, 24), t4 = v128.load64_zero(r, 32), t5 = v128.load64_zero(r, 40);
  let t6 = v128.load64_zero(r, 48), t7 = v128.load64_zero(r, 56), t8 = v128.load64_zero(r, 64);
  let t9 = v128.load64_zero(r, 72);
  const m = i32x4.shr_u(t9, 22);
  t9 = v128.and(t9, M22W);
  t0 = i32x4.add(t0, i32x4.mul(m, R0W));
  t1 = i32x4.add(i32x4.add(t1, i32x4.shl(m, 6)), i32x4.shr_u(t0, 26)); t0 = v128.and(t0, M26W);
  t2 = i32x4.add(t2, i32x4.shr_u(t1, 26)); t1 = v128.and(t1, M26W);
  t3 = i32x4.add(t3, i32x4.shr_u(t2, 26)); t2 = v128.and(t2, M26W);
  t4 = i32x4.add(t4, i32x4.shr_u(t3, 26)); t3 = v128.and(t3, M26W);
  t5 = i32x4.add(t5, i32x4.shr_u(t4, 26)); t4 = v128.and(t4, M26W);
  t6 = i32x4.add(t6, i32x4.shr_u(t5, 26)); t5 = v128.and(t5, M26W);
  t7 = i32x4.add(t7, i32x4.shr_u(t6, 26)); t6 = v128.and(t6, M26W);
  t8 = i32x4.add(t8, i32x4.shr_u(t7, 26)); t7 = v128.and(t7, M26W);
  t9 = i32x4.add(t9, i32x4.shr_u(t8, 26)); t8 = v128.and(t8, M26W);
  v128.store(r, i32x4.shuffle(t0, t1, 0, 1, 4, 5));
  v128.store(r, i32x4.shuffle(t2, t3, 0, 1, 4, 5), 16);
  v128.store(r, i32x4.shuffle(t4, t5, 0, 1, 4, 5), 32);
  v128.store(r, i32x4.shuffle(t6, t7, 0, 1, 4, 5), 48);
  v128.store(r, i32x4.shuffle(t8, t9, 0, 1, 4, 5), 64);
}

const PW0: v128 = i32x4(0x3fffc2f, 0x3fffc2f, 0, 0);
const PW1: v128 = i32x4(0x3ffffbf, 0x3ffffbf, 0, 0);
const PWM: v128 = i32x4(0x3ffffff, 0x3ffffff, 0, 0);
const PW9: v128 = i32x4(0x3fffff, 0x3fffff, 0, 0);

/**
 * Bit 0 set when lane 0 is 0 mod p, bit 1 for lane 1 (inputs magnitude <= 15); the test of
 * feIsZeroModP, both lanes at once.
 */
export function fe2ZeroLanes(a: usize): i32 {
  let t0 = v128.load64_zero(a, 0), t1 = v128.load64_zero(a, 8), t2 = v128.load64_zero(a, 16);
  let t3 = v128.load64_zero(a, 24), t4 = v128.load64_zero(a, 32), t5 = v128.load64_zero(a, 40);
  let t6 = v128.load64_zero(a, 48), t7 = v128.load64_zero(a, 56), t8 = v128.load64_zero(a, 64);
  let t9 = v128.load64_zero(a, 72);
  const m = i32x4.shr_u(t9, 22);
  t9 = v128.and(t9, M22W);
  t0 = i32x4.add(t0, i32x4.mul(m, R0W));
  t1 = i32x4.add(i32x4.add(t1, i32x4.shl(m, 6)), i32x4.shr_u(t0, 26)); t0 = v128.and(t0, M26W);
  t2 = i32x4.add(t2, i32x4.shr_u(t1, 26)); t1 = v128.and(t1, M26W);
  t3 = i32x4.add(t3, i32x4.shr_u(t2, 26)); t2 = v128.and(t2, M26W);
  t4 = i32x4.add(t4, i32x4.shr_u(t3, 26)); t3 = v128.and(t3, M26W);
  t5 = i32x4.add(t5, i32x4.shr_u(t4, 26)); t4 = v128.and(t4, M26W);
  t6 = i32x4.add(t6, i32x4.shr_u(t5, 26)); t5 = v128.and(t5, M26W);
  t7 = i32x4.add(t7, i32x4.shr_u(t6, 26)); t6 = v128.and(t6, M26W);
  t8 = i32x4.add(t8, i32x4.shr_u(t7, 26)); t7 = v128.and(t7, M26W);
  t9 = i32x4.add(t9, i32x4.shr_u(t8, 26)); t8 = v128.and(t8, M26W);
  const z = v128.or(v128.or(v128.or(v128.or(t0, t1), v128.or(t2, t3)), v128.or(v128.or(t4, t5), v128.or(t6, t7))), v128.or(t8, t9));
  const q = v128.or(
    v128.or(v128.or(v128.or(v128.xor(t0, PW0), v128.xor(t1, PW1)), v128.or(v128.xor(t2, PWM), v128.xor(t3, PWM))),
      v128.or(v128.or(v128.xor(t4, PWM), v128.xor(t5, PWM)), v128.or(v128.xor(t6, PWM), v128.xor(t7, PWM)))),
    v128.or(v128.xor(t8, PWM), v128.xor(t9, PW9)));
  const zero = v128.or(i32x4.eq(z, i32x4.splat(0)), i32x4.eq(q, i32x4.splat(0)));
  return i32x4.bitmask(zero) & 3;
}

// ---- lanes <-> single elements ---------------------------------------------------------------

/** r (2-lane) lane `lane` = a (single element). */
export function fe2SetLane(r: usize, lane: usize, a: usize): void {
  for (let i: usize = 0; i < 10; i++) store<u32>(r + 8 * i + 4 * lane, load<u32>(a + 4 * i));
}

/** r (single element) = lane `lane` of a. */
export function fe2GetLane(r: usize, a: usize, lane: usize): void {
  for (let i: usize = 0; i < 10; i++) store<u32>(r + 4 * i, load<u32>(a + 8 * i + 4 * lane));
}

/** Lane `lane` of r from 8 little-endian u32 words (normalized value), as feFromWords. */
@inline export function fe2FromWords(r: usize, lane: usize, w: usize): void {
  const w0 = load<u32>(w, 0), w1 = load<u32>(w, 4), w2 = load<u32>(w, 8), w3 = load<u32>(w, 12);
  const w4 = load<u32>(w, 16), w5 = load<u32>(w, 20), w6 = load<u32>(w, 24), w7 = load<u32>(w, 28);
  const m: u32 = 0x3ffffff;
  const p = r + 4 * lane;
  store<u32>(p, w0 & m, 0);
  store<u32>(p, ((w0 >> 26) | (w1 << 6)) & m, 8);
  store<u32>(p, ((w1 >> 20) | (w2 << 12)) & m, 16);
  store<u32>(p, ((w2 >> 14) | (w3 << 18)) & m, 24);
  store<u32>(p, ((w3 >> 8) | (w4 << 24)) & m, 32);
  store<u32>(p, (w4 >> 2) & m, 40);
  store<u32>(p, ((w4 >> 28) | (w5 << 4)) & m, 48);
  store<u32>(p, ((w5 >> 22) | (w6 << 10)) & m, 56);
  store<u32>(p, ((w6 >> 16) | (w7 << 16)) & m, 64);
  store<u32>(p, w7 >> 10, 72);
}
