/**
 * Cosmos-style account addresses: `bech32(hrp, ripemd160(sha256(compressedPublicKey)))`.
 * Any human-readable prefix is supported (`pokt` for accounts, `poktvaloper` for validators).
 */
import { bech32 } from '@scure/base';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '../sha256.js';
import { ProtocolError, InvalidArgumentError } from '../errors.js';
import { publicKeyFromPrivateKey } from './secp256k1-keys.js';

export const POKT_ACCOUNT_HRP = 'pokt';
export const POKT_VALOPER_HRP = 'poktvaloper';

// cosmos-sdk decodes bech32 with a 1023-character limit (not BIP-173's 90) and accepts
// address payloads of 1..255 bytes; mirroring both keeps module/long addresses decodable.
const BECH32_DECODE_LIMIT = 1023;
const MAX_ADDRESS_BYTES = 255;

/** A string that is not a well-formed bech32 address with the expected prefix. */
export class InvalidAddressError extends ProtocolError {
  constructor(message: string) {
    super('invalid_address', message);
  }
}

/** RIPEMD-160 of SHA-256 of the 33-byte compressed public key (the 20 account-address bytes). */
export function addressBytesFromPublicKey(compressedPublicKey: Uint8Array): Uint8Array {
  // Cosmos derives addresses only from the compressed form; hashing a 65-byte key would give a
  // different (and wrong) address, so refuse it instead of guessing.
  if (!(compressedPublicKey instanceof Uint8Array) || compressedPublicKey.length !== 33)
    throw new InvalidArgumentError('address derivation needs a 33-byte compressed public key');
  return ripemd160(sha256(compressedPublicKey));
}

export function encodeBech32Address(addressBytes: Uint8Array, hrp: string = POKT_ACCOUNT_HRP): string {
  if (!(addressBytes instanceof Uint8Array) || addressBytes.length < 1 || addressBytes.length > MAX_ADDRESS_BYTES)
    throw new InvalidArgumentError(`address bytes must be 1..${MAX_ADDRESS_BYTES} bytes`);
  if (typeof hrp !== 'string' || hrp.length === 0 || hrp !== hrp.toLowerCase())
    throw new InvalidArgumentError('bech32 prefix must be a non-empty lowercase string');
  return bech32.encode(hrp, bech32.toWords(addressBytes), false);
}

export function addressFromPublicKey(compressedPublicKey: Uint8Array, hrp: string = POKT_ACCOUNT_HRP): string {
  return encodeBech32Address(addressBytesFromPublicKey(compressedPublicKey), hrp);
}

export function addressFromPrivateKey(privateKey: Uint8Array, hrp: string = POKT_ACCOUNT_HRP): string {
  return addressFromPublicKey(publicKeyFromPrivateKey(privateKey), hrp);
}

/**
 * Decodes a bech32 address and checks its prefix; returns the raw address bytes.
 * Throws InvalidAddressError (checksum, characters, mixed case, wrong prefix, bad length).
 */
export function decodeBech32Address(address: string, expectedHrp: string = POKT_ACCOUNT_HRP): Uint8Array {
  if (typeof address !== 'string') throw new InvalidAddressError('address must be a string');
  let decoded;
  try {
    decoded = bech32.decode(address, BECH32_DECODE_LIMIT);
  } catch (err) {
    throw new InvalidAddressError(`not a valid bech32 address: ${JSON.stringify(address.slice(0, 100))} (${(err as Error).message})`);
  }
  if (decoded.prefix !== expectedHrp)
    throw new InvalidAddressError(`address prefix is ${JSON.stringify(decoded.prefix)}, expected ${JSON.stringify(expectedHrp)}`);
  let bytes: Uint8Array;
  try {
    bytes = bech32.fromWords(decoded.words);
  } catch (err) {
    throw new InvalidAddressError(`address payload is not valid 8-bit data (${(err as Error).message})`);
  }
  if (bytes.length < 1 || bytes.length > MAX_ADDRESS_BYTES)
    throw new InvalidAddressError(`address must carry 1..${MAX_ADDRESS_BYTES} bytes, got ${bytes.length}`);
  return bytes;
}

/** Boolean form of decodeBech32Address; optionally also requires an exact byte length (20 for accounts). */
export function isValidBech32Address(address: unknown, expectedHrp: string = POKT_ACCOUNT_HRP, byteLength?: number): boolean {
  try {
    const bytes = decodeBech32Address(address as string, expectedHrp);
    return byteLength === undefined || bytes.length === byteLength;
  } catch {
    return false;
  }
}
