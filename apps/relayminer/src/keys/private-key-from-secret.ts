/**
 * Turns what an operator pastes into `relayminer keys import` into a secp256k1 private key: 32 bytes
 * of hex, or a BIP-39 English mnemonic derived at the Cosmos HD path (what `poktrolld keys add
 * --recover` derives). Errors describe the input's shape, never its content.
 */
import { Bip39, EnglishMnemonic, Slip10, Slip10Curve, stringToPath } from '@cosmjs/crypto';
import { assertSecp256k1PrivateKey } from '@relayminer/protocol';
import { SecretFormatError } from '../errors.js';

/** BIP-44 path of the first Cosmos account (coin type 118), as the Pocket CLI uses. */
export const COSMOS_HD_PATH = "m/44'/118'/0'/0/0";

const HEX_KEY = /^(0x)?[0-9a-fA-F]{64}$/;

export function privateKeyFromHex(secret: string): Uint8Array {
  const text = secret.trim();
  if (!HEX_KEY.test(text)) throw new SecretFormatError('a hex private key must be 64 hex characters (0x optional)');
  const key = Uint8Array.from(Buffer.from(text.replace(/^0x/, ''), 'hex'));
  try {
    assertSecp256k1PrivateKey(key);
  } catch {
    key.fill(0);
    throw new SecretFormatError('the hex value is not a valid secp256k1 private key (zero or not below the curve order)');
  }
  return key;
}

export async function privateKeyFromMnemonic(secret: string, hdPath = COSMOS_HD_PATH): Promise<Uint8Array> {
  // Whitespace and case are not part of a BIP-39 English mnemonic; pasting often adds both.
  const words = secret.trim().toLowerCase().split(/\s+/);
  if (![12, 15, 18, 21, 24].includes(words.length)) {
    throw new SecretFormatError(`a BIP-39 mnemonic has 12, 15, 18, 21 or 24 words (got ${words.length})`);
  }
  let mnemonic: EnglishMnemonic;
  try {
    mnemonic = new EnglishMnemonic(words.join(' '));
  } catch {
    throw new SecretFormatError('not a valid BIP-39 English mnemonic (a word is not in the word list, or the checksum does not match)');
  }
  const seed = await Bip39.mnemonicToSeed(mnemonic);
  try {
    const { privkey } = Slip10.derivePath(Slip10Curve.Secp256k1, seed, stringToPath(hdPath));
    return privkey;
  } finally {
    seed.fill(0);
  }
}
