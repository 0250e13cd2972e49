/**
 * Optional libsecp256k1 (the `secp256k1` npm package's prebuilt addon) for supplier signatures.
 * The relay miner signs every response, and libsecp256k1 signs ~20x faster than noble while
 * producing the same bytes (RFC 6979 nonce, low-S) and running in constant time, which matters
 * because the nonce is secret. When the addon cannot load (no prebuilt binary for the platform,
 * or RELAYMINER_SECP256K1=noble), everything falls back to @noble/curves.
 */
import { createRequire } from 'node:module';

export interface NativeSecp256k1 {
  ecdsaSign(msg32: Uint8Array, seckey: Uint8Array): { signature: Uint8Array; recid: number };
  ecdsaVerify(sig: Uint8Array, msg32: Uint8Array, pubkey: Uint8Array): boolean;
}

function load(): NativeSecp256k1 | null {
  if (process.env.RELAYMINER_SECP256K1 === 'noble') return null;
  try {
    // `bindings` is the addon alone: the package's main entry would silently fall back to the
    // much slower `elliptic` when the binary is missing, and we would rather use noble then.
    return createRequire(import.meta.url)('secp256k1/bindings') as NativeSecp256k1;
  } catch {
    return null;
  }
}

export const nativeSecp256k1: NativeSecp256k1 | null = load();

/** Which implementation signs and verifies supplier signatures in this process. */
export function supplierSignatureBackend(): 'libsecp256k1' | 'noble' {
  return nativeSecp256k1 ? 'libsecp256k1' : 'noble';
}
