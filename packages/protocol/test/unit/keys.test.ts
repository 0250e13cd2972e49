import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { bigintFromBytes, bigintToBytes, concatBytes, fromHex, toHex, utf8ToBytes } from '../../src/bytes.js';
import { InvalidArgumentError, ProtocolError } from '../../src/errors.js';
import {
  InvalidAddressError,
  POKT_VALOPER_HRP,
  SECP256K1_ORDER,
  addressBytesFromPublicKey,
  addressFromPrivateKey,
  addressFromPublicKey,
  compressPublicKey,
  decodeBech32Address,
  decompressPublicKey,
  encodeBech32Address,
  isValidBech32Address,
  isValidSecp256k1PublicKey,
  publicKeyFromPrivateKey,
  signSupplierHash,
  signSupplierHashWith,
  signSupplierHashWithDetails,
  supplierSignatureBackend,
  uncompressedPublicKeyFromPrivateKey,
  verifySupplierHash,
  verifySupplierHashWith,
} from '../../src/keys/index.js';

const VECTORS = new URL('../../../../../shared/vectors/protocol/', import.meta.url);
const load = (name: string) => JSON.parse(readFileSync(new URL(name, VECTORS), 'utf8'));

const addresses = load('addresses.json') as {
  keys: {
    label: string;
    derivation: string;
    private_key: string;
    public_key_compressed: string;
    public_key_uncompressed: string;
    sha256_of_public_key: string;
    address_bytes: string;
    address: string;
    address_with_hrp_poktvaloper: string;
  }[];
};
const signing = load('supplier_signing.json') as {
  keys: { label: string; private_key: string; public_key: string; address: string }[];
  cases: {
    label: string;
    supplier_key: string;
    signable_hash: string;
    ecdsa_digest: string;
    r: string;
    s: string;
    s_before_low_s: string;
    low_s_normalized: boolean;
    signature: string;
    verify: boolean;
    high_s_signature: string;
    verify_high_s_signature: boolean;
    verify_with_other_supplier_key: boolean;
    single_hash_signature: string;
    verify_single_hash_signature: boolean;
  }[];
};

const HALF_ORDER = SECP256K1_ORDER >> 1n;
const toHighS = (sig: Uint8Array) =>
  concatBytes(sig.slice(0, 32), bigintToBytes(SECP256K1_ORDER - bigintFromBytes(sig.slice(32)), 32));

const validScalar = fc
  .bigInt({ min: 1n, max: SECP256K1_ORDER - 1n })
  .map((d) => bigintToBytes(d, 32));
const hash32 = fc.uint8Array({ minLength: 32, maxLength: 32 });

describe('keys and addresses (addresses.json)', () => {
  it('has the 16 recorded keys', () => expect(addresses.keys).toHaveLength(16));

  for (const k of addresses.keys) {
    it(`derives everything for ${k.label}`, () => {
      const priv = fromHex(k.private_key);
      if (k.derivation.startsWith('sha256(label)')) expect(toHex(sha256(utf8ToBytes(k.label)))).toBe(k.private_key);
      const pub = publicKeyFromPrivateKey(priv);
      expect(toHex(pub)).toBe(k.public_key_compressed);
      expect(toHex(uncompressedPublicKeyFromPrivateKey(priv))).toBe(k.public_key_uncompressed);
      expect(toHex(compressPublicKey(fromHex(k.public_key_uncompressed)))).toBe(k.public_key_compressed);
      expect(toHex(decompressPublicKey(pub))).toBe(k.public_key_uncompressed);
      expect(toHex(sha256(pub))).toBe(k.sha256_of_public_key);
      expect(toHex(addressBytesFromPublicKey(pub))).toBe(k.address_bytes);
      expect(addressFromPublicKey(pub)).toBe(k.address);
      expect(addressFromPrivateKey(priv)).toBe(k.address);
      expect(addressFromPrivateKey(priv, POKT_VALOPER_HRP)).toBe(k.address_with_hrp_poktvaloper);
      expect(toHex(decodeBech32Address(k.address))).toBe(k.address_bytes);
      expect(toHex(decodeBech32Address(k.address_with_hrp_poktvaloper, 'poktvaloper'))).toBe(k.address_bytes);
    });
  }

  it('matches the spec §12.3 supplier key', () => {
    const priv = fromHex('b1c4e4d1a6a5f0e2c3d4b5a69788796a5b4c3d2e1f00112233445566778899aa');
    expect(toHex(publicKeyFromPrivateKey(priv))).toBe('03dade6575e7190a0d15b3e3b28ca89139fbea6f5cff843b7e084a64ce33699066');
    expect(addressFromPrivateKey(priv)).toBe('pokt18udq6v5rdwrepyx4asl87tdd0sqvqw47mtfd95');
  });

  it('keeps a leading zero byte in address bytes', () => {
    const k = addresses.keys.find((x) => x.address_bytes.startsWith('00'))!;
    expect(decodeBech32Address(k.address)).toHaveLength(20);
    expect(decodeBech32Address(k.address)[0]).toBe(0);
  });

  it('rejects wrong prefixes, bad checksums, mixed case and junk with InvalidAddressError', () => {
    const { address, address_with_hrp_poktvaloper: valoper } = addresses.keys[0]!;
    expect(() => decodeBech32Address(address, 'poktvaloper')).toThrow(InvalidAddressError);
    expect(() => decodeBech32Address(valoper)).toThrow(/prefix/);
    const flipped = address.slice(0, -1) + (address.endsWith('q') ? 'p' : 'q');
    expect(() => decodeBech32Address(flipped)).toThrow(InvalidAddressError);
    const mixed = address.slice(0, 6) + address.slice(6, 7).toUpperCase() + address.slice(7);
    expect(isValidBech32Address(mixed)).toBe(false);
    expect(isValidBech32Address(address.toUpperCase())).toBe(true);
    for (const junk of ['', 'pokt', 'pokt1', 'hello world', 42, null, undefined]) {
      expect(isValidBech32Address(junk)).toBe(false);
    }
    expect(isValidBech32Address(address, 'pokt', 20)).toBe(true);
    expect(isValidBech32Address(address, 'pokt', 32)).toBe(false);
  });

  it('encodes arbitrary payloads under any lowercase prefix and decodes them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), fc.constantFrom('pokt', 'poktvaloper', 'cosmos'), (bytes, hrp) => {
        expect(decodeBech32Address(encodeBech32Address(bytes, hrp), hrp)).toEqual(bytes);
      }),
    );
    expect(() => encodeBech32Address(new Uint8Array(0))).toThrow(InvalidArgumentError);
    expect(() => encodeBech32Address(new Uint8Array(20), 'POKT')).toThrow(InvalidArgumentError);
  });

  it('rejects invalid private keys without echoing them', () => {
    const tooBig = bigintToBytes(SECP256K1_ORDER, 32);
    const secretish = fromHex('ab'.repeat(31));
    for (const bad of [new Uint8Array(32), tooBig, secretish, fromHex('ff'.repeat(32))]) {
      let error: unknown;
      try {
        publicKeyFromPrivateKey(bad);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidArgumentError);
      expect(error).toBeInstanceOf(ProtocolError);
      expect((error as Error).message).not.toContain(toHex(bad));
      expect((error as Error).message).not.toMatch(/abab|ffff/);
    }
  });

  it('requires a 33-byte compressed key for address derivation and validates points', () => {
    const pub65 = fromHex(addresses.keys[0]!.public_key_uncompressed);
    expect(() => addressBytesFromPublicKey(pub65)).toThrow(InvalidArgumentError);
    expect(isValidSecp256k1PublicKey(pub65)).toBe(true);
    const offCurve = fromHex('02' + 'ff'.repeat(32));
    expect(isValidSecp256k1PublicKey(offCurve)).toBe(false);
    expect(() => compressPublicKey(offCurve)).toThrow(InvalidArgumentError);
  });
});

describe('supplier signatures (supplier_signing.json)', () => {
  const keys = new Map(signing.keys.map((k) => [k.label, { priv: fromHex(k.private_key), pub: fromHex(k.public_key) }]));

  it('has 24 cases, 14 of them low-S normalised', () => {
    expect(signing.cases).toHaveLength(24);
    expect(signing.cases.filter((c) => c.low_s_normalized)).toHaveLength(14);
  });

  for (const c of signing.cases) {
    it(`reproduces and verifies ${c.label}`, () => {
      const { priv, pub } = keys.get(c.supplier_key)!;
      const hash = fromHex(c.signable_hash);
      expect(toHex(signSupplierHash(priv, hash))).toBe(c.signature);
      const d = signSupplierHashWithDetails(priv, hash);
      expect(toHex(d.signature)).toBe(c.signature);
      expect(toHex(d.ecdsaDigest)).toBe(c.ecdsa_digest);
      expect(toHex(d.r)).toBe(c.r);
      expect(toHex(d.s)).toBe(c.s);
      expect(toHex(d.sBeforeLowS)).toBe(c.s_before_low_s);
      expect(d.lowSNormalized).toBe(c.low_s_normalized);
      expect(verifySupplierHash(pub, hash, fromHex(c.signature))).toBe(c.verify);
      expect(toHex(toHighS(fromHex(c.signature)))).toBe(c.high_s_signature);
      expect(verifySupplierHash(pub, hash, fromHex(c.high_s_signature))).toBe(c.verify_high_s_signature);
      expect(verifySupplierHash(pub, hash, fromHex(c.single_hash_signature))).toBe(c.verify_single_hash_signature);
      for (const [label, other] of keys) {
        if (label !== c.supplier_key) expect(verifySupplierHash(other.pub, hash, fromHex(c.signature))).toBe(c.verify_with_other_supplier_key);
      }
    });
  }

  it('signs and verifies identically with libsecp256k1 and noble', () => {
    // the prebuilt addon ships for linux-x64: there a silent fallback to noble would be a bug
    if (process.platform === 'linux' && process.arch === 'x64') expect(supplierSignatureBackend()).toBe('libsecp256k1');
    if (supplierSignatureBackend() !== 'libsecp256k1') return;
    for (const c of signing.cases) {
      const { priv, pub } = keys.get(c.supplier_key)!;
      const hash = fromHex(c.signable_hash);
      for (const impl of ['libsecp256k1', 'noble'] as const) {
        expect(toHex(signSupplierHashWith(impl, priv, hash))).toBe(c.signature);
        expect(verifySupplierHashWith(impl, pub, hash, fromHex(c.signature))).toBe(c.verify);
        expect(verifySupplierHashWith(impl, pub, hash, fromHex(c.high_s_signature))).toBe(c.verify_high_s_signature);
        expect(verifySupplierHashWith(impl, pub, hash, fromHex(c.single_hash_signature))).toBe(c.verify_single_hash_signature);
      }
    }
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 32, maxLength: 32 }), fc.uint8Array({ minLength: 64, maxLength: 64 }), (seed, hash, junk) => {
        const priv = sha256(seed);
        const pub = publicKeyFromPrivateKey(priv);
        const a = signSupplierHashWith('libsecp256k1', priv, hash);
        expect(toHex(a)).toBe(toHex(signSupplierHashWith('noble', priv, hash)));
        expect(verifySupplierHashWith('libsecp256k1', pub, hash, junk)).toBe(verifySupplierHashWith('noble', pub, hash, junk));
      }),
      { numRuns: 200 },
    );
  });

  it('reproduces the spec §12.3 supplier signature', () => {
    const priv = fromHex('b1c4e4d1a6a5f0e2c3d4b5a69788796a5b4c3d2e1f00112233445566778899aa');
    const hash = fromHex('0870e043605ae5208a9f6f9b95b00034ba39f8cc5617009eadfa3eb931ef4df2');
    const sig = signSupplierHash(priv, hash);
    expect(toHex(sig)).toBe(
      'a9fad0eb611a6b3580fdd817c1fc8cb711a6aa352fdd8fe546b9b1be1f70d3b37e774a73b583135a51355aeb8d39fd2a7611e62a85cc731d2fc8fe5325b10b2b',
    );
    expect(verifySupplierHash(publicKeyFromPrivateKey(priv), hash, sig)).toBe(true);
  });

  it('signs the double hash: a plain ECDSA signature of sha256(hash) verifies, one of hash does not', () => {
    const { priv, pub } = keys.values().next().value!;
    const hash = sha256(utf8ToBytes('double-hash'));
    const overDigest = secp256k1.sign(sha256(hash), priv, { prehash: false });
    expect(toHex(overDigest)).toBe(toHex(signSupplierHash(priv, hash)));
    expect(verifySupplierHash(pub, hash, secp256k1.sign(hash, priv, { prehash: false }))).toBe(false);
  });

  it('round-trips sign → verify with low S for random keys and hashes', () => {
    fc.assert(
      fc.property(validScalar, hash32, (priv, hash) => {
        const sig = signSupplierHash(priv, hash);
        expect(sig).toHaveLength(64);
        expect(bigintFromBytes(sig.slice(32)) <= HALF_ORDER).toBe(true);
        const pub = publicKeyFromPrivateKey(priv);
        expect(verifySupplierHash(pub, hash, sig)).toBe(true);
        expect(verifySupplierHash(pub, hash, toHighS(sig))).toBe(false);
        const other = new Uint8Array(hash);
        other[0] ^= 1;
        expect(verifySupplierHash(pub, other, sig)).toBe(false);
      }),
      { numRuns: 40 },
    );
  });

  it('never throws on garbage and never accepts it', () => {
    const { pub } = keys.values().next().value!;
    const anything = fc.oneof(
      fc.uint8Array({ maxLength: 70 }),
      fc.constantFrom(null, undefined, 0, 'x', {}, [] as unknown),
    );
    fc.assert(
      fc.property(anything, anything, anything, (a, b, c) => {
        expect(verifySupplierHash(a as Uint8Array, b as Uint8Array, c as Uint8Array)).toBe(false);
        expect(verifySupplierHash(pub, fromHex(signing.cases[0]!.signable_hash), c as Uint8Array)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects wrong lengths, zero r/s and 65-byte keys with false', () => {
    const c = signing.cases[0]!;
    const { pub } = keys.get(c.supplier_key)!;
    const hash = fromHex(c.signable_hash);
    const sig = fromHex(c.signature);
    expect(verifySupplierHash(pub, hash, concatBytes(sig, new Uint8Array([1])))).toBe(false);
    expect(verifySupplierHash(pub, hash, sig.slice(0, 63))).toBe(false);
    expect(verifySupplierHash(pub, hash, concatBytes(new Uint8Array(32), sig.slice(32)))).toBe(false);
    expect(verifySupplierHash(pub, hash, concatBytes(sig.slice(0, 32), new Uint8Array(32)))).toBe(false);
    expect(verifySupplierHash(decompressPublicKey(pub), hash, sig)).toBe(false);
    expect(verifySupplierHash(pub, sha256(hash), sig)).toBe(false);
  });

  it('treats r or s equal to n (zero once reduced mod n) as invalid', () => {
    const c = signing.cases[0]!;
    const { pub } = keys.get(c.supplier_key)!;
    const sig = fromHex(c.signature);
    const n = bigintToBytes(SECP256K1_ORDER, 32);
    expect(verifySupplierHash(pub, fromHex(c.signable_hash), concatBytes(n, sig.slice(32)))).toBe(false);
    expect(verifySupplierHash(pub, fromHex(c.signable_hash), concatBytes(sig.slice(0, 32), n))).toBe(false);
  });

  it('signing rejects bad inputs with typed errors that never contain the key', () => {
    const priv = fromHex(signing.keys[0]!.private_key);
    expect(() => signSupplierHash(priv, new Uint8Array(31))).toThrow(InvalidArgumentError);
    expect(() => signSupplierHash(new Uint8Array(32), new Uint8Array(32))).toThrow(InvalidArgumentError);
    try {
      signSupplierHash(priv, new Uint8Array(33));
    } catch (e) {
      expect((e as Error).message).not.toContain(signing.keys[0]!.private_key);
    }
  });
});
