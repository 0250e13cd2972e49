// Scalars mod the group order n, only as far as the comb needs them: read 32 big-endian bytes,
// reduce, and recode into the all-signed-bits form of comb.ts. 8 little-endian u32 words.

const N0: u32 = 0xd0364141;
const N1: u32 = 0xbfd25e8c;
const N2: u32 = 0xaf48a03b;
const N3: u32 = 0xbaaedce6;
const N4: u32 = 0xfffffffe;
const NF: u32 = 0xffffffff;

const NWORDS: usize = memory.data<u32>([N0, N1, N2, N3, N4, NF, NF, NF]);

/** Whether the 8-word value at k is >= n. */
function geN(k: usize): bool {
  for (let i: i32 = 7; i >= 0; i--) {
    const a = load<u32>(k + 4 * i), b = load<u32>(NWORDS + 4 * i);
    if (a != b) return a > b;
  }
  return true;
}

/** k -= n (mod 2^256). */
function subN(k: usize): void {
  let borrow: i64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const d = <i64>load<u32>(k + 4 * i) - <i64>load<u32>(NWORDS + 4 * i) + borrow;
    store<u32>(k + 4 * i, <u32>d);
    borrow = d >> 32;
  }
}

/** k += v; returns the carry out of bit 256. */
function addWords(k: usize, v: usize): u32 {
  let carry: u64 = 0;
  for (let i: usize = 0; i < 8; i++) {
    const s = <u64>load<u32>(k + 4 * i) + <u64>load<u32>(v + 4 * i) + carry;
    store<u32>(k + 4 * i, <u32>s);
    carry = s >> 32;
  }
  return <u32>carry;
}

/**
 * Reads 32 big-endian bytes at b into d as the comb digit source:
 *   d = (k + off) / 2 mod n   with k = bytes mod n (inputs >= n are reduced, not rejected)
 * where off = (2^N - 1) mod n is given by the caller for the comb width N. Then
 * sum_i (2 d_i - 1) 2^i over the N bits of d equals 2d - (2^N - 1) = k (mod n): every bit of d
 * stands for +2^i (set) or -2^i (clear), so no digit is ever zero.
 */
export function recodeScalar(d: usize, b: usize, off: usize): void {
  for (let i: usize = 0; i < 8; i++) store<u32>(d + 4 * i, bswap<u32>(load<u32>(b + 28 - 4 * i)));
  if (geN(d)) subN(d); // 2^256 < 2n: one subtraction reduces
  const carry = addWords(d, off);
  if (carry != 0 || geN(d)) subN(d); // both < n: the sum is < 2n
  // halve mod n: an odd value gets n added first (n is odd), carrying into bit 256
  let top: u32 = 0;
  if (load<u32>(d) & 1) top = addWords(d, NWORDS);
  for (let i: usize = 0; i < 7; i++) {
    store<u32>(d + 4 * i, (load<u32>(d + 4 * i) >>> 1) | (load<u32>(d + 4 * i + 4) << 31));
  }
  store<u32>(d + 28, (load<u32>(d + 28) >>> 1) | (top << 31));
}
