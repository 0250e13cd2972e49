export {
  SECP256K1_ORDER,
  assertSecp256k1PrivateKey,
  publicKeyFromPrivateKey,
  uncompressedPublicKeyFromPrivateKey,
  compressPublicKey,
  decompressPublicKey,
  isValidSecp256k1PublicKey,
} from './secp256k1-keys.js';
export {
  POKT_ACCOUNT_HRP,
  POKT_VALOPER_HRP,
  InvalidAddressError,
  addressBytesFromPublicKey,
  encodeBech32Address,
  addressFromPublicKey,
  addressFromPrivateKey,
  decodeBech32Address,
  isValidBech32Address,
} from './address.js';
export { signSupplierHash, signSupplierHashWith, signSupplierHashWithDetails, verifySupplierHash, verifySupplierHashWith } from './supplier-signature.js';
export { supplierSignatureBackend } from './native-secp256k1.js';
export type { SupplierSignatureDetails } from './supplier-signature.js';
