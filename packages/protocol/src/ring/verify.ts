/**
 * One-shot verification with ring-go's verdicts: decode as Deserialize does, then run Verify.
 * Nothing is cached between calls; see RingVerifier for the relay-miner path.
 */
import { POINT_LEN } from './curve.js';
import { hashToCurveAffine } from './hash-to-curve.js';
import { createNobleRingArithmetic } from './noble-arithmetic.js';
import { compressAffine } from './point-codec.js';
import type { RingArithmetic } from './ring-arithmetic.js';
import { RingSignatureError } from './ring-errors.js';
import { readRingSignature } from './signature-codec.js';
import { MESSAGE_LEN, runRingLoop, type RingStepObserver } from './verify-core.js';

export interface RingVerifyOptions {
  /** Curve backend; defaults to the @noble/curves one. */
  arithmetic?: RingArithmetic;
}

const defaultArithmetic: RingArithmetic = createNobleRingArithmetic();

interface SlotPoint {
  enc: Uint8Array;
  point: unknown;
}

/** Decodes and runs the loop; a RingSignatureError means Go would refuse (or crash) before a verdict. */
function verifyWith(
  arith: RingArithmetic,
  message: Uint8Array,
  sig: Uint8Array,
  observe?: RingStepObserver,
): boolean | RingSignatureError {
  const prepared: unknown[] = [];
  try {
    const layout = readRingSignature<SlotPoint>(sig, (slot) => {
      const point = arith.preparePoint(slot);
      if (point === null) return 'invalid public key';
      prepared.push(point);
      return { enc: slot, point };
    });
    if (layout instanceof RingSignatureError) return layout;
    const hashPoints: unknown[] = [];
    for (const member of layout.ring) {
      const h = hashToCurveAffine(member.enc);
      const hp = h === null ? null : arith.preparePoint(compressAffine(h));
      if (hp === null) return new RingSignatureError('ring_hash_to_curve_failed', 'hash-to-curve found no point');
      prepared.push(hp);
      hashPoints.push(hp);
    }
    return runRingLoop(
      arith,
      message,
      layout.c0,
      layout.responses,
      layout.ring.map((m) => m.point),
      hashPoints,
      layout.keyImage.point,
      observe,
    );
  } finally {
    for (const p of prepared) arith.releasePoint(p);
  }
}

function isBytes(v: unknown, len?: number): v is Uint8Array {
  return v instanceof Uint8Array && (len === undefined || v.length === len);
}

/**
 * ring-go's Deserialize + Verify over a 32-byte message. Returns false for anything Go rejects,
 * including inputs on which Go panics; never throws.
 */
export function verifyRingSignature(message32: Uint8Array, sigBytes: Uint8Array, opts?: RingVerifyOptions): boolean {
  try {
    if (!isBytes(message32, MESSAGE_LEN) || !isBytes(sigBytes)) return false;
    return verifyWith(opts?.arithmetic ?? defaultArithmetic, message32, sigBytes) === true;
  } catch {
    return false;
  }
}

export interface RingVerificationStep {
  ringIndex: number;
  /** c entering the step. */
  c: bigint;
  /** The 33-byte L and R as hashed (identity as 02‖00×32). */
  L: Uint8Array;
  R: Uint8Array;
  /** m ‖ L ‖ R, the 98 bytes fed to H_s. */
  challengeInput: Uint8Array;
  /** The challenge produced; null when the left-aligned value overflowed (Go panics). */
  nextC: bigint | null;
}

export interface RingVerificationTrace {
  steps: RingVerificationStep[];
  /** True when the final challenge equals c0, i.e. the signature verifies. */
  closes: boolean;
}

/** Runs verification and records every intermediate value, for comparing with Go traces. */
export function traceRingVerification(message32: Uint8Array, sigBytes: Uint8Array): RingVerificationTrace | RingSignatureError {
  if (!isBytes(message32, MESSAGE_LEN) || !isBytes(sigBytes)) {
    return new RingSignatureError('ring_missing_size', 'message must be 32 bytes and the signature a Uint8Array');
  }
  const steps: RingVerificationStep[] = [];
  const result = verifyWith(defaultArithmetic, message32, sigBytes, (ringIndex, c, input, nextC) => {
    steps.push({
      ringIndex,
      c,
      L: input.slice(MESSAGE_LEN, MESSAGE_LEN + POINT_LEN),
      R: input.slice(MESSAGE_LEN + POINT_LEN),
      challengeInput: input.slice(),
      nextC,
    });
  });
  if (result instanceof RingSignatureError) return result;
  return { steps, closes: result };
}
