// The comb's two accumulators L and R as one pair of Jacobian points in 2-lane elements
// (field2.ts): X at +0, Y at +80, Z at +160, infinity flags of lane 0 / lane 1 at +240 / +244;
// 256 bytes. Same formulas and magnitude bounds as point.ts (X <= 6, Y <= 3, Z <= 2 between
// operations). Whenever the lanes would need different control flow (one lane infinite, or an
// addition hitting the doubling / cancelling case in either lane), the operation is done lane
// by lane with the single-point code of point.ts instead: rare, and correct by construction.
import { FE } from './field';
import { JAC, jacAddAffine, jacDouble } from './point';
import { FE2, fe2Add, fe2GetLane, fe2Mul, fe2MulInt, fe2Neg, fe2NormWeak, fe2SetLane, fe2Sqr, fe2ZeroLanes } from './field2';

export const JAC2: usize = 256;
const OX: usize = 0;
const OY: usize = 80;
const OZ: usize = 160;
const OINF: usize = 240;

export function jac2SetInf(a: usize): void {
  store<u32>(a, 1, OINF);
  store<u32>(a, 1, OINF + 4);
}

/** Lane `lane` of a as a single Jacobian point (point.ts layout). */
export function jac2GetLane(r: usize, a: usize, lane: usize): void {
  fe2GetLane(r, a + OX, lane);
  fe2GetLane(r + 40, a + OY, lane);
  fe2GetLane(r + 80, a + OZ, lane);
  store<u32>(r, load<u32>(a + OINF + 4 * lane), 120);
}

function jac2SetLane(a: usize, lane: usize, p: usize): void {
  fe2SetLane(a + OX, lane, p);
  fe2SetLane(a + OY, lane, p + 40);
  fe2SetLane(a + OZ, lane, p + 80);
  store<u32>(a + OINF + 4 * lane, load<u32>(p, 120));
}

const LJ: usize = memory.data(<i32>JAC);
const LX: usize = memory.data(<i32>FE);
const LY: usize = memory.data(<i32>FE);

/** a += (x, y) lane by lane with the single-point addition. */
function addByLane(a: usize, x: usize, y: usize): void {
  for (let lane: usize = 0; lane < 2; lane++) {
    jac2GetLane(LJ, a, lane);
    fe2GetLane(LX, x, lane);
    fe2GetLane(LY, y, lane);
    jacAddAffine(LJ, LX, LY);
    jac2SetLane(a, lane, LJ);
  }
}

const D_S: usize = memory.data(<i32>FE2, 16);
const D_M: usize = memory.data(<i32>FE2, 16);
const D_T: usize = memory.data(<i32>FE2, 16);
const D_U: usize = memory.data(<i32>FE2, 16);

/** a = 2a in both lanes (jacDouble's formula and bounds). */
export function jac2Double(a: usize): void {
  if ((load<u32>(a, OINF) | load<u32>(a, OINF + 4)) != 0) {
    for (let lane: usize = 0; lane < 2; lane++) {
      jac2GetLane(LJ, a, lane);
      jacDouble(LJ);
      jac2SetLane(a, lane, LJ);
    }
    return;
  }
  const X = a + OX, Y = a + OY, Z = a + OZ;
  fe2Sqr(D_S, Y); // S, 1
  fe2Sqr(D_M, X);
  fe2MulInt(D_M, D_M, 3); // M, 3
  fe2Mul(D_T, X, D_S);
  fe2MulInt(D_T, D_T, 4); // T, 4
  fe2Mul(Z, Y, Z);
  fe2MulInt(Z, Z, 2);
  fe2NormWeak(Z); // Z', 1
  fe2Sqr(X, D_M);
  fe2MulInt(D_U, D_T, 2); // 2T, 8
  fe2Neg(D_U, D_U, 8); // 9
  fe2Add(X, X, D_U); // 10
  fe2NormWeak(X); // X', 1
  fe2Neg(D_U, X, 1); // 2
  fe2Add(D_U, D_U, D_T); // T - X', 6
  fe2Mul(Y, D_M, D_U);
  fe2Sqr(D_S, D_S);
  fe2MulInt(D_S, D_S, 8); // 8 S^2, 8
  fe2Neg(D_S, D_S, 8); // 9
  fe2Add(Y, Y, D_S); // 10
  fe2NormWeak(Y); // Y', 1
}

const A_Z2: usize = memory.data(<i32>FE2, 16);
const A_U2: usize = memory.data(<i32>FE2, 16);
const A_S2: usize = memory.data(<i32>FE2, 16);
const A_H: usize = memory.data(<i32>FE2, 16);
const A_I: usize = memory.data(<i32>FE2, 16);
const A_H2: usize = memory.data(<i32>FE2, 16);
const A_H3: usize = memory.data(<i32>FE2, 16);
const A_T: usize = memory.data(<i32>FE2, 16);

/** a += (x, y) in both lanes: jacAddAffine's formula and bounds (x magnitude 1, y <= 2). */
export function jac2AddAffine(a: usize, x: usize, y: usize): void {
  const inf = load<u32>(a, OINF) | (load<u32>(a, OINF + 4) << 1);
  if (inf == 3) {
    memory.copy(a + OX, x, FE2);
    memory.copy(a + OY, y, FE2);
    memory.fill(a + OZ, 0, FE2);
    store<u32>(a + OZ, 1);
    store<u32>(a + OZ, 1, 4);
    store<u64>(a, 0, OINF);
    return;
  }
  if (inf != 0) {
    addByLane(a, x, y);
    return;
  }
  const X = a + OX, Y = a + OY, Z = a + OZ;
  fe2Sqr(A_Z2, Z);
  fe2Mul(A_U2, x, A_Z2);
  fe2Mul(A_S2, y, A_Z2);
  fe2Mul(A_S2, A_S2, Z);
  fe2Neg(A_H, X, 6);
  fe2Add(A_H, A_H, A_U2); // H, 8
  if (fe2ZeroLanes(A_H) != 0) {
    // a lane has the same x as the added point: let the single-point code sort it out
    addByLane(a, x, y);
    return;
  }
  fe2Neg(A_I, Y, 3);
  fe2Add(A_I, A_I, A_S2); // I, 5
  fe2Sqr(A_H2, A_H);
  fe2Mul(A_H3, A_H, A_H2);
  fe2Mul(Z, Z, A_H); // Z', 1
  fe2Mul(A_T, X, A_H2); // X H^2, 1
  fe2Sqr(X, A_I);
  fe2Neg(A_H2, A_H3, 1); // -H^3, 2
  fe2Add(X, X, A_H2); // 3
  fe2Add(A_U2, A_T, A_T); // 2
  fe2Neg(A_U2, A_U2, 2); // 3
  fe2Add(X, X, A_U2); // X', 6
  fe2Neg(A_U2, X, 6); // 7
  fe2Add(A_U2, A_U2, A_T); // X H^2 - X', 8
  fe2Mul(A_U2, A_I, A_U2);
  fe2Mul(A_H3, A_H3, Y); // Y H^3, 1
  fe2Neg(A_H3, A_H3, 1); // 2
  fe2Add(Y, A_U2, A_H3); // Y', 3
}
