/**
 * secp-wasm: secp256k1 multi-scalar multiplication over fixed bases in AssemblyScript/WASM, for
 * verifying bLSAG ring signatures. Not constant-time: for public data (verification) only.
 */

export interface SecpRingEngineOptions {
  /**
   * Comb teeth T (2..10): each table block holds 2^(T−1) points and one addition consumes T
   * scalar bits. Default 8.
   */
  teeth?: number;
  /**
   * Comb spacing S (1..32): more spacing means fewer blocks (smaller tables) and S−1 shared
   * doublings per multiplication. Default 8.
   */
  spacing?: number;
}

export declare class SecpRingEngine {
  /** Handle of the generator G: always present, never released. */
  static readonly G: 0;
  readonly teeth: number;
  readonly spacing: number;
  /** Comb blocks: ceil(256 / (teeth · spacing)). */
  readonly blocks: number;
  /** Table bytes per base: blocks · 2^(teeth−1) · 64. */
  readonly bytesPerBase: number;

  constructor(opts?: SecpRingEngineOptions);

  /**
   * Validates a 33-byte SEC1 compressed point (prefix 02/03, x < p, x³ + 7 a square) and builds
   * its table. Returns a handle, or −1 when the bytes are not a valid point (any other length
   * included). Adding a point that is already present returns its handle with one more
   * reference. Throws TypeError for a non-Uint8Array, RangeError when memory cannot grow.
   */
  addBase(compressed33: Uint8Array): number;

  /** Drops one reference; the last one returns the table to the pool. No-op for G. */
  releaseBase(handle: number): void;

  /**
   * out66 = enc(s·G + c·P) ‖ enc(s·H + c·I), enc = 33-byte SEC1 compressed point, infinity as
   * 02 followed by 32 zero bytes. s32 and c32 are 32-byte big-endian scalars; values ≥ n are
   * reduced mod n. Returns out66.
   */
  step(s32: Uint8Array, c32: Uint8Array, hP: number, hH: number, hI: number, out66: Uint8Array): Uint8Array;

  /** out33 = enc(a·A + b·B) (same encoding and scalar rules as step). Returns out33. */
  lincomb(a32: Uint8Array, hA: number, b32: Uint8Array, hB: number, out33: Uint8Array): Uint8Array;

  /** Distinct live bases (G included). */
  baseCount(): number;

  /** Bytes of linear memory of this engine (grows, never shrinks; released tables are reused). */
  memoryBytes(): number;

  /** Drops the WASM instance; every later call throws. */
  dispose(): void;
}
