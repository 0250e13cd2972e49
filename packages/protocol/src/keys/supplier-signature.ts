/**
 * Supplier signatures over RelayResponse signable hashes, exactly as cosmos-sdk's secp256k1
 * `PrivKey.Sign` / `PubKey.VerifySignature` do it: ECDSA over sha256(signableHash) — the 32-byte
 * signable hash is hashed a second time —, RFC 6979 nonce, low-S, 64-byte r ‖ s.
 */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '../sha256.js';
import { InvalidArgumentError } from '../errors.js';
import { bigintFromBytes, bigintToBytes, concatBytes } from '../bytes.js';
import { assertSecp256k1PrivateKey, SECP256K1_ORDER } from './secp256k1-keys.js';
import { nativeSecp256k1 } from './native-secp256k1.js';

const HALF_ORDER = SECP256K1_ORDER >> 1n;

export interface SupplierSignatureDetails {
  /** 64 bytes r ‖ s, what goes on the wire. */
  signature: Uint8Array;
  r: Uint8Array;
  s: Uint8Array;
  /** The digest ECDSA actually signs: sha256(signableHash). */
  ecdsaDigest: Uint8Array;
  /** s as RFC 6979 produced it, before low-S normalisation. */
  sBeforeLowS: Uint8Array;
  /** True when s was above n/2 and replaced by n − s. */
  lowSNormalized: boolean;
}

function assertSignableHash(signableHash: unknown): asserts signableHash is Uint8Array {
  if (!(signableHash instanceof Uint8Array) || signableHash.length !== 32)
    throw new InvalidArgumentError('signable hash must be 32 bytes');
}

/** Signs like signSupplierHash and also reports the intermediate values (for diagnostics and vectors). */
export function signSupplierHashWithDetails(privateKey: Uint8Array, signableHash: Uint8Array): SupplierSignatureDetails {
  assertSecp256k1PrivateKey(privateKey);
  assertSignableHash(signableHash);
  // noble v2 hashes the message with sha256 by default (prehash: true): handing it the signable
  // hash therefore signs sha256(signableHash), which is the cosmos-sdk double hash.
  const raw = secp256k1.sign(signableHash, privateKey, { prehash: true, lowS: false, format: 'compact' });
  const r = raw.slice(0, 32);
  const sRaw = bigintFromBytes(raw.subarray(32, 64));
  const lowSNormalized = sRaw > HALF_ORDER;
  const s = bigintToBytes(lowSNormalized ? SECP256K1_ORDER - sRaw : sRaw, 32);
  return {
    signature: concatBytes(r, s),
    r,
    s,
    ecdsaDigest: sha256(signableHash),
    sBeforeLowS: raw.slice(32, 64),
    lowSNormalized,
  };
}

/** 64-byte r ‖ s supplier signature over a 32-byte signable hash (cosmos-sdk secp256k1 rules). */
export function signSupplierHash(privateKey: Uint8Array, signableHash: Uint8Array): Uint8Array {
  return signSupplierHashWith(nativeSecp256k1 ? 'libsecp256k1' : 'noble', privateKey, signableHash);
}

/** signSupplierHash on a chosen implementation (both give the same bytes; tests compare them). */
export function signSupplierHashWith(impl: 'libsecp256k1' | 'noble', privateKey: Uint8Array, signableHash: Uint8Array): Uint8Array {
  assertSecp256k1PrivateKey(privateKey);
  assertSignableHash(signableHash);
  if (impl === 'libsecp256k1') {
    if (!nativeSecp256k1) throw new InvalidArgumentError('libsecp256k1 is not available in this process');
    // libsecp256k1 takes the digest itself and always returns a low-S signature
    return nativeSecp256k1.ecdsaSign(sha256(signableHash), privateKey).signature;
  }
  return secp256k1.sign(signableHash, privateKey, { prehash: true, lowS: true, format: 'compact' });
}

/**
 * Verifies a supplier signature under cosmos-sdk's rules: exactly 64 bytes, s ≤ n/2, ECDSA over
 * sha256(signableHash). Returns false on any malformed input; never throws.
 */
export function verifySupplierHash(publicKey33: Uint8Array, signableHash: Uint8Array, signature: Uint8Array): boolean {
  return verifySupplierHashWith(nativeSecp256k1 ? 'libsecp256k1' : 'noble', publicKey33, signableHash, signature);
}

/** verifySupplierHash on a chosen implementation (same verdicts; tests compare them). */
export function verifySupplierHashWith(
  impl: 'libsecp256k1' | 'noble',
  publicKey33: Uint8Array,
  signableHash: Uint8Array,
  signature: Uint8Array,
): boolean {
  try {
    if (!(publicKey33 instanceof Uint8Array) || publicKey33.length !== 33) return false;
    if (!(signableHash instanceof Uint8Array) || signableHash.length !== 32) return false;
    if (!(signature instanceof Uint8Array) || signature.length !== 64) return false;
    // decred (behind cosmos-sdk) loads r and s as scalars reduced mod n rather than rejecting
    // values ≥ n, so the same reduction is applied before the range and low-S checks.
    const r = bigintFromBytes(signature.subarray(0, 32)) % SECP256K1_ORDER;
    const s = bigintFromBytes(signature.subarray(32, 64)) % SECP256K1_ORDER;
    if (r === 0n || s === 0n || s > HALF_ORDER) return false;
    const canonical = concatBytes(bigintToBytes(r, 32), bigintToBytes(s, 32));
    if (impl === 'libsecp256k1') {
      if (!nativeSecp256k1) return false;
      return nativeSecp256k1.ecdsaVerify(canonical, sha256(signableHash), publicKey33);
    }
    return secp256k1.verify(canonical, signableHash, publicKey33, { prehash: true, lowS: true, format: 'compact' });
  } catch {
    return false;
  }
}
