// Modular inversion mod p by Bernstein-Yang "safegcd" divsteps, variable time (everything this
// module processes is public: ring signatures are verified, not made). About 3x faster here than
// the 255-squaring Fermat chain (see README), and one inversion is paid per ring step.
//
// Outline: (f, g) = (p, x), (d, e) = (0, 1), keeping d x = f and e x = g (mod p). Divsteps shrink
// g until it is 0, at which point f = +-1 and 1/x = +-d. They run in batches of 30 on the low
// bits only, producing a 2x2 matrix t with 2^30 (f', g') = t (f, g); t is then applied to the
// full f, g (exact division by 2^30) and to d, e (division by 2^30 mod p, by first adding the
// multiple of p that clears the low 30 bits).
//
// Numbers are 9 signed 30-bit limbs (i32, limbs 0..7 in [0, 2^30), limb 8 carries the sign),
// with i64 products: matrix entries are at most 2^30 in absolute value.
import { FE, feCopy, feInv, feIsZeroModP, feNormalize, feToWords } from './field';

const M30: i64 = 0x3fffffff;
// p in 30-bit limbs, and 1/p mod 2^30
const PL: usize = memory.data<i32>([
  0x3ffffc2f, 0x3ffffffb, 0x3fffffff, 0x3fffffff, 0x3fffffff, 0x3fffffff, 0x3fffffff, 0x3fffffff, 0xffff,
]);
const PINV: i64 = 0x2ddacacf;

const F: usize = memory.data(36);
const G: usize = memory.data(36);
const D: usize = memory.data(36);
const E: usize = memory.data(36);

// the batch matrix [u v; q r]
let tu: i32 = 0;
let tv: i32 = 0;
let tq: i32 = 0;
let tr: i32 = 0;

@inline function limb(a: usize, i: usize): i64 {
  return <i64>load<i32>(a + (i << 2));
}

/**
 * 30 divsteps on the low bits of f (odd) and g, with eta = -delta; returns the new eta and
 * leaves the matrix in tu..tr. Runs of even g are shifted out at once (ctz), and while eta
 * allows, up to 6 low bits of g are cleared at once by adding w f, w = -g/f mod 2^k.
 */
function divsteps30(eta: i32, f0: u32, g0: u32): i32 {
  let u: i32 = 1, v: i32 = 0, q: i32 = 0, r: i32 = 1;
  let f = f0, g = g0;
  let i: i32 = 30;
  while (true) {
    const zeros = <i32>ctz<u32>(g | (<u32>0xffffffff << <u32>i));
    g >>= <u32>zeros;
    u <<= zeros;
    v <<= zeros;
    eta -= zeros;
    i -= zeros;
    if (i == 0) break;
    // g is odd now
    if (eta < 0) {
      // the swapping step: (f, g) <- (g, -f), then the common step below adds f back
      eta = -eta;
      const tf = f; f = g; g = 0 - tf;
      const t0 = u; u = q; q = -t0;
      const t1 = v; v = r; r = -t1;
    }
    // eta + 1 more steps can go without a swap
    let limit = eta + 1;
    if (limit > i) limit = i;
    if (limit > 6) limit = 6;
    const mask = (<u32>0xffffffff >> <u32>(32 - limit)) & 63;
    const finv = f * (2 - f * f); // 1/f mod 64 (f odd: f^2 = 1 mod 8, one Newton step)
    const w = (0 - g * finv) & mask;
    g += f * w;
    q += u * <i32>w;
    r += v * <i32>w;
  }
  tu = u;
  tv = v;
  tq = q;
  tr = r;
  return eta;
}

/** (f, g) <- t (f, g) / 2^30, exact. */
function updateFG(): void {
  const u = <i64>tu, v = <i64>tv, q = <i64>tq, r = <i64>tr;
  let f = limb(F, 0), g = limb(G, 0);
  let cf = u * f + v * g;
  let cg = q * f + r * g;
  cf >>= 30;
  cg >>= 30;
  for (let i: usize = 1; i < 9; i++) {
    f = limb(F, i);
    g = limb(G, i);
    cf += u * f + v * g;
    cg += q * f + r * g;
    store<i32>(F + ((i - 1) << 2), <i32>(cf & M30));
    store<i32>(G + ((i - 1) << 2), <i32>(cg & M30));
    cf >>= 30;
    cg >>= 30;
  }
  store<i32>(F + 32, <i32>cf);
  store<i32>(G + 32, <i32>cg);
}

/**
 * (d, e) <- t (d, e) / 2^30 mod p. With d, e in (-2p, p) on entry they stay there: a negative
 * input first gets p added (through the md/me terms), then md/me are moved down by less than
 * 2^30 so that the low 30 bits cancel.
 */
function updateDE(): void {
  const u = <i64>tu, v = <i64>tv, q = <i64>tq, r = <i64>tr;
  const sd = limb(D, 8) >> 63, se = limb(E, 8) >> 63; // 0 or -1
  let md = (u & sd) + (v & se);
  let me = (q & sd) + (r & se);
  let d = limb(D, 0), e = limb(E, 0);
  let cd = u * d + v * e;
  let ce = q * d + r * e;
  md -= (PINV * cd + md) & M30;
  me -= (PINV * ce + me) & M30;
  const p0 = limb(PL, 0);
  cd += p0 * md;
  ce += p0 * me;
  cd >>= 30;
  ce >>= 30;
  for (let i: usize = 1; i < 9; i++) {
    d = limb(D, i);
    e = limb(E, i);
    const pi = limb(PL, i);
    cd += u * d + v * e + pi * md;
    ce += q * d + r * e + pi * me;
    store<i32>(D + ((i - 1) << 2), <i32>(cd & M30));
    store<i32>(E + ((i - 1) << 2), <i32>(ce & M30));
    cd >>= 30;
    ce >>= 30;
  }
  store<i32>(D + 32, <i32>cd);
  store<i32>(E + 32, <i32>ce);
}

const NA: usize = memory.data(<i32>FE);
const WD: usize = memory.data(40);
const OUT30: usize = memory.data(36);

/** Whether the batch loop finished; false only if the divstep bound were ever exceeded. */
function run(): bool {
  let eta: i32 = -1;
  // 25 batches = 750 divsteps: more than Bernstein-Yang's bound for 256-bit inputs (741)
  for (let n = 0; n < 25; n++) {
    eta = divsteps30(eta, <u32>load<i32>(F), <u32>load<i32>(G));
    updateDE();
    updateFG();
    let any: i32 = 0;
    for (let i: usize = 0; i < 9; i++) any |= load<i32>(G + (i << 2));
    if (any == 0) return true;
  }
  return false;
}

/**
 * r = 1/a (a of magnitude <= 8; 0 for a = 0 mod p, like the Fermat version). Returns false when
 * the loop did not converge (never expected; the caller then falls back to Fermat).
 */
export function feInvVar(r: usize, a: usize): bool {
  if (feIsZeroModP(a)) {
    memory.fill(r, 0, FE);
    return true;
  }
  feCopy(NA, a);
  feNormalize(NA);
  feToWords(WD, NA);
  store<u32>(WD + 32, 0);
  // 256-bit value -> 30-bit limbs
  for (let i: usize = 0; i < 9; i++) {
    const bit: usize = 30 * i;
    const w = bit >> 5, sh = bit & 31;
    const two = (<u64>load<u32>(WD + ((w + 1) << 2)) << 32) | <u64>load<u32>(WD + (w << 2));
    store<i32>(G + (i << 2), <i32>((two >> <u64>sh) & 0x3fffffff));
  }
  memory.copy(F, PL, 36);
  memory.fill(D, 0, 36);
  memory.fill(E, 0, 36);
  store<i32>(E, 1);
  if (!run()) return false;
  // f = +-1: the inverse is sign(f) d, brought into (2p, 6p) by adding 4p, then repacked into
  // 26-bit limbs and reduced by feNormalize
  const neg = load<i32>(F + 32) < 0;
  let c: i64 = 0;
  for (let i: usize = 0; i < 9; i++) {
    const di = limb(D, i);
    c += (neg ? -di : di) + 4 * limb(PL, i);
    if (i < 8) {
      store<i32>(OUT30 + (i << 2), <i32>(c & M30));
      c >>= 30;
    } else {
      store<i32>(OUT30 + 32, <i32>c);
    }
  }
  for (let k: usize = 0; k < 9; k++) {
    const bit: usize = 26 * k;
    const j = bit / 30, sh = bit % 30;
    const two = (<u64>load<u32>(OUT30 + ((j + 1) << 2)) << 30) | <u64>load<u32>(OUT30 + (j << 2));
    store<u32>(r + (k << 2), <u32>((two >> <u64>sh) & 0x3ffffff));
  }
  // limb 9: bits 234 and up (234 = 30*7 + 24)
  store<u32>(r + 36, (load<u32>(OUT30 + 28) >> 24) | (load<u32>(OUT30 + 32) << 6));
  feNormalize(r);
  return true;
}

/** 1/a by safegcd, with the Fermat chain as a fallback that is never expected to run. */
export function feInvFast(r: usize, a: usize): void {
  if (!feInvVar(r, a)) feInv(r, a);
}
