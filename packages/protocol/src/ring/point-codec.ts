/**
 * Points as go-dleq's DecodeToPoint accepts them (decred's ParsePubKey): 33-byte compressed keys
 * with prefix 02/03, x < p, x on the curve; it also takes the 65-byte 04/06/07 forms, which never
 * occur inside a ring signature because the signature format always slices 33 bytes.
 */
import { Fp, FIELD_P, POINT_LEN, readU256, writeU256 } from './curve.js';
import { RingSignatureError } from './ring-errors.js';

export interface AffinePoint {
  x: bigint;
  y: bigint;
}

/** What Go's encoder emits for the point at infinity: 02 followed by 32 zero bytes. */
export const RING_IDENTITY_ENCODING_HEX = '02' + '00'.repeat(32);

function curveRhs(x: bigint): bigint {
  return Fp.add(Fp.mul(Fp.sqr(x), x), 7n);
}

/** y with the requested parity such that y^2 = x^3 + 7, or null when x is not on the curve. */
export function liftX(x: bigint, odd: boolean): bigint | null {
  let y: bigint;
  try {
    // noble's sqrt throws on a non-residue; that is the "not on the curve" answer here
    y = Fp.sqrt(curveRhs(x));
  } catch {
    return null;
  }
  if (((y & 1n) === 1n) !== odd) y = Fp.neg(y);
  return y;
}

/**
 * Parses an encoded point by decred's rules; returns the affine point or Go's reason for refusing.
 * The reasons mirror Go's texts so logs can be compared with a Go relayer's.
 */
export function parseRingPoint(bytes: Uint8Array): AffinePoint | string {
  if (bytes.length === POINT_LEN) {
    const prefix = bytes[0]!;
    if (prefix !== 0x02 && prefix !== 0x03) return `invalid public key: unsupported format: ${prefix.toString(16)}`;
    const x = readU256(bytes, 1);
    if (x >= FIELD_P) return 'invalid public key: x >= field prime';
    const y = liftX(x, prefix === 0x03);
    if (y === null) return 'invalid public key: x coordinate is not on the secp256k1 curve';
    return { x, y };
  }
  if (bytes.length === 65) {
    const prefix = bytes[0]!;
    if (prefix !== 0x04 && prefix !== 0x06 && prefix !== 0x07) {
      return `invalid public key: unsupported format: ${prefix.toString(16)}`;
    }
    const x = readU256(bytes, 1);
    const y = readU256(bytes, 33);
    if (x >= FIELD_P) return 'invalid public key: x >= field prime';
    if (y >= FIELD_P) return 'invalid public key: y >= field prime';
    if (prefix !== 0x04 && ((y & 1n) === 1n) !== (prefix === 0x07)) {
      return 'invalid public key: y oddness does not match the format';
    }
    if (Fp.sqr(y) !== curveRhs(x)) return 'invalid public key: point is not on the secp256k1 curve';
    return { x, y };
  }
  return `malformed public key: invalid length: ${bytes.length}`;
}

/** SEC1 compressed encoding of an affine point. */
export function compressAffine(p: AffinePoint): Uint8Array {
  const out = new Uint8Array(POINT_LEN);
  out[0] = (p.y & 1n) === 1n ? 0x03 : 0x02;
  writeU256(out, 1, p.x);
  return out;
}

/**
 * go-dleq's DecodeToPoint followed by Encode: the canonical 33-byte form of any encoding Go
 * accepts. Throws a RingSignatureError with Go's reason otherwise.
 */
export function decodeRingPoint(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) throw new RingSignatureError('ring_invalid_point', 'point must be a Uint8Array');
  const parsed = parseRingPoint(bytes);
  if (typeof parsed === 'string') throw new RingSignatureError('ring_invalid_point', parsed);
  return compressAffine(parsed);
}
