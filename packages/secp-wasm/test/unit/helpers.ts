import { randomBytes } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';

export const { Point } = secp256k1;
export type NoblePoint = InstanceType<typeof Point>;
export const N: bigint = Point.Fn.ORDER;
export const P_FIELD = 2n ** 256n - 2n ** 32n - 977n;
export const INFINITY_HEX = '02' + '00'.repeat(32);

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

/** 32-byte big-endian encoding of 0 <= v < 2^256. */
export function be32(v: bigint): Uint8Array {
  if (v < 0n || v >= 2n ** 256n) throw new RangeError('be32 out of range');
  return unhex(v.toString(16).padStart(64, '0'));
}

export const randScalar = (): bigint => BigInt('0x' + hex(randomBytes(32))) % N;

/** k·P for any integer k (0 and multiples of n give infinity). */
export function mul(P: NoblePoint, k: bigint): NoblePoint {
  const r = ((k % N) + N) % N;
  return r === 0n ? Point.ZERO : P.multiply(r);
}

/** Compressed encoding with infinity as 02‖00…00, as the Go library hashes it. */
export const enc = (P: NoblePoint): string => (P.is0() ? INFINITY_HEX : hex(P.toBytes(true)));

/** A point with a known discrete log k (k != 0 mod n), so references cost one G multiply. */
export function dlogPoint(k: bigint): { k: bigint; bytes: Uint8Array } {
  return { k, bytes: mul(Point.BASE, k).toBytes(true) };
}

/** Scalars that stress the recoding and the accumulator: edges of [0, n) and a few beyond. */
export const SPECIAL_SCALARS: bigint[] = [
  0n, 1n, 2n, 3n, 7n, 255n, 256n, 2n ** 32n, 2n ** 128n - 1n, 2n ** 128n, 2n ** 255n,
  N - 1n, N - 2n, (N - 1n) / 2n, (N + 1n) / 2n, N - 2n ** 128n,
];
