/**
 * The secp256k1 handles the ring code shares. Kept private to the ring area: other areas have
 * their own key helpers, and the ring only needs the raw group/field arithmetic.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import type { WeierstrassPoint } from '@noble/curves/abstract/weierstrass.js';

export type CurvePoint = WeierstrassPoint<bigint>;

export const Point = secp256k1.Point;
export const Fp = Point.Fp;
/** Group order n. */
export const CURVE_N: bigint = Point.Fn.ORDER;
/** Field prime p. */
export const FIELD_P: bigint = Fp.ORDER;

/** Bytes of a compressed point and of a scalar on the wire. */
export const POINT_LEN = 33;
export const SCALAR_LEN = 32;

/** Non-negative remainder: JS `%` keeps the sign of the dividend. */
export function modN(v: bigint): bigint {
  const r = v % CURVE_N;
  return r < 0n ? r + CURVE_N : r;
}

/**
 * Writes v (0 <= v < 2^256) as 32 big-endian bytes at `offset`. Four 64-bit stores beat a hex
 * round trip, and this runs several times per verification step.
 */
export function writeU256(out: Uint8Array, offset: number, v: bigint): void {
  const view = new DataView(out.buffer, out.byteOffset + offset, 32);
  view.setBigUint64(0, BigInt.asUintN(64, v >> 192n));
  view.setBigUint64(8, BigInt.asUintN(64, v >> 128n));
  view.setBigUint64(16, BigInt.asUintN(64, v >> 64n));
  view.setBigUint64(24, BigInt.asUintN(64, v));
}

/** Reads 32 big-endian bytes at `offset` as an unsigned integer. */
export function readU256(b: Uint8Array, offset = 0): bigint {
  const view = new DataView(b.buffer, b.byteOffset + offset, 32);
  return (
    (view.getBigUint64(0) << 192n) | (view.getBigUint64(8) << 128n) | (view.getBigUint64(16) << 64n) | view.getBigUint64(24)
  );
}
