/** Byte and time helpers in the exact spellings CometBFT puts on the wire. */
import { createHash } from 'node:crypto';

export function sha256(...parts: Uint8Array[]): Uint8Array {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return new Uint8Array(h.digest());
}

/** CometBFT's HexBytes print upper-case; cosmjs accepts either, the Go miner compares strings. */
export function hexUpper(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex').toUpperCase();
}

export function fromHex(hex: string): Uint8Array {
  const clean = hex.startsWith('0x') || hex.startsWith('0X') ? hex.slice(2) : hex;
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) throw new TypeError(`not hex: ${hex}`);
  return new Uint8Array(Buffer.from(clean, 'hex'));
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

export function fromBase64(b64: string): Uint8Array {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(b64)) throw new TypeError('not base64');
  return new Uint8Array(Buffer.from(b64, 'base64'));
}

export function utf8(s: string): Uint8Array {
  return new Uint8Array(Buffer.from(s, 'utf8'));
}

/** Big-endian 8-byte encoding, used to make integers part of a hashed encoding without ambiguity. */
export function u64be(n: number | bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, BigInt(n));
  return out;
}

/**
 * Go's time.RFC3339Nano: fraction trimmed of trailing zeros and left out when zero. Our clock has
 * millisecond resolution, so at most three digits ever appear.
 */
export function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString(); // 2025-01-01T00:00:01.000Z
  const [whole, frac = '000Z'] = iso.split('.');
  const digits = frac.slice(0, -1).replace(/0+$/, '');
  return digits ? `${whole}.${digits}Z` : `${whole}Z`;
}

export function txHash(tx: Uint8Array): string {
  return hexUpper(sha256(tx));
}
