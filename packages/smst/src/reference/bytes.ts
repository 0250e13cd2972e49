/** Small byte helpers shared by the reference core. Nothing here is performance-critical. */

export const PATH_BYTES = 32;
export const DIGEST_BYTES = 48;
/** Paths are 256 bits, so no node can sit deeper than this. */
export const MAX_DEPTH = 256;

/** The digest of an empty subtree: zero hash, zero sum, zero count. */
export const ZERO48: Uint8Array = new Uint8Array(DIGEST_BYTES);

/** Bit `i` of `bytes`, MSB of byte 0 first (bit 0 picks the branch under the root). */
export function bitAt(bytes: Uint8Array, i: number): 0 | 1 {
  return ((bytes[i >> 3]! >> (7 - (i & 7))) & 1) as 0 | 1;
}

export function flipBit(bytes: Uint8Array, i: number): void {
  bytes[i >> 3]! ^= 1 << (7 - (i & 7));
}

/** First bit index in [from, 256) where `a` and `b` differ, or 256 when they agree there. */
export function firstDifferingBit(a: Uint8Array, b: Uint8Array, from: number): number {
  for (let i = from; i < MAX_DEPTH; i++) {
    if (bitAt(a, i) !== bitAt(b, i)) return i;
  }
  return MAX_DEPTH;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function isZero(bytes: Uint8Array): boolean {
  for (let i = 0; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

const U64_MASK = (1n << 64n) - 1n;

export function readU64(bytes: Uint8Array, offset: number): bigint {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(offset, false);
}

/** 8-byte big-endian encoding; the value is reduced modulo 2^64 first because sums wrap. */
export function u64be(value: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, value & U64_MASK, false);
  return out;
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
