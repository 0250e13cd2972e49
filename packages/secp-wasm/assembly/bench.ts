// Micro-benchmark entry, not part of the package: loops over single field and point operations
// so that their cost can be timed from JS (test/perf/field.mjs). Built by `node build.mjs --bench`
// into pkg/secp_wasm_bench.wasm. The values are arbitrary field elements, not curve points: the
// formulas do not care, and no exceptional case is ever hit.
import { FE, feInv, feMul, feSetU32, feSqr } from './field';
import { feInvVar } from './modinv';
import { JAC, jacAddAffine, jacDouble, jacSetAffine } from './point';
import { FE2, fe2Mul, fe2SetLane, fe2Sqr, field2Init } from './field2';
import { JAC2, jac2AddAffine, jac2Double } from './point2';

const A: usize = memory.data(<i32>FE);
const B: usize = memory.data(<i32>FE);
const P: usize = memory.data(<i32>JAC);
const A2: usize = memory.data(<i32>FE2, 16);
const B2: usize = memory.data(<i32>FE2, 16);
const P2: usize = memory.data(<i32>JAC2, 16);

export function setup(): void {
  field2Init();
  feSetU32(A, 123456789);
  feSetU32(B, 987654321);
  fe2SetLane(A2, 0, A);
  fe2SetLane(A2, 1, B);
  fe2SetLane(B2, 0, B);
  fe2SetLane(B2, 1, A);
  jacSetAffine(P, A, B);
  jacDouble(P);
  store<u64>(P2, 0x100000001, 240); // both lanes infinite: the first addition sets them
  jac2AddAffine(P2, A2, B2);
  jac2Double(P2);
}

export function feMulLoop(n: i32): void {
  for (let i = 0; i < n; i++) feMul(A, A, B);
}
export function feSqrLoop(n: i32): void {
  for (let i = 0; i < n; i++) feSqr(A, A);
}
export function feInvFermatLoop(n: i32): void {
  for (let i = 0; i < n; i++) feInv(A, A);
}
export function feInvSafegcdLoop(n: i32): void {
  for (let i = 0; i < n; i++) feInvVar(A, A);
}
export function jacAddAffineLoop(n: i32): void {
  for (let i = 0; i < n; i++) jacAddAffine(P, A, B);
}
export function jacDoubleLoop(n: i32): void {
  for (let i = 0; i < n; i++) jacDouble(P);
}
export function fe2MulLoop(n: i32): void {
  for (let i = 0; i < n; i++) fe2Mul(A2, A2, B2);
}
export function fe2SqrLoop(n: i32): void {
  for (let i = 0; i < n; i++) fe2Sqr(A2, A2);
}
export function jac2AddAffineLoop(n: i32): void {
  for (let i = 0; i < n; i++) jac2AddAffine(P2, A2, B2);
}
export function jac2DoubleLoop(n: i32): void {
  for (let i = 0; i < n; i++) jac2Double(P2);
}
