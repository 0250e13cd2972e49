import { ProtocolError } from '../errors.js';

/**
 * Machine-readable reasons a ring signature (or one of its fields) is refused.
 * The decoder codes follow the order in which ring-go's Deserialize gives up.
 */
export type RingSignatureErrorCode =
  | 'ring_missing_size' // fewer than 4 bytes: no ring-size header (Go panics)
  | 'ring_empty' // ring size 0 (Go decodes it, then panics in Verify)
  | 'ring_too_short' // total length < 33 * ring size
  | 'ring_invalid_scalar' // a scalar slot does not hold 32 bytes
  | 'ring_invalid_point' // a point slot is short, has a bad prefix, x >= p, or x is not on the curve
  | 'ring_hash_to_scalar_overflow' // the left-aligned challenge is >= n (Go panics; ~2^-128)
  | 'ring_hash_to_curve_failed'; // no curve point within 128 rehashes (Go returns nil; never seen)

/** A ring signature, or one of its encoded parts, that Go's ring-go/go-dleq would not accept. */
export class RingSignatureError extends ProtocolError {
  declare readonly code: RingSignatureErrorCode;
  constructor(code: RingSignatureErrorCode, message: string) {
    super(code, message);
  }
}
