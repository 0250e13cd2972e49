/**
 * SHA-256 for single messages: OpenSSL's one-shot hash (SHA-NI on this hardware) is the fastest way
 * to hash one message from JS (`npm run bench -- protocol`); batches go through smt-wasm's SIMD lanes.
 */
import { hash } from 'node:crypto';

export function sha256(data: Uint8Array): Uint8Array {
  const digest = hash('sha256', data, 'buffer');
  return new Uint8Array(digest.buffer, digest.byteOffset, 32);
}
