// Fixed-base comb tables and the multi-scalar sums built on them.
//
// Layout (T teeth, S spacing, B blocks, N = B*T*S >= 256 bits): bit i of the recoded scalar d
// (scalar.ts: every bit means +2^i when set, -2^i when clear) belongs to block i / (T*S), tooth
// (i mod T*S) / S and column i mod S. For a column c and a block b, the T bits at
//   b*T*S + j*S + c   (j = 0..T-1)
// form a pattern m; the table of block b holds, for every pattern whose top bit is set,
//   E_b[m] = sum_j (m_j ? +1 : -1) 2^(b*T*S + j*S) * P   (affine, packed in 64 bytes).
// A pattern with the top bit clear is the complement of one with it set, i.e. the negated point,
// so 2^(T-1) entries per block suffice. A scalar multiple is then
//   sum over columns c = S-1..0 (doubling in between) of sum over blocks b of +-E_b[...]
// = B*S additions of affine table points and S-1 doublings, and the doublings are shared by
// every term accumulated together (s*A + c*B costs 2*B*S additions but still S-1 doublings).
//
// No table entry is infinity: each is m*P for a fixed nonzero integer m below 2^N; the glue
// checks m != 0 mod n for the configured layout (true for every N = 256 layout: m is in (0, 2n)
// and either even or below n).
import { FE, feFromWords, feMul, feNeg, feToWords } from './field';
import { feInvFast } from './modinv';
import { JAC, jacAddAffine, jacCopy, jacDouble, jacIsInf, jacSetAffine, jacSetInf, jacToAffine, encodeJac, encodeJacPair } from './point';
import { recodeScalar } from './scalar';
import { FE2, fe2FromWords, fe2Neg } from './field2';
import { JAC2, jac2AddAffine, jac2Double, jac2GetLane, jac2SetInf } from './point2';
import { rawAlloc } from './mem';

export const ENTRY: usize = 64;
const AFF: usize = 2 * FE;

let T: i32 = 0;
let S: i32 = 0;
let B: i32 = 0;
let ENT: i32 = 0; // entries per block, 2^(T-1)
let MASK: u32 = 0;

// scratch for table building, sized by combInit
let jacBuf: usize = 0; // Jacobian points
let preBuf: usize = 0; // prefix products of their Z
let affBuf: usize = 0; // affine results
let toothAff: usize = 0; // affine 2^(tooth position) P and 2^(tooth position + 1) P

// (2^N - 1) mod n as 8 words, the recoding offset
const OFF: usize = memory.data(32);
// recoded scalars: 8 words + zero words up to the widest allowed layout (N < 256 + T*S <= 576)
const DS: usize = memory.data(96);
const DC: usize = memory.data(96);
// per (block, column) patterns of both scalars
const PATS: usize = memory.data(4 * 256);
const PATC: usize = memory.data(4 * 256);

/** Table bytes per base for a layout, or 0 when the scratch cannot be allocated. */
export function combInit(teeth: i32, spacing: i32, blocks: i32, off: usize): usize {
  T = teeth;
  S = spacing;
  B = blocks;
  ENT = 1 << (T - 1);
  MASK = <u32>ENT - 1;
  memory.copy(OFF, off, 32);
  const nAff = 2 * B * T;
  // tableBuild keeps 2 B T collected points plus the running one in jacBuf
  const nJac = ENT > nAff + 1 ? ENT : nAff + 1;
  jacBuf = rawAlloc(<usize>nJac * JAC);
  preBuf = rawAlloc(<usize>nJac * FE);
  affBuf = rawAlloc(<usize>nJac * AFF);
  toothAff = rawAlloc(<usize>nAff * AFF);
  if (jacBuf == 0 || preBuf == 0 || affBuf == 0 || toothAff == 0) return 0;
  return <usize>B * <usize>ENT * ENTRY;
}

const BINV: usize = memory.data(<i32>FE);
const BZI: usize = memory.data(<i32>FE);

/**
 * Affine (normalized) forms of k Jacobian points at jacBuf into affBuf, with one inversion:
 * prefix products z_0 z_1 ... z_i, invert the last, then peel one z off per point going back.
 * False if one of them is infinity.
 */
function batchAffine(k: i32): bool {
  for (let i = 0; i < k; i++) if (jacIsInf(jacBuf + <usize>i * JAC)) return false;
  memory.copy(preBuf, jacBuf + 80, FE);
  for (let i = 1; i < k; i++) {
    feMul(preBuf + <usize>i * FE, preBuf + <usize>(i - 1) * FE, jacBuf + <usize>i * JAC + 80);
  }
  feInvFast(BINV, preBuf + <usize>(k - 1) * FE);
  for (let i = k - 1; i > 0; i--) {
    const J = jacBuf + <usize>i * JAC;
    feMul(BZI, BINV, preBuf + <usize>(i - 1) * FE);
    feMul(BINV, BINV, J + 80);
    jacToAffine(affBuf + <usize>i * AFF, affBuf + <usize>i * AFF + FE, J, BZI);
  }
  jacToAffine(affBuf, affBuf + FE, jacBuf, BINV);
  return true;
}

const NEGY: usize = memory.data(<i32>FE);

/**
 * Fills the table at tab for the affine point (x, y) (normalized, on the curve). False only if
 * an entry came out as infinity, which the layout check rules out.
 */
export function tableBuild(tab: usize, x: usize, y: usize): bool {
  const nQ = B * T;
  // 1. the tooth points Q_q = 2^(q S) P (q = b T + j) and their doubles D_q = 2^(q S + 1) P
  //    (only needed below the top tooth), all from one chain of doublings
  const cur = jacBuf + <usize>(2 * nQ) * JAC; // past the 2 nQ collected points
  jacSetAffine(cur, x, y);
  const last = (nQ - 1) * S;
  for (let i = 0; i <= last; i++) {
    if (i % S == 0) jacCopy(jacBuf + <usize>(i / S) * JAC, cur);
    if (i > 0 && (i - 1) % S == 0 && ((i - 1) / S) % T != T - 1) {
      jacCopy(jacBuf + <usize>(nQ + (i - 1) / S) * JAC, cur);
    }
    if (i < last) jacDouble(cur);
  }
  // (the D slot of a top tooth is never written: fill it with anything finite for batchAffine)
  for (let b = 0; b < B; b++) jacCopy(jacBuf + <usize>(nQ + b * T + T - 1) * JAC, jacBuf);
  if (!batchAffine(2 * nQ)) return false;
  memory.copy(toothAff, affBuf, <usize>(2 * nQ) * AFF);
  // 2. per block: entry 0 (all non-top teeth negative) by T-1 additions, then entry m from
  //    entry m - 2^h (h = top set bit of m) by adding D_h, which flips tooth h from - to +
  for (let b = 0; b < B; b++) {
    const q0 = b * T;
    const top = toothAff + <usize>(q0 + T - 1) * AFF;
    jacSetAffine(jacBuf, top, top + FE);
    for (let j = 0; j < T - 1; j++) {
      const Q = toothAff + <usize>(q0 + j) * AFF;
      feNeg(NEGY, Q + FE, 0);
      jacAddAffine(jacBuf, Q, NEGY);
    }
    for (let m = 1; m < ENT; m++) {
      const h = 31 - clz<i32>(m);
      const E = jacBuf + <usize>m * JAC;
      jacCopy(E, jacBuf + <usize>(m ^ (1 << h)) * JAC);
      const D = toothAff + <usize>(nQ + q0 + h) * AFF;
      jacAddAffine(E, D, D + FE);
    }
    if (!batchAffine(ENT)) return false;
    const out = tab + <usize>b * <usize>ENT * ENTRY;
    for (let m = 0; m < ENT; m++) {
      const a = affBuf + <usize>m * AFF;
      feToWords(out + <usize>m * ENTRY, a);
      feToWords(out + <usize>m * ENTRY + 32, a + FE);
    }
  }
  return true;
}

/** Patterns of one recoded scalar for every (block, column), at pats[b * S + c]. */
function patterns(pats: usize, d: usize): void {
  const TS = T * S;
  for (let b = 0; b < B; b++) {
    for (let c = 0; c < S; c++) {
      let m: u32 = 0;
      let pos = b * TS + c;
      for (let j = 0; j < T; j++, pos += S) {
        m |= ((load<u32>(d + (<usize>(pos >>> 5) << 2)) >>> (<u32>pos & 31)) & 1) << <u32>j;
      }
      store<u32>(pats + (<usize>(b * S + c) << 2), m);
    }
  }
}

const QX: usize = memory.data(<i32>FE);
const QY: usize = memory.data(<i32>FE);

/** acc += +-E_b[pattern m] of the table at tab. */
@inline function addEntry(acc: usize, tab: usize, b: i32, m: u32): void {
  const positive = (m >> <u32>(T - 1)) != 0;
  const idx = positive ? m & MASK : ~m & MASK;
  const e = tab + ((<usize>b << <usize>(T - 1)) + <usize>idx) * ENTRY;
  feFromWords(QX, e);
  feFromWords(QY, e + 32);
  if (!positive) feNeg(QY, QY, 0); // y is normalized: 2p - y, magnitude 1
  jacAddAffine(acc, QX, QY);
}

const ACC_L: usize = memory.data(<i32>JAC);
const ACC_R: usize = memory.data(<i32>JAC);
const ACC2: usize = memory.data(<i32>JAC2, 16);
const QX2: usize = memory.data(<i32>FE2, 16);
const QY2: usize = memory.data(<i32>FE2, 16);

/**
 * (L, R) += (+-E_b[m] of table t0, +-E_b[m] of table t1): one pattern m, so one sign for both
 * lanes.
 */
@inline function addEntryPair(acc: usize, t0: usize, t1: usize, b: i32, m: u32): void {
  const positive = (m >> <u32>(T - 1)) != 0;
  const idx = positive ? m & MASK : ~m & MASK;
  const off = ((<usize>b << <usize>(T - 1)) + <usize>idx) * ENTRY;
  fe2FromWords(QX2, 0, t0 + off);
  fe2FromWords(QY2, 0, t0 + off + 32);
  fe2FromWords(QX2, 1, t1 + off);
  fe2FromWords(QY2, 1, t1 + off + 32);
  if (!positive) fe2Neg(QY2, QY2, 0); // normalized: 2p - y, magnitude 1
  jac2AddAffine(acc, QX2, QY2);
}

/**
 * Reads scalars s (at sc) and c (at sc + 32) and writes
 *   enc(s A + c Bt) at out, enc(s C + c D) at out + 33
 * for the tables tA, tB, tC, tD. L = s A + c Bt and R = s C + c D take the same digits in the
 * same order, so they run side by side in the two lanes of one accumulator; the two encodings
 * share one inversion.
 */
export function combStep(sc: usize, tA: usize, tB: usize, tC: usize, tD: usize, out: usize): void {
  recodeScalar(DS, sc, OFF);
  recodeScalar(DC, sc + 32, OFF);
  patterns(PATS, DS);
  patterns(PATC, DC);
  jac2SetInf(ACC2);
  for (let c = S - 1; c >= 0; c--) {
    if (c != S - 1) jac2Double(ACC2);
    for (let b = 0; b < B; b++) {
      addEntryPair(ACC2, tA, tC, b, load<u32>(PATS + (<usize>(b * S + c) << 2)));
      addEntryPair(ACC2, tB, tD, b, load<u32>(PATC + (<usize>(b * S + c) << 2)));
    }
  }
  jac2GetLane(ACC_L, ACC2, 0);
  jac2GetLane(ACC_R, ACC2, 1);
  encodeJacPair(out, ACC_L, out + 33, ACC_R);
}

/** enc(a A + b Bt) at out for scalars a (at sc) and b (at sc + 32). */
export function combLincomb(sc: usize, tA: usize, tB: usize, out: usize): void {
  recodeScalar(DS, sc, OFF);
  recodeScalar(DC, sc + 32, OFF);
  patterns(PATS, DS);
  patterns(PATC, DC);
  jacSetInf(ACC_L);
  for (let c = S - 1; c >= 0; c--) {
    if (c != S - 1) jacDouble(ACC_L);
    for (let b = 0; b < B; b++) {
      addEntry(ACC_L, tA, b, load<u32>(PATS + (<usize>(b * S + c) << 2)));
      addEntry(ACC_L, tB, b, load<u32>(PATC + (<usize>(b * S + c) << 2)));
    }
  }
  encodeJac(out, ACC_L);
}
