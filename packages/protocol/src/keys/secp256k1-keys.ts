/** secp256k1 key derivation as the Cosmos SDK uses it: 32-byte scalar, SEC1 public keys. */
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { InvalidArgumentError } from '../errors.js';
import { bigintFromBytes } from '../bytes.js';

/** The group order n of secp256k1. */
export const SECP256K1_ORDER: bigint = secp256k1.Point.Fn.ORDER;

/**
 * Rejects anything that is not a 32-byte scalar in [1, n−1]. The message never echoes the key:
 * errors end up in logs.
 */
export function assertSecp256k1PrivateKey(privateKey: unknown): asserts privateKey is Uint8Array {
  if (!(privateKey instanceof Uint8Array)) throw new InvalidArgumentError('private key must be a Uint8Array');
  if (privateKey.length !== 32) throw new InvalidArgumentError(`private key must be 32 bytes, got ${privateKey.length}`);
  const d = bigintFromBytes(privateKey);
  if (d === 0n || d >= SECP256K1_ORDER) throw new InvalidArgumentError('private key is not a valid secp256k1 scalar (must be in [1, n-1])');
}

/** 33-byte compressed SEC1 public key (the form Cosmos accounts carry). */
export function publicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  assertSecp256k1PrivateKey(privateKey);
  return secp256k1.getPublicKey(privateKey, true);
}

/** 65-byte uncompressed SEC1 public key (`04 ‖ x ‖ y`). */
export function uncompressedPublicKeyFromPrivateKey(privateKey: Uint8Array): Uint8Array {
  assertSecp256k1PrivateKey(privateKey);
  return secp256k1.getPublicKey(privateKey, false);
}

function parsePoint(publicKey: Uint8Array) {
  if (!(publicKey instanceof Uint8Array) || (publicKey.length !== 33 && publicKey.length !== 65))
    throw new InvalidArgumentError('public key must be a 33-byte compressed or 65-byte uncompressed SEC1 key');
  try {
    return secp256k1.Point.fromBytes(publicKey);
  } catch {
    throw new InvalidArgumentError('public key is not a point on secp256k1');
  }
}

/** Converts either SEC1 form to the 33-byte compressed form (validating the point). */
export function compressPublicKey(publicKey: Uint8Array): Uint8Array {
  return parsePoint(publicKey).toBytes(true);
}

/** Converts either SEC1 form to the 65-byte uncompressed form (validating the point). */
export function decompressPublicKey(publicKey: Uint8Array): Uint8Array {
  return parsePoint(publicKey).toBytes(false);
}

/** True iff the bytes are a valid compressed or uncompressed secp256k1 point. Never throws. */
export function isValidSecp256k1PublicKey(publicKey: unknown): boolean {
  try {
    parsePoint(publicKey as Uint8Array);
    return true;
  } catch {
    return false;
  }
}
