/** Byte helpers shared by every module of the package. Hex is lowercase, without `0x`. */
import { bytesToHex, hexToBytes as nobleHexToBytes, concatBytes as nobleConcat, utf8ToBytes } from '@noble/hashes/utils.js';

export { utf8ToBytes };

export function toHex(bytes: Uint8Array): string {
  return bytesToHex(bytes);
}

export function fromHex(hex: string): Uint8Array {
  return nobleHexToBytes(hex);
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  return nobleConcat(...parts);
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Lexicographic comparison: negative when a < b, as Go's bytes.Compare. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

export function bigintFromBytes(b: Uint8Array): bigint {
  return b.length === 0 ? 0n : BigInt('0x' + bytesToHex(b));
}

/** Big-endian, left zero-padded to `size` bytes; throws if the value does not fit. */
export function bigintToBytes(n: bigint, size: number): Uint8Array {
  if (n < 0n) throw new RangeError('negative value');
  const hex = n.toString(16);
  if (hex.length > size * 2) throw new RangeError(`value does not fit in ${size} bytes`);
  return nobleHexToBytes(hex.padStart(size * 2, '0'));
}

export function u64le(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n), true);
  return out;
}

export function u64be(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt.asUintN(64, n));
  return out;
}

export function readU64be(b: Uint8Array, offset: number): bigint {
  return new DataView(b.buffer, b.byteOffset + offset, 8).getBigUint64(0);
}
