/**
 * The SMST digest rules needed to check proofs (spec §3): every digest is
 * hash(32) ‖ sum(8) ‖ count(8), and the sum/count trailer of an inner node is the wrapped sum of
 * its children's trailers.
 */
import { sha256 } from '../hash.js';
import { BadProofError } from '../errors.js';
import { concatBytes, getBit, PATH_SIZE, PLACEHOLDER, TRAILER_SIZE } from '../bytes.js';

const LEAF_PREFIX = 0x00;
const INNER_PREFIX = 0x01;
const EXT_PREFIX = 0x02;

/** H(pre) ‖ last 16 bytes of pre; the caller guarantees pre is at least 16 bytes long. */
function digestOfPreimage(pre: Uint8Array, hash = sha256): Uint8Array {
  const out = new Uint8Array(48);
  out.set(hash(pre));
  out.set(pre.subarray(pre.length - TRAILER_SIZE), 32);
  return out;
}

/** Digest of the leaf (path, V), V = value ‖ sum ‖ count (≥ 16 bytes). */
export function leafDigest(path: Uint8Array, payload: Uint8Array, hash = sha256): Uint8Array {
  return digestOfPreimage(concatBytes(Uint8Array.of(LEAF_PREFIX), path, payload), hash);
}

/** out[at..at+8] = a[ia..ia+8] + b[ib..ib+8] modulo 2^64, big-endian, in 32-bit halves. */
function addU64(a: Uint8Array, ia: number, b: Uint8Array, ib: number, out: Uint8Array, at: number): void {
  const u32 = (x: Uint8Array, i: number) => ((x[i]! << 24) | (x[i + 1]! << 16) | (x[i + 2]! << 8) | x[i + 3]!) >>> 0;
  const lo = u32(a, ia + 4) + u32(b, ib + 4);
  const hi = (u32(a, ia) + u32(b, ib) + (lo > 0xffffffff ? 1 : 0)) >>> 0;
  const l = lo >>> 0;
  out[at] = hi >>> 24; out[at + 1] = hi >>> 16; out[at + 2] = hi >>> 8; out[at + 3] = hi;
  out[at + 4] = l >>> 24; out[at + 5] = l >>> 16; out[at + 6] = l >>> 8; out[at + 7] = l;
}

/**
 * Inner digest over two child digests. Children are normally 48 bytes, but an extension's child
 * taken from untrusted SiblingData may have another length: the sums are read from each child's
 * last 16 bytes, as the Go code does, and a child too short to carry them is rejected (Go panics).
 */
export function innerDigest(left: Uint8Array, right: Uint8Array, hash = sha256): Uint8Array {
  const nl = left.length;
  const nr = right.length;
  if (nl < TRAILER_SIZE || nr < TRAILER_SIZE) throw new BadProofError('child digest shorter than its sum/count trailer');
  const pre = new Uint8Array(1 + nl + nr + TRAILER_SIZE);
  pre[0] = INNER_PREFIX;
  pre.set(left, 1);
  pre.set(right, 1 + nl);
  const at = 1 + nl + nr;
  addU64(left, nl - 16, right, nr - 16, pre, at);
  addU64(left, nl - 8, right, nr - 8, pre, at + 8);
  return digestOfPreimage(pre, hash);
}

/**
 * Digest of a serialised node as carried in SiblingData (spec §9.1). Extensions are hashed as the
 * chain of one-child inner nodes they stand for, so their own trailer bytes are ignored. Inputs on
 * which Go would panic (empty, too short) throw BadProofError.
 */
export function hashSerialization(data: Uint8Array): Uint8Array {
  if (data.length === 0) throw new BadProofError('empty sibling data');
  if (data[0] === EXT_PREFIX) {
    const childStart = 3 + PATH_SIZE;
    if (data.length < childStart + TRAILER_SIZE) {
      throw new BadProofError(`extension sibling data too short: ${data.length} bytes`);
    }
    const start = data[1]!;
    const end = data[2]!;
    const path = data.subarray(3, childStart);
    let d: Uint8Array = data.subarray(childStart, data.length - TRAILER_SIZE);
    for (let depth = end - 1; depth >= start; depth--) {
      d = getBit(path, depth) === 0 ? innerDigest(d, PLACEHOLDER) : innerDigest(PLACEHOLDER, d);
    }
    return new Uint8Array(d);
  }
  if (data.length < TRAILER_SIZE) throw new BadProofError(`sibling data too short: ${data.length} bytes`);
  return digestOfPreimage(data);
}
