/**
 * The ring signature wire format (ring-go serde):
 *   BE32(n) ‖ c0 (32) ‖ I (33) ‖ n × ( s_i (32) ‖ P_i (33) )
 * The reader mirrors ring-go's Deserialize step for step, so the verdict on odd input matches Go:
 * the only size check is len >= 33·n (the whole input, header included), fields are then read in
 * order and a short slot fails that field's decoding, scalars are reduced mod n silently, and
 * bytes after the last pair are ignored.
 */
import { InvalidArgumentError } from '../errors.js';
import { CURVE_N, POINT_LEN, SCALAR_LEN, readU256, writeU256 } from './curve.js';
import { parseRingPoint } from './point-codec.js';
import { RingSignatureError } from './ring-errors.js';

/** A decoded ring signature. Scalars are already reduced mod n, as Go holds them. */
export interface RingSignature {
  /** c_0, the challenge that closes the ring. */
  c0: bigint;
  /** The 33-byte key image I (a valid curve point). */
  keyImage: Uint8Array;
  /** s_0 … s_{n-1}. */
  responses: bigint[];
  /** P_0 … P_{n-1}, 33-byte compressed keys in signature order. */
  ring: Uint8Array[];
}

export interface DecodedRingSignature extends RingSignature {
  /** Bytes the decoder consumed; anything after that was ignored, as Go does. */
  consumedBytes: number;
}

/** Turns a 33-byte slot into a prepared point, or returns Go's reason for refusing it. */
export type RingPointReader<T> = (slot: Uint8Array) => T | string;

export interface RingSignatureLayout<T> {
  c0: bigint;
  keyImage: T;
  responses: bigint[];
  ring: T[];
  consumedBytes: number;
}

/**
 * Go's Deserialize with a pluggable point decoder (so a verifier can reuse cached points).
 * Returns the first error in Go's order instead of throwing.
 */
export function readRingSignature<T>(bytes: Uint8Array, readPoint: RingPointReader<T>): RingSignatureLayout<T> | RingSignatureError {
  if (bytes.length < 4) {
    return new RingSignatureError('ring_missing_size', `ring signature has ${bytes.length} bytes, fewer than the 4-byte size header`);
  }
  const size = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0);
  if (bytes.length < size * POINT_LEN) {
    return new RingSignatureError('ring_too_short', `ring signature of ${bytes.length} bytes is too short for ${size} members`);
  }
  if (size === 0) {
    // Go decodes this and then indexes an empty slice in Verify; refusing here gives the same verdict.
    return new RingSignatureError('ring_empty', 'ring signature declares an empty ring');
  }
  let offset = 4;
  const scalar = (field: string): bigint | RingSignatureError => {
    if (bytes.length - offset < SCALAR_LEN) {
      return new RingSignatureError('ring_invalid_scalar', `${field}: invalid scalar length`);
    }
    const v = readU256(bytes, offset) % CURVE_N;
    offset += SCALAR_LEN;
    return v;
  };
  const point = (field: string): T | RingSignatureError => {
    const slot = bytes.subarray(offset, Math.min(offset + POINT_LEN, bytes.length));
    offset += slot.length;
    const p = slot.length === POINT_LEN ? readPoint(slot) : `malformed public key: invalid length: ${slot.length}`;
    return typeof p === 'string' ? new RingSignatureError('ring_invalid_point', `${field}: ${p}`) : p;
  };

  const c0 = scalar('c0');
  if (c0 instanceof RingSignatureError) return c0;
  const keyImage = point('key image');
  if (keyImage instanceof RingSignatureError) return keyImage;
  const responses: bigint[] = [];
  const ring: T[] = [];
  for (let i = 0; i < size; i++) {
    const s = scalar(`s[${i}]`);
    if (s instanceof RingSignatureError) return s;
    responses.push(s);
    const p = point(`P[${i}]`);
    if (p instanceof RingSignatureError) return p;
    ring.push(p);
  }
  return { c0, keyImage, responses, ring, consumedBytes: offset };
}

/** Validates a 33-byte slot by go-dleq's rules and keeps a copy of its bytes. */
function readPointBytes(slot: Uint8Array): Uint8Array | string {
  const parsed = parseRingPoint(slot);
  return typeof parsed === 'string' ? parsed : slot.slice();
}

/**
 * Decodes a serialized ring signature exactly as ring-go would, returning the parts or the typed
 * error Go's decoder (or Verify's panic on n = 0, or a short header) corresponds to.
 */
export function decodeRingSignature(bytes: Uint8Array): DecodedRingSignature | RingSignatureError {
  if (!(bytes instanceof Uint8Array)) return new RingSignatureError('ring_missing_size', 'ring signature must be a Uint8Array');
  return readRingSignature(bytes, readPointBytes);
}

/** Serializes a ring signature the way ring-go's Serialize does (69 + 65·n bytes). */
export function encodeRingSignature(sig: RingSignature): Uint8Array {
  const n = sig.ring.length;
  if (n === 0 || sig.responses.length !== n) {
    throw new InvalidArgumentError('a ring signature needs one response per ring member and at least one member');
  }
  if (n > 0xffffffff) throw new InvalidArgumentError('ring too large for the 32-bit size header');
  const out = new Uint8Array(4 + SCALAR_LEN + POINT_LEN + n * (SCALAR_LEN + POINT_LEN));
  new DataView(out.buffer).setUint32(0, n);
  let offset = 4;
  const putScalar = (v: bigint, field: string) => {
    if (typeof v !== 'bigint' || v < 0n || v >= CURVE_N) throw new InvalidArgumentError(`${field} must be a scalar in [0, n)`);
    writeU256(out, offset, v);
    offset += SCALAR_LEN;
  };
  const putPoint = (p: Uint8Array, field: string) => {
    if (!(p instanceof Uint8Array) || p.length !== POINT_LEN || (p[0] !== 0x02 && p[0] !== 0x03)) {
      throw new InvalidArgumentError(`${field} must be a 33-byte compressed point`);
    }
    out.set(p, offset);
    offset += POINT_LEN;
  };
  putScalar(sig.c0, 'c0');
  putPoint(sig.keyImage, 'key image');
  for (let i = 0; i < n; i++) {
    putScalar(sig.responses[i]!, `s[${i}]`);
    putPoint(sig.ring[i]!, `P[${i}]`);
  }
  return out;
}
