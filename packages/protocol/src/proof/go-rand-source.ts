/**
 * A bit-exact port of Go's legacy math/rand source (`rand.NewSource`): an additive lagged
 * Fibonacci generator (length 607, tap 273) seeded through a Park–Miller LCG and the cooked
 * table. The chain samples proof requirements with it, so any deviation here means proving
 * claims the chain does not ask for, or missing proofs it does (and being slashed).
 */
import { assertInt64 } from '../session/integer-checks.js';
import { GO_RAND_COOKED } from './go-rand-cooked.js';

const RNG_LEN = 607;
const RNG_TAP = 273;
const INT32_MAX = 2147483647; // 2^31 − 1, the LCG modulus
const INT32_MAX_BIG = 2147483647n;
const INT63_MASK = (1n << 63n) - 1n;
const TWO_POW_63 = 2 ** 63;
// Go replaces a seed that reduces to 0 (which would make the LCG stick at 0) by this constant.
const ZERO_SEED_REPLACEMENT = 89482311n;

/** x → 48271·x mod (2^31 − 1) via Schrage's method, exactly as Go's int32 code computes it. */
function seedrand(x: number): number {
  const hi = Math.trunc(x / 44488);
  const lo = x % 44488;
  const next = 48271 * lo - 3399 * hi;
  return next < 0 ? next + INT32_MAX : next;
}

export class GoRandSource {
  private tap = 0;
  private feed = RNG_LEN - RNG_TAP;
  // BigInt64Array stores modulo 2^64, which is exactly Go's int64 wrap-around.
  private readonly vec = new BigInt64Array(RNG_LEN);

  constructor(seed: bigint) {
    this.seed(seed);
  }

  /** Re-seeds the source (Go's `Seed`): the seed is reduced mod 2^31 − 1 with Go's signed %. */
  seed(seed: bigint): void {
    assertInt64('math/rand seed', seed);
    this.tap = 0;
    this.feed = RNG_LEN - RNG_TAP;
    let s = seed % INT32_MAX_BIG;
    if (s < 0n) s += INT32_MAX_BIG;
    if (s === 0n) s = ZERO_SEED_REPLACEMENT;
    let x = Number(s);
    for (let i = -20; i < RNG_LEN; i++) {
      x = seedrand(x);
      if (i >= 0) {
        let u = BigInt(x) << 40n;
        x = seedrand(x);
        u ^= BigInt(x) << 20n;
        x = seedrand(x);
        u ^= BigInt(x);
        u ^= GO_RAND_COOKED[i]!;
        this.vec[i] = u;
      }
    }
  }

  /** Go's `Uint64`: the next full 64-bit output. */
  uint64(): bigint {
    this.tap = this.tap === 0 ? RNG_LEN - 1 : this.tap - 1;
    this.feed = this.feed === 0 ? RNG_LEN - 1 : this.feed - 1;
    this.vec[this.feed] = this.vec[this.feed]! + this.vec[this.tap]!;
    return BigInt.asUintN(64, this.vec[this.feed]!);
  }

  /** Go's `Int63`: a non-negative 63-bit value. */
  int63(): bigint {
    return this.uint64() & INT63_MASK;
  }

  /**
   * Go's `Rand.Float64` on this source: Int63 / 2^63, drawn again in the (practically unreachable)
   * case where the conversion rounds up to exactly 1.
   */
  float64(): number {
    for (;;) {
      // Number(bigint) rounds to nearest-even like Go's float64(int64) conversion.
      const f = Number(this.int63()) / TWO_POW_63;
      if (f !== 1) return f;
    }
  }
}
