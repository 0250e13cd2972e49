/**
 * The SMST digest rules needed to check proofs (spec §3): every digest is
 * hash(32) ‖ sum(8) ‖ count(8), and the sum/count trailer of an inner node is the wrapped sum of
 * its children's trailers.
 */
import { sha256 } from '../hash.js';
import { BadProofError } from '../errors.js';
import { concatBytes, getBit, PATH_SIZE, PLACEHOLDER, readU64be, TRAILER_SIZE, u64be } from './bytes.js';

const LEAF_PREFIX = 0x00;
const INNER_PREFIX = 0x01;
const EXT_PREFIX = 0x02;

/** H(pre) ‖ last 16 bytes of pre; the caller guarantees pre is at least 16 bytes long. */
function digestOfPreimage(pre: Uint8Array): Uint8Array {
  return concatBytes(sha256(pre), pre.subarray(pre.length - TRAILER_SIZE));
}

/** Digest of the leaf (path, V), V = value ‖ sum ‖ count (≥ 16 bytes). */
export function leafDigest(path: Uint8Array, payload: Uint8Array): Uint8Array {
  return digestOfPreimage(concatBytes(Uint8Array.of(LEAF_PREFIX), path, payload));
}

/**
 * Inner digest over two child digests. Children are normally 48 bytes, but an extension's child
 * taken from untrusted SiblingData may have another length: the sums are read from each child's
 * last 16 bytes, as the Go code does, and a child too short to carry them is rejected (Go panics).
 */
export function innerDigest(left: Uint8Array, right: Uint8Array): Uint8Array {
  if (left.length < TRAILER_SIZE || right.length < TRAILER_SIZE) {
    throw new BadProofError('child digest shorter than its sum/count trailer');
  }
  const sum = readU64be(left, left.length - 16) + readU64be(right, right.length - 16);
  const count = readU64be(left, left.length - 8) + readU64be(right, right.length - 8);
  return digestOfPreimage(concatBytes(Uint8Array.of(INNER_PREFIX), left, right, u64be(sum), u64be(count)));
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
    return Uint8Array.from(d);
  }
  if (data.length < TRAILER_SIZE) throw new BadProofError(`sibling data too short: ${data.length} bytes`);
  return digestOfPreimage(data);
}
