/**
 * BIP-39 seed and BIP-32 derivation written out from the two specifications with @noble primitives,
 * and the Cosmos address (bech32 of ripemd160(sha256(compressed public key))). It shares no code with
 * what `keys import` uses (@cosmjs/crypto, which wraps @scure/bip39 and its own SLIP-10), so a test can
 * compare the two.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bech32 } from '@scure/base';

const N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HARDENED = 0x80000000;
const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s.normalize('NFKD'));
const toBigInt = (b: Uint8Array): bigint => BigInt('0x' + Buffer.from(b).toString('hex'));
const to32 = (n: bigint): Uint8Array => Uint8Array.from(Buffer.from(n.toString(16).padStart(64, '0'), 'hex'));
const ser32 = (i: number): Uint8Array => Uint8Array.from([(i >>> 24) & 0xff, (i >>> 16) & 0xff, (i >>> 8) & 0xff, i & 0xff]);

/** BIP-39: PBKDF2-HMAC-SHA512(mnemonic, "mnemonic" + passphrase, 2048 rounds, 64 bytes), both NFKD. */
export function bip39Seed(mnemonic: string, passphrase = ''): Uint8Array {
  return pbkdf2(sha512, utf8(mnemonic), utf8('mnemonic' + passphrase), { c: 2048, dkLen: 64 });
}

/** BIP-32 private derivation along a path such as m/44'/118'/0'/0/0. */
export function bip32PrivateKey(seed: Uint8Array, path: string): Uint8Array {
  let I = hmac(sha512, utf8('Bitcoin seed'), seed);
  let k = toBigInt(I.slice(0, 32));
  let c = I.slice(32);
  for (const part of path.split('/').slice(1)) {
    const hardened = part.endsWith("'");
    const index = Number(hardened ? part.slice(0, -1) : part) + (hardened ? HARDENED : 0);
    const data = hardened
      ? new Uint8Array([0, ...to32(k), ...ser32(index)])
      : new Uint8Array([...secp256k1.getPublicKey(to32(k), true), ...ser32(index)]);
    I = hmac(sha512, c, data);
    k = (toBigInt(I.slice(0, 32)) + k) % N;
    c = I.slice(32);
  }
  return to32(k);
}

export function cosmosAddress(privateKey: Uint8Array, prefix = 'pokt'): string {
  const pub = secp256k1.getPublicKey(privateKey, true);
  return bech32.encode(prefix, bech32.toWords(ripemd160(sha256(pub))));
}
