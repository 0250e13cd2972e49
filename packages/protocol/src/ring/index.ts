// Relay-request ring signatures (bLSAG over secp256k1), byte-exact with ring-go + go-dleq (decred).
export { RingSignatureError } from './ring-errors.js';
export type { RingSignatureErrorCode } from './ring-errors.js';
export { hashToScalar } from './hash-to-scalar.js';
export { hashToCurve, hashToCurveTrace } from './hash-to-curve.js';
export type { HashToCurveTrace } from './hash-to-curve.js';
export { encodeRingScalar, decodeRingScalar } from './scalar-codec.js';
export { decodeRingPoint, RING_IDENTITY_ENCODING_HEX } from './point-codec.js';
export { decodeRingSignature, encodeRingSignature } from './signature-codec.js';
export type { RingSignature, DecodedRingSignature } from './signature-codec.js';
export { signRing, deriveRingSignerKeys, RingSigner } from './sign.js';
export type { SignRingOptions, RingSignerKeys } from './sign.js';
export { verifyRingSignature, traceRingVerification } from './verify.js';
export type { RingVerifyOptions, RingVerificationStep, RingVerificationTrace } from './verify.js';
export type { RingArithmetic } from './ring-arithmetic.js';
export { createNobleRingArithmetic } from './noble-arithmetic.js';
export type { NobleRingArithmeticOptions, NobleRingPoint } from './noble-arithmetic.js';
export { createWasmRingArithmetic } from './wasm-arithmetic.js';
export type { WasmRingArithmeticOptions, WasmRingPoint } from './wasm-arithmetic.js';
export { RingVerifier, verifyRelayRingSignature } from './ring-verifier.js';
export type { RingVerifierOptions, RingVerifierStats, RelayRingVerdict, RelayRingFailure } from './ring-verifier.js';
export {
  ringAddressesForSession,
  RING_PLACEHOLDER_ADDRESS,
  RING_PLACEHOLDER_PUBLIC_KEY_HEX,
  RING_PLACEHOLDER_PRIVATE_KEY_HEX,
} from './ring-members.js';
export type { RingApplication } from './ring-members.js';
