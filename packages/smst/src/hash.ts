import { createHash } from 'node:crypto';
import { sha256 as wasmSha256 } from 'smt-wasm';

/** SHA-256 of one byte string, through the WASM hasher (faster than node:crypto for short inputs). */
export const sha256: (data: Uint8Array) => Uint8Array = wasmSha256;

/** SHA-256 through node:crypto: what the reference implementation uses, independent of the WASM. */
export function referenceSha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}
