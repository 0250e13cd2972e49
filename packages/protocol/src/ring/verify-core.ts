/**
 * The bLSAG verification loop shared by the plain verifier, the caching RingVerifier and the
 * trace helper:  c = c0;  for each i: c = H_s(m ‖ enc(s_i·G + c·P_i) ‖ enc(s_i·H_p(P_i) + c·I));
 * valid iff the final c equals c0.
 */
import { POINT_LEN } from './curve.js';
import { hashToScalarOrNull } from './hash-to-scalar.js';
import type { RingArithmetic } from './ring-arithmetic.js';

export const MESSAGE_LEN = 32;
const CHALLENGE_INPUT_LEN = MESSAGE_LEN + 2 * POINT_LEN; // 98

/** Called after each step with the 98-byte challenge input and the challenge it produced. */
export type RingStepObserver = (index: number, cIn: bigint, challengeInput: Uint8Array, cOut: bigint | null) => void;

export function runRingLoop<P>(
  arith: RingArithmetic<P>,
  message: Uint8Array,
  c0: bigint,
  responses: readonly bigint[],
  members: readonly P[],
  hashPoints: readonly P[],
  keyImage: P,
  observe?: RingStepObserver,
): boolean {
  const input = new Uint8Array(CHALLENGE_INPUT_LEN);
  input.set(message, 0);
  const lr = input.subarray(MESSAGE_LEN);
  let c = c0;
  for (let i = 0; i < members.length; i++) {
    arith.step(responses[i]!, c, members[i]!, hashPoints[i]!, keyImage, lr);
    const next = hashToScalarOrNull(input);
    observe?.(i, c, input, next);
    if (next === null) return false; // Go panics on an overflowing left-aligned challenge
    c = next;
  }
  return c === c0;
}
