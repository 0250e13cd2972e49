/**
 * poktroll's pkg/crypto/rand: deterministic randomness from byte seeds. The parts are
 * concatenated and hashed with SHA-256, the digest's leading bytes are read as a Go varint, and
 * that int64 seeds a fresh Go math/rand source.
 */
import { sha256 } from '../sha256.js';
import { concatBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { GoRandSource } from './go-rand-source.js';
import { goBinaryVarint } from './go-varint.js';

export interface SeededRandomSeed {
  /** sha256 of the concatenated seed parts. */
  digest: Uint8Array;
  /** The int64 fed to math/rand (0 when the varint overflowed). */
  seed: bigint;
  /** Go's varint byte count for the digest: 1..10, or negative on overflow. */
  varintBytesRead: number;
}

export function seededRandomSeed(...seedParts: Uint8Array[]): SeededRandomSeed {
  for (const part of seedParts)
    if (!(part instanceof Uint8Array)) throw new InvalidArgumentError('seed parts must be Uint8Arrays');
  const digest = sha256(concatBytes(...seedParts));
  // The varint error is ignored on purpose, as in Go: an overflow simply yields seed 0.
  const { value, bytesRead } = goBinaryVarint(digest);
  return { digest, seed: value, varintBytesRead: bytesRead };
}

/** Go's `SeededFloat64(seedParts...)`: the first Float64 of a source seeded from the parts. */
export function seededFloat64(...seedParts: Uint8Array[]): number {
  return new GoRandSource(seededRandomSeed(...seedParts).seed).float64();
}

/** Go's `SeededInt63(seedParts...)`: the first Int63 of a source seeded from the parts. */
export function seededInt63(...seedParts: Uint8Array[]): bigint {
  return new GoRandSource(seededRandomSeed(...seedParts).seed).int63();
}
