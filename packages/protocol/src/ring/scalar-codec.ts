/**
 * Scalars on the wire: 32 bytes, big-endian, zero-padded on the left. go-dleq's decoder only checks
 * the length and silently reduces mod n, so a value >= n is accepted and becomes a different scalar.
 */
import { InvalidArgumentError } from '../errors.js';
import { CURVE_N, SCALAR_LEN, readU256, writeU256 } from './curve.js';
import { RingSignatureError } from './ring-errors.js';

/** Canonical encoding of a scalar 0 <= v < n. */
export function encodeRingScalar(v: bigint): Uint8Array {
  if (typeof v !== 'bigint' || v < 0n || v >= CURVE_N) {
    throw new InvalidArgumentError('ring scalar must be an integer in [0, n)');
  }
  const out = new Uint8Array(SCALAR_LEN);
  writeU256(out, 0, v);
  return out;
}

/** go-dleq's DecodeToScalar: exactly 32 bytes, reduced mod n without complaint. */
export function decodeRingScalar(bytes: Uint8Array): bigint {
  if (!(bytes instanceof Uint8Array) || bytes.length !== SCALAR_LEN) {
    throw new RingSignatureError('ring_invalid_scalar', 'invalid scalar length');
  }
  return readU256(bytes) % CURVE_N;
}
