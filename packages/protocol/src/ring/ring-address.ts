/**
 * Bech32 account address of a compressed key, used only to derive the placeholder constant.
 * The keys area has the general-purpose version; this one stays private to avoid a second export.
 */
import { bech32 } from '@scure/base';
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

export function ringAccountAddress(pub33: Uint8Array, hrp = 'pokt'): string {
  return bech32.encode(hrp, bech32.toWords(ripemd160(sha256(pub33))));
}
