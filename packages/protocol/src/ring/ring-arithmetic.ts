/**
 * The curve arithmetic a bLSAG verification step needs, behind an interface small enough for a
 * WASM backend to implement with "register a base point, get a handle" semantics.
 *
 * Per ring member i a verifier computes, with public scalars only:
 *   L = s·G + c·P_i        R = s·H_p(P_i) + c·I
 * G is fixed, and for a relay miner P_i, H_p(P_i) and the key image I repeat for a whole session,
 * so a backend may precompute tables for points it sees often. Caching must never change results.
 *
 * A handle-based WASM backend maps onto it directly, e.g. for `secp-wasm`:
 *   preparePoint: (enc) => { const h = wasm.addBase(enc); return h < 0 ? null : h; }
 *   releasePoint: (h) => wasm.releaseBase(h)
 *   step: (s, c, P, H, I, out) => wasm.step(encodeRingScalar(s), encodeRingScalar(c), P, H, I, out)
 * Callers (RingVerifier) guarantee a handle is not released while a call may still use it, and
 * compute H_p themselves (it is hashing, not curve arithmetic), registering the result as a point.
 * The vectors' verification traces (L, R per step) are the conformance test for a backend.
 */
export interface RingArithmetic<P = unknown> {
  /** Short name for logs and benchmarks. */
  readonly name: string;
  /**
   * Registers a point given as 33 bytes. Must apply go-dleq's decoder rules (prefix 02/03, x < p,
   * x on the curve) and return null for anything Go would refuse. The handle stays valid until
   * passed to releasePoint.
   */
  preparePoint(enc33: Uint8Array): P | null;
  /** Frees whatever preparePoint allocated (a WASM table slot). The handle is dead afterwards. */
  releasePoint(point: P): void;
  /**
   * Writes enc(s·G + c·P) into out[0..33) and enc(s·H + c·I) into out[33..66).
   * s and c are in [0, n) and may be 0. The point at infinity is encoded as 02‖00×32, which is
   * what Go hashes when an intermediate L or R is the identity.
   */
  step(s: bigint, c: bigint, P: P, H: P, I: P, out: Uint8Array): void;
}
