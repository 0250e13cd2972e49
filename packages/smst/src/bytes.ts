/** Byte-level helpers of the package. Bits are numbered MSB-first from byte 0. */

export const PATH_SIZE = 32;
export const DIGEST_SIZE = 48;
export const MAX_DEPTH = PATH_SIZE * 8;
/** sum (8) + count (8) trailer carried by every digest and leaf payload. */
export const TRAILER_SIZE = 16;
export const PLACEHOLDER: Uint8Array = new Uint8Array(DIGEST_SIZE);

const U64_MASK = (1n << 64n) - 1n;

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

export function u64be(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n & U64_MASK);
  return out;
}

/** Reads 8 bytes big-endian at `offset`; the caller guarantees they exist. */
export function readU64be(b: Uint8Array, offset: number): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0);
}


/**
 * Bit `i` of `p`. Go indexes the byte directly, so an index past the end is a panic there; we
 * surface it as an exception that the callers turn into "invalid".
 */
export function getBit(p: Uint8Array, i: number): number {
  const byte = p[i >> 3];
  if (byte === undefined) throw new RangeError(`bit ${i} outside a ${p.length}-byte path`);
  return (byte >> (7 - (i & 7))) & 1;
}

export function flipBit(p: Uint8Array, i: number): void {
  if (i < 0 || i >> 3 >= p.length) throw new RangeError(`bit ${i} outside a ${p.length}-byte path`);
  p[i >> 3] ^= 1 << (7 - (i & 7));
}

/** Minimal big-endian bytes of a non-negative integer; 0 → [0x00]. */
export function minBigEndian(n: number): Uint8Array {
  if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`cannot encode ${n} as minimal big-endian bytes`);
  const out: number[] = [];
  let v = n;
  do {
    out.unshift(v % 256);
    v = Math.floor(v / 256);
  } while (v > 0);
  return Uint8Array.from(out);
}

/**
 * Big-endian read of a short byte string (empty → 0). Only used after the ≤ 2 byte limit of the
 * compact format has been checked, so the result is always a small non-negative number.
 */
export function readBigEndian(b: Uint8Array): number {
  let v = 0;
  for (const x of b) v = v * 256 + x;
  return v;
}

/** Bit `i` without a bounds check, for paths known to be 32 bytes. */
export function bitAt(bytes: Uint8Array, i: number): 0 | 1 {
  return ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) as 0 | 1;
}

/** First bit index in [from, 256) where `a` and `b` differ, or 256 when they agree there. */
export function firstDifferingBit(a: Uint8Array, b: Uint8Array, from: number): number {
  for (let i = from; i < MAX_DEPTH; i++) {
    if (bitAt(a, i) !== bitAt(b, i)) return i;
  }
  return MAX_DEPTH;
}

export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** Bytes as a compact string Map key (one char per byte). */
export function binaryKey(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
}
