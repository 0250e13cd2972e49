// addresses.json: private key → public keys → address bytes → bech32 (pokt and poktvaloper).
import { sha256 } from '@noble/hashes/sha2.js';
import {
  POKT_ACCOUNT_HRP,
  POKT_VALOPER_HRP,
  addressBytesFromPublicKey,
  addressFromPrivateKey,
  addressFromPublicKey,
  compressPublicKey,
  decodeBech32Address,
  decompressPublicKey,
  encodeBech32Address,
  fromHex,
  isValidBech32Address,
  publicKeyFromPrivateKey,
  toHex,
  uncompressedPublicKeyFromPrivateKey,
  utf8ToBytes,
} from '@relayminer/protocol';
import { guarded } from '../checks.mjs';

export default async (json, check) => {
  for (const k of json.keys) {
    guarded(check, `keys ${k.label}`, () => {
      const tag = `keys ${k.label}`;
      const priv = fromHex(k.private_key);
      if (k.derivation.startsWith('sha256(label)'))
        check(`${tag} private_key = H(label)`, toHex(sha256(utf8ToBytes(k.label))) === k.private_key);
      const pub = publicKeyFromPrivateKey(priv);
      check(`${tag} public_key_compressed`, toHex(pub) === k.public_key_compressed, toHex(pub));
      const pub65 = uncompressedPublicKeyFromPrivateKey(priv);
      check(`${tag} public_key_uncompressed`, toHex(pub65) === k.public_key_uncompressed, toHex(pub65));
      check(`${tag} compress(uncompressed)`, toHex(compressPublicKey(fromHex(k.public_key_uncompressed))) === k.public_key_compressed);
      check(`${tag} decompress(compressed)`, toHex(decompressPublicKey(fromHex(k.public_key_compressed))) === k.public_key_uncompressed);
      check(`${tag} sha256_of_public_key`, toHex(sha256(pub)) === k.sha256_of_public_key);
      const bytes = addressBytesFromPublicKey(pub);
      check(`${tag} address_bytes`, toHex(bytes) === k.address_bytes, toHex(bytes));
      const address = addressFromPublicKey(pub);
      check(`${tag} address`, address === k.address, address);
      check(`${tag} address from private key`, addressFromPrivateKey(priv) === k.address);
      const valoper = encodeBech32Address(bytes, POKT_VALOPER_HRP);
      check(`${tag} address_with_hrp_poktvaloper`, valoper === k.address_with_hrp_poktvaloper, valoper);
      check(`${tag} decode address`, toHex(decodeBech32Address(k.address, POKT_ACCOUNT_HRP)) === k.address_bytes);
      check(`${tag} decode poktvaloper`, toHex(decodeBech32Address(k.address_with_hrp_poktvaloper, POKT_VALOPER_HRP)) === k.address_bytes);
      check(`${tag} pokt address rejected as poktvaloper`, !isValidBech32Address(k.address, POKT_VALOPER_HRP));
      check(`${tag} poktvaloper address rejected as pokt`, !isValidBech32Address(k.address_with_hrp_poktvaloper, POKT_ACCOUNT_HRP));
      const corrupted = k.address.slice(0, -1) + (k.address.endsWith('q') ? 'p' : 'q');
      check(`${tag} corrupted checksum rejected`, !isValidBech32Address(corrupted));
    });
  }
};
