/**
 * Which staked suppliers serve a session when there are more candidates than
 * num_suppliers_per_session: each candidate gets the weight
 * int64(BE(sha3_256(sessionIdPreimage ‖ "." ‖ operatorAddress)[0..8])) (signed!), candidates are
 * ordered by ascending weight, ties by address bytes, and the first k are kept.
 */
import { sha3_256 } from '@noble/hashes/sha3.js';
import { compareBytes, concatBytes, readU64be, utf8ToBytes } from '../bytes.js';
import { InvalidArgumentError } from '../errors.js';
import { assertBytes, assertString } from './integer-checks.js';

export type SupplierCandidate = string | { readonly operatorAddress: string };

const DELIMITER = utf8ToBytes('.');

function addressOf(candidate: SupplierCandidate): string {
  const address = typeof candidate === 'string' ? candidate : candidate?.operatorAddress;
  assertString('supplier operatorAddress', address);
  return address;
}

function toCount(value: bigint | number): bigint {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'bigint' && value >= 0n) return value;
  throw new InvalidArgumentError('numSuppliersPerSession must be a non-negative integer');
}

/** The byte string hashed into a supplier's weight. */
export function supplierWeightSeed(sessionIdPreimage: Uint8Array, operatorAddress: string): Uint8Array {
  assertBytes('sessionIdPreimage', sessionIdPreimage);
  assertString('operatorAddress', operatorAddress);
  return concatBytes(sessionIdPreimage, DELIMITER, utf8ToBytes(operatorAddress));
}

/** Signed int64 weight of a supplier for one session (lower weights are selected first). */
export function supplierSelectionWeight(sessionIdPreimage: Uint8Array, operatorAddress: string): bigint {
  const digest = sha3_256(supplierWeightSeed(sessionIdPreimage, operatorAddress));
  return BigInt.asIntN(64, readU64be(digest, 0));
}

/** All candidates ordered as the chain orders them (ascending weight, then address bytes). */
export function sortSuppliersBySelectionWeight<T extends SupplierCandidate>(sessionIdPreimage: Uint8Array, candidates: readonly T[]): T[] {
  if (!Array.isArray(candidates)) throw new InvalidArgumentError('candidates must be an array');
  const keyed = candidates.map((candidate) => {
    const address = addressOf(candidate);
    return { candidate, weight: supplierSelectionWeight(sessionIdPreimage, address), addressBytes: utf8ToBytes(address) };
  });
  keyed.sort((a, b) => (a.weight < b.weight ? -1 : a.weight > b.weight ? 1 : compareBytes(a.addressBytes, b.addressBytes)));
  return keyed.map((k) => k.candidate);
}

/**
 * The suppliers of a session. With no more candidates than `numSuppliersPerSession` the chain
 * keeps them all in their original order (it does not sort), and so does this function.
 */
export function selectSessionSuppliers<T extends SupplierCandidate>(
  sessionIdPreimage: Uint8Array,
  candidates: readonly T[],
  numSuppliersPerSession: bigint | number,
): T[] {
  const k = toCount(numSuppliersPerSession);
  if (!Array.isArray(candidates)) throw new InvalidArgumentError('candidates must be an array');
  assertBytes('sessionIdPreimage', sessionIdPreimage);
  if (BigInt(candidates.length) <= k) {
    candidates.forEach(addressOf);
    return [...candidates];
  }
  return sortSuppliersBySelectionWeight(sessionIdPreimage, candidates).slice(0, Number(k));
}
