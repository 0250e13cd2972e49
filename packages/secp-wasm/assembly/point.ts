// Points of y^2 = x^3 + 7 over F_p.
//
// Jacobian point (x = X/Z^2, y = Y/Z^3) at a pointer: X at +0, Y at +40, Z at +80, an infinity
// flag (u32) at +120; 128 bytes. Accumulators keep X at magnitude <= 6, Y <= 3, Z <= 2 between
// operations: that is what makes every product input of addAffine stay within feMul's bound of 8
// without an extra normalization in the hot path (bounds written next to each line).
//
// Affine points are two field elements (x, y) at separate pointers.
import {
  FE, feAdd, feCopy, feFromBytes, feIsZeroModP, feMul, feMulInt, feNeg, feNormalize,
  feNormWeak, feSetU32, feSqr, feSqrt, feToBytes,
} from './field';
import { feInvFast } from './modinv';

export const JAC: usize = 128;
const OX: usize = 0;
const OY: usize = 40;
const OZ: usize = 80;
const OINF: usize = 120;

@inline export function jacIsInf(a: usize): bool {
  return load<u32>(a, OINF) != 0;
}

@inline export function jacSetInf(a: usize): void {
  store<u32>(a, 1, OINF);
}

/** a = (x, y, 1); y may have magnitude up to 3. */
export function jacSetAffine(a: usize, x: usize, y: usize): void {
  feCopy(a + OX, x);
  feCopy(a + OY, y);
  feSetU32(a + OZ, 1);
  store<u32>(a, 0, OINF);
}

@inline export function jacCopy(r: usize, a: usize): void {
  memory.copy(r, a, JAC);
}

const D_S: usize = memory.data(<i32>FE);
const D_M: usize = memory.data(<i32>FE);
const D_T: usize = memory.data(<i32>FE);
const D_U: usize = memory.data(<i32>FE);

/**
 * a = 2a. secp256k1 has no point of order 2 (y is never 0), so the result is infinity only when
 * a is. With S = Y^2, M = 3X^2, T = 4XS: X' = M^2 - 2T, Y' = M(T - X') - 8S^2, Z' = 2YZ.
 * Outputs are brought back to magnitude 1 (doublings are rare in the comb, the passes are cheap).
 */
export function jacDouble(a: usize): void {
  if (jacIsInf(a)) return;
  const X = a + OX, Y = a + OY, Z = a + OZ;
  feSqr(D_S, Y); // S, 1
  feSqr(D_M, X);
  feMulInt(D_M, D_M, 3); // M, 3
  feMul(D_T, X, D_S);
  feMulInt(D_T, D_T, 4); // T, 4
  feMul(Z, Y, Z);
  feMulInt(Z, Z, 2);
  feNormWeak(Z); // Z', 1
  feSqr(X, D_M);
  feMulInt(D_U, D_T, 2); // 2T, 8
  feNeg(D_U, D_U, 8); // 9
  feAdd(X, X, D_U); // 10
  feNormWeak(X); // X', 1
  feNeg(D_U, X, 1); // 2
  feAdd(D_U, D_U, D_T); // T - X', 6
  feMul(Y, D_M, D_U);
  feSqr(D_S, D_S);
  feMulInt(D_S, D_S, 8); // 8 S^2, 8
  feNeg(D_S, D_S, 8); // 9
  feAdd(Y, Y, D_S); // 10
  feNormWeak(Y); // Y', 1
}

const A_Z2: usize = memory.data(<i32>FE);
const A_U2: usize = memory.data(<i32>FE);
const A_S2: usize = memory.data(<i32>FE);
const A_H: usize = memory.data(<i32>FE);
const A_I: usize = memory.data(<i32>FE);
const A_H2: usize = memory.data(<i32>FE);
const A_H3: usize = memory.data(<i32>FE);
const A_T: usize = memory.data(<i32>FE);

/**
 * a += (x, y) for an affine point that is not infinity (x magnitude 1, y <= 2). Handles every
 * case: a infinite, a = (x, y) (doubles), a = -(x, y) (becomes infinity).
 * 8 multiplications + 3 squarings in the common case:
 *   U2 = x Z^2, S2 = y Z^3, H = U2 - X, I = S2 - Y,
 *   X' = I^2 - H^3 - 2 X H^2, Y' = I (X H^2 - X') - Y H^3, Z' = Z H.
 */
export function jacAddAffine(a: usize, x: usize, y: usize): void {
  if (jacIsInf(a)) {
    jacSetAffine(a, x, y);
    return;
  }
  const X = a + OX, Y = a + OY, Z = a + OZ;
  feSqr(A_Z2, Z); // Z <= 2
  feMul(A_U2, x, A_Z2);
  feMul(A_S2, y, A_Z2);
  feMul(A_S2, A_S2, Z);
  feNeg(A_H, X, 6); // 7
  feAdd(A_H, A_H, A_U2); // H, 8
  feNeg(A_I, Y, 3); // 4
  feAdd(A_I, A_I, A_S2); // I, 5
  if (feIsZeroModP(A_H)) {
    // same x: either the same point (double it) or its negation (the sum is infinity)
    if (feIsZeroModP(A_I)) jacDouble(a);
    else jacSetInf(a);
    return;
  }
  feSqr(A_H2, A_H);
  feMul(A_H3, A_H, A_H2);
  feMul(Z, Z, A_H); // Z', 1
  feMul(A_T, X, A_H2); // X H^2, 1
  feSqr(X, A_I);
  feNeg(A_H2, A_H3, 1); // -H^3, 2 (A_H2 reused)
  feAdd(X, X, A_H2); // 3
  feAdd(A_U2, A_T, A_T); // 2 X H^2, 2 (A_U2 reused)
  feNeg(A_U2, A_U2, 2); // 3
  feAdd(X, X, A_U2); // X', 6
  feNeg(A_U2, X, 6); // 7
  feAdd(A_U2, A_U2, A_T); // X H^2 - X', 8
  feMul(A_U2, A_I, A_U2);
  feMul(A_H3, A_H3, Y); // Y H^3, 1
  feNeg(A_H3, A_H3, 1); // 2
  feAdd(Y, A_U2, A_H3); // Y', 3
}

const F_Z2: usize = memory.data(<i32>FE);

/** Affine coordinates (normalized) of a non-infinite a, given zi = 1/Z. */
export function jacToAffine(x: usize, y: usize, a: usize, zi: usize): void {
  feSqr(F_Z2, zi);
  feMul(x, a + OX, F_Z2);
  feMul(F_Z2, F_Z2, zi);
  feMul(y, a + OY, F_Z2);
  feNormalize(x);
  feNormalize(y);
}

/** SEC1 compressed encoding of a normalized affine point. */
export function encodeAffine(out: usize, x: usize, y: usize): void {
  store<u8>(out, <u8>(2 | (load<u32>(y) & 1)));
  feToBytes(out + 1, x);
}

/** Infinity as the Go library hashes it: 02 followed by 32 zero bytes. */
export function encodeInfinity(out: usize): void {
  store<u8>(out, 2);
  memory.fill(out + 1, 0, 32);
}

const E_ZI: usize = memory.data(<i32>FE);
const E_X: usize = memory.data(<i32>FE);
const E_Y: usize = memory.data(<i32>FE);

/** Compressed encoding of a Jacobian point (one inversion). */
export function encodeJac(out: usize, a: usize): void {
  if (jacIsInf(a)) {
    encodeInfinity(out);
    return;
  }
  feInvFast(E_ZI, a + OZ);
  jacToAffine(E_X, E_Y, a, E_ZI);
  encodeAffine(out, E_X, E_Y);
}

const E_P: usize = memory.data(<i32>FE);
const E_Z2: usize = memory.data(<i32>FE);

/** Compressed encodings of two Jacobian points sharing one inversion (Montgomery's trick). */
export function encodeJacPair(outA: usize, a: usize, outB: usize, b: usize): void {
  if (jacIsInf(a) || jacIsInf(b)) {
    encodeJac(outA, a);
    encodeJac(outB, b);
    return;
  }
  feMul(E_P, a + OZ, b + OZ);
  feInvFast(E_P, E_P); // 1/(Za Zb)
  feMul(E_ZI, E_P, b + OZ); // 1/Za
  feMul(E_Z2, E_P, a + OZ); // 1/Zb
  jacToAffine(E_X, E_Y, a, E_ZI);
  encodeAffine(outA, E_X, E_Y);
  jacToAffine(E_X, E_Y, b, E_Z2);
  encodeAffine(outB, E_X, E_Y);
}

const C_T: usize = memory.data(<i32>FE);

/**
 * Decodes a 33-byte SEC1 compressed point into normalized (x, y). False when the prefix is not
 * 02/03, x >= p, or x^3 + 7 is not a square (so x is not on the curve).
 */
export function decodeCompressed(x: usize, y: usize, inp: usize): bool {
  const prefix = load<u8>(inp);
  if (prefix != 2 && prefix != 3) return false;
  if (!feFromBytes(x, inp + 1)) return false;
  feSqr(C_T, x);
  feMul(C_T, C_T, x);
  feSetU32(y, 7);
  feAdd(C_T, C_T, y);
  if (!feSqrt(y, C_T)) return false;
  feNormalize(y);
  if ((load<u32>(y) & 1) != <u32>(prefix & 1)) feNeg(y, y, 1);
  feNormalize(y);
  return true;
}
