import { createHash } from 'node:crypto';

/** SHA-256 of one byte string. The trie hasher, path hasher and proof verifier all use it. */
export function sha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}
