/**
 * Range checks for the 64-bit integers of the protocol math. Internal to the package: the chain
 * stores heights as int64 and params/amounts as uint64, and a value outside those ranges (or a
 * plain `number` slipping in from JavaScript callers) would silently change the arithmetic.
 */
import { InvalidArgumentError } from '../errors.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

export function assertInt64(name: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint') throw new InvalidArgumentError(`${name} must be a bigint, got ${typeof value}`);
  if (value < INT64_MIN || value > INT64_MAX) throw new InvalidArgumentError(`${name} does not fit in an int64: ${value}`);
}

export function assertUint64(name: string, value: unknown): asserts value is bigint {
  if (typeof value !== 'bigint') throw new InvalidArgumentError(`${name} must be a bigint, got ${typeof value}`);
  if (value < 0n || value > UINT64_MAX) throw new InvalidArgumentError(`${name} does not fit in a uint64: ${value}`);
}

/** A uint64 that the chain uses as a divisor: zero would make Go panic, so it is rejected here. */
export function assertPositiveUint64(name: string, value: unknown): asserts value is bigint {
  assertUint64(name, value);
  if (value === 0n) throw new InvalidArgumentError(`${name} must be at least 1`);
}

export function assertBytes(name: string, value: unknown, length?: number): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new InvalidArgumentError(`${name} must be a Uint8Array`);
  if (length !== undefined && value.length !== length)
    throw new InvalidArgumentError(`${name} must be ${length} bytes, got ${value.length}`);
}

export function assertString(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string') throw new InvalidArgumentError(`${name} must be a string, got ${typeof value}`);
}
