/**
 * Go's encoding/binary `Uvarint` / `Varint`, including their error conventions: bytesRead is 0
 * when the buffer ends inside the number, and −(bytes examined) on 64-bit overflow (value 0).
 * Seeded randomness reads only the first bytes of a digest through these, so the quirks matter.
 */
import { InvalidArgumentError } from '../errors.js';

const MAX_VARINT_LEN64 = 10;

export interface GoVarintResult {
  value: bigint;
  bytesRead: number;
}

export function goBinaryUvarint(buf: Uint8Array): GoVarintResult {
  if (!(buf instanceof Uint8Array)) throw new InvalidArgumentError('varint input must be a Uint8Array');
  let x = 0n;
  let shift = 0n;
  for (let i = 0; i < buf.length; i++) {
    if (i === MAX_VARINT_LEN64) return { value: 0n, bytesRead: -(i + 1) };
    const b = buf[i]!;
    if (b < 0x80) {
      if (i === MAX_VARINT_LEN64 - 1 && b > 1) return { value: 0n, bytesRead: -(i + 1) };
      return { value: x | (BigInt(b) << shift), bytesRead: i + 1 };
    }
    x |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  }
  return { value: 0n, bytesRead: 0 };
}

/** Zig-zag decoding on top of goBinaryUvarint: the result is a signed int64. */
export function goBinaryVarint(buf: Uint8Array): GoVarintResult {
  const { value: ux, bytesRead } = goBinaryUvarint(buf);
  let x = ux >> 1n;
  if ((ux & 1n) !== 0n) x = ~x;
  return { value: x, bytesRead };
}
