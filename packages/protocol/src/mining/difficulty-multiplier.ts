/**
 * Relay-mining difficulty as the chain prices it: the exact rational (2^256 − 1) / int(target),
 * the target hash read as a big-endian integer of whatever length it has (a 31-byte target is
 * not padded to 32 bytes, it is simply a smaller integer).
 */
import { bigintFromBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';

/** The easiest target (32 × 0xff) as an integer: what every "base" difficulty divides. */
export const BASE_RELAY_DIFFICULTY_TARGET_INT: bigint = (1n << 256n) - 1n;

/** A non-negative fraction num/den in lowest terms (den ≥ 1). */
export interface ExactRatio {
  num: bigint;
  den: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

/** int(target) as the chain computes it; rejects targets that are not bytes or equal zero. */
export function relayDifficultyTargetInt(targetHash: Uint8Array): bigint {
  if (!(targetHash instanceof Uint8Array)) throw new InvalidArgumentError('target hash must be a Uint8Array');
  const target = bigintFromBytes(targetHash);
  // Go builds the ratio with big.Rat.SetFrac, which panics on a zero denominator.
  if (target === 0n) throw new InvalidArgumentError('target hash is zero (or empty): the difficulty multiplier is undefined');
  return target;
}

/** (2^256 − 1) / int(target), reduced. */
export function relayDifficultyMultiplier(targetHash: Uint8Array): ExactRatio {
  const den = relayDifficultyTargetInt(targetHash);
  const g = gcd(BASE_RELAY_DIFFICULTY_TARGET_INT, den);
  return { num: BASE_RELAY_DIFFICULTY_TARGET_INT / g, den: den / g };
}
