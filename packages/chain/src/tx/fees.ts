/** Gas limit and fee arithmetic, exact in bigint so fees never drift by float rounding. */
import type { FixedCoin, GasPrice } from '../config.js';

/**
 * gas limit = ceil(simulated × adjustment). The adjustment is applied once; the Go miner applies it twice
 * (chain.md §3.1), which only over-pays. The adjustment is turned into a fraction with 6 decimals.
 */
export function adjustedGasLimit(gasUsed: bigint, adjustment: number): bigint {
  const scale = 1_000_000n;
  const factor = BigInt(Math.round(adjustment * 1_000_000));
  const limit = (gasUsed * factor + scale - 1n) / scale;
  return limit > 0n ? limit : 1n;
}

/** fee = ceil(gasLimit × price), or the fixed fee when configured. */
export function feeFor(gasLimit: bigint, price: GasPrice, fixed?: FixedCoin): { denom: string; amount: string } {
  if (fixed) return { denom: fixed.denom, amount: fixed.amount.toString() };
  const amount = (gasLimit * price.numerator + price.denominator - 1n) / price.denominator;
  return { denom: price.denom, amount: amount.toString() };
}
