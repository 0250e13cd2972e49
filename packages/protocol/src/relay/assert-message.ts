import { InvalidArgumentError } from '../errors.js';

/** Guards the entry points against a missing message (JS callers), which would otherwise encode as empty. */
export function assertRelayMessage(name: string, value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Uint8Array) {
    throw new InvalidArgumentError(`${name} must be a message object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}`);
  }
}
