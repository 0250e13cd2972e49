/**
 * H_p, ring-go's hash-to-curve for secp256k1: try-and-increment on SHA3-256 digests, taking the
 * even-y point. Not RFC 9380, so noble's own hashToCurve would give different points.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { InvalidArgumentError } from '../errors.js';
import { FIELD_P, POINT_LEN, readU256 } from './curve.js';
import { compressAffine, liftX, type AffinePoint } from './point-codec.js';
import { RingSignatureError } from './ring-errors.js';

/** ring-go's cap on rehashing; a miss has probability ~2^-128. */
const MAX_ROUNDS = 128;

export interface HashToCurveTrace {
  /** The 33-byte compressed result (prefix always 02: y is even). */
  point: Uint8Array;
  /** How many digests were tried; 1 when the first one already gave a point. */
  iterations: number;
  /** Every SHA3-256 digest tried, in order; the last one is the x of the result (when x < p). */
  digests: Uint8Array[];
}

/** Internal form: the affine point, or null when 128 rounds found nothing (Go returns nil). */
export function hashToCurveAffine(pub33: Uint8Array, digests?: Uint8Array[]): AffinePoint | null {
  let h = sha3_256(pub33);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    digests?.push(h);
    // decred reduces the 32 bytes mod p when it loads them as a field element
    const x = readU256(h) % FIELD_P;
    const y = liftX(x, false);
    if (y !== null) return { x, y };
    // the previous digest is rehashed, not the key
    h = sha3_256(h);
  }
  return null;
}

function checkInput(pub33: Uint8Array): void {
  // The hash is defined on the encoding Go re-creates from a decoded key, which is always 33 bytes.
  if (!(pub33 instanceof Uint8Array) || pub33.length !== POINT_LEN) {
    throw new InvalidArgumentError('hash-to-curve input must be a 33-byte compressed public key');
  }
}

/** H_p(P) for a 33-byte compressed key, as ring-go computes it. */
export function hashToCurve(pub33: Uint8Array): Uint8Array {
  checkInput(pub33);
  const p = hashToCurveAffine(pub33);
  if (p === null) throw new RingSignatureError('ring_hash_to_curve_failed', 'hash-to-curve found no point in 128 rounds');
  return compressAffine(p);
}

/** H_p(P) with the digests it went through, for comparing against Go traces. */
export function hashToCurveTrace(pub33: Uint8Array): HashToCurveTrace {
  checkInput(pub33);
  const digests: Uint8Array[] = [];
  const p = hashToCurveAffine(pub33, digests);
  if (p === null) throw new RingSignatureError('ring_hash_to_curve_failed', 'hash-to-curve found no point in 128 rounds');
  return { point: compressAffine(p), iterations: digests.length, digests };
}
