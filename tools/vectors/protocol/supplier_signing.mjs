// supplier_signing.json: cosmos-sdk secp256k1 supplier signatures over signable hashes.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import {
  SECP256K1_ORDER,
  addressFromPublicKey,
  bigintFromBytes,
  bigintToBytes,
  fromHex,
  publicKeyFromPrivateKey,
  signSupplierHash,
  signSupplierHashWithDetails,
  toHex,
  verifySupplierHash,
} from '@relayminer/protocol';
import { guarded } from '../checks.mjs';

export default async (json, check) => {
  const keys = new Map();
  for (const k of json.keys) {
    guarded(check, `keys ${k.label}`, () => {
      const priv = fromHex(k.private_key);
      const pub = publicKeyFromPrivateKey(priv);
      check(`keys ${k.label} public_key`, toHex(pub) === k.public_key, toHex(pub));
      check(`keys ${k.label} address`, addressFromPublicKey(pub) === k.address);
      keys.set(k.label, { priv, pub: fromHex(k.public_key) });
    });
  }

  for (const c of json.cases) {
    guarded(check, `cases ${c.label}`, () => {
      const tag = `cases ${c.label}`;
      const key = keys.get(c.supplier_key);
      if (!key) {
        check(`${tag} supplier_key known`, false, c.supplier_key);
        return;
      }
      const signableHash = fromHex(c.signable_hash);
      check(`${tag} signable_hash = H(signable_bytes)`, toHex(sha256(fromHex(c.signable_bytes))) === c.signable_hash);

      const sig = signSupplierHash(key.priv, signableHash);
      check(`${tag} signature`, toHex(sig) === c.signature, toHex(sig));
      const d = signSupplierHashWithDetails(key.priv, signableHash);
      check(`${tag} details.signature`, toHex(d.signature) === c.signature);
      check(`${tag} ecdsa_digest`, toHex(d.ecdsaDigest) === c.ecdsa_digest);
      check(`${tag} r`, toHex(d.r) === c.r);
      check(`${tag} s`, toHex(d.s) === c.s);
      check(`${tag} s_before_low_s`, toHex(d.sBeforeLowS) === c.s_before_low_s);
      check(`${tag} low_s_normalized`, d.lowSNormalized === c.low_s_normalized);
      // r must be the x coordinate of k·G for the recorded RFC 6979 nonce.
      const kG = secp256k1.Point.BASE.multiply(bigintFromBytes(fromHex(c.rfc6979_nonce_k))).toAffine();
      check(`${tag} r = x(k·G) for rfc6979_nonce_k`, toHex(bigintToBytes(kG.x % SECP256K1_ORDER, 32)) === c.r);

      check(`${tag} verify`, verifySupplierHash(key.pub, signableHash, fromHex(c.signature)) === c.verify);
      const highS = toHex(d.r) + toHex(bigintToBytes(SECP256K1_ORDER - bigintFromBytes(d.s), 32));
      check(`${tag} high_s_signature = r ‖ n−s`, highS === c.high_s_signature);
      check(`${tag} verify_high_s_signature`, verifySupplierHash(key.pub, signableHash, fromHex(c.high_s_signature)) === c.verify_high_s_signature);
      let others = 0;
      for (const [label, other] of keys) {
        if (label === c.supplier_key) continue;
        others++;
        const ok = verifySupplierHash(other.pub, signableHash, fromHex(c.signature));
        check(`${tag} verify_with_other_supplier_key (${label})`, ok === c.verify_with_other_supplier_key);
      }
      check(`${tag} has other keys`, others > 0);
      const single = secp256k1.sign(signableHash, key.priv, { prehash: false, lowS: true });
      check(`${tag} single_hash_signature reproduced`, toHex(single) === c.single_hash_signature);
      check(`${tag} verify_single_hash_signature`, verifySupplierHash(key.pub, signableHash, fromHex(c.single_hash_signature)) === c.verify_single_hash_signature);
    });
  }
};
