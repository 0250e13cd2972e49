/**
 * H_s, the challenge hash: SHA3-512, reduced mod n, then go-dleq's left-align quirk. go-dleq copies
 * the minimal big-endian bytes of the reduced value to the START of a 32-byte buffer, so a value
 * with k < 32 significant bytes comes out multiplied by 256^(32-k). About 1 input in 256 is hit;
 * a port that zero-pads on the left instead disagrees with Go on exactly those inputs.
 */
import { hash } from 'node:crypto';
import { bigintFromBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { CURVE_N } from './curve.js';
import { RingSignatureError } from './ring-errors.js';

const TWO_POW_248 = 1n << 248n;

/** Number of bytes in the minimal big-endian form of v > 0. */
function minimalByteLength(v: bigint): number {
  return (v.toString(16).length + 1) >> 1;
}

/** Left-aligns an already reduced value as go-dleq does; null when the result is >= n (Go panics). */
export function leftAlignReduced(reduced: bigint): bigint | null {
  // Fast path: a 32-byte value needs no shift, and this covers ~255 of 256 inputs.
  if (reduced >= TWO_POW_248 || reduced === 0n) return reduced;
  const shifted = reduced << BigInt(8 * (32 - minimalByteLength(reduced)));
  return shifted < CURVE_N ? shifted : null;
}

/**
 * H_s for internal callers that must not throw: null stands for Go's panic. FIPS-202 SHA3-512 from
 * OpenSSL: ~8x faster than a JS SHA3 on the 98-byte challenge inputs, and it runs twice per member
 * in every verification.
 */
export function hashToScalarOrNull(data: Uint8Array): bigint | null {
  return leftAlignReduced(bigintFromBytes(hash('sha3-512', data, 'buffer')) % CURVE_N);
}

/** H_s(data) exactly as go-dleq's (decred backend) HashToScalar computes it. */
export function hashToScalar(data: Uint8Array): bigint {
  if (!(data instanceof Uint8Array)) throw new InvalidArgumentError('hash-to-scalar input must be a Uint8Array');
  const v = hashToScalarOrNull(data);
  if (v === null) {
    throw new RingSignatureError('ring_hash_to_scalar_overflow', 'left-aligned hash-to-scalar value is not below n');
  }
  return v;
}
