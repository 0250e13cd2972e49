/** Parsing of the coin strings used in genesis and params ("1000upokt", "0.000001upokt"). */

export const DENOM = 'upokt';

const COIN_RE = /^([0-9]+)([a-zA-Z][a-zA-Z0-9/:._-]{1,127})$/;
const DEC_COIN_RE = /^([0-9]+)(?:\.([0-9]+))?([a-zA-Z][a-zA-Z0-9/:._-]{1,127})$/;

export interface Coin {
  denom: string;
  amount: bigint;
}

/** An exact decimal price as a fraction, so ceil(gas × price) is computed without floating point. */
export interface DecPrice {
  denom: string;
  num: bigint;
  den: bigint;
}

export function parseCoin(text: string): Coin | undefined {
  const m = COIN_RE.exec(text.trim());
  if (!m) return undefined;
  return { amount: BigInt(m[1]!), denom: m[2]! };
}

export function parseDecPrice(text: string): DecPrice | undefined {
  const m = DEC_COIN_RE.exec(text.trim());
  if (!m) return undefined;
  const frac = m[2] ?? '';
  return { num: BigInt(m[1]! + frac), den: 10n ** BigInt(frac.length), denom: m[3]! };
}

/** ceil(gasLimit × price): the minimum fee the mempool accepts. */
export function requiredFee(gasLimit: bigint, price: DecPrice): bigint {
  const p = gasLimit * price.num;
  return (p + price.den - 1n) / price.den;
}

export function formatCoin(amount: bigint, denom = DENOM): string {
  return `${amount}${denom}`;
}

export function coinJson(amount: bigint, denom = DENOM): { denom: string; amount: string } {
  return { denom, amount: amount.toString() };
}
