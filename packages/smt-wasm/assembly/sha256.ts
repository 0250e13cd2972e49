// Scalar SHA-256 (FIPS 180-4). Used for single messages and for the leftovers of a batch
// that do not fill the four SIMD lanes.

export const K256: usize = memory.data<u32>([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

export const IV256: usize = memory.data<u32>([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);

const W: usize = memory.data(64 * 4);
const STATE: usize = memory.data(8 * 4);
const TAIL: usize = memory.data(128);

function compress(block: usize): void {
  for (let t: usize = 0; t < 16; t++) {
    store<u32>(W + (t << 2), bswap<u32>(load<u32>(block + (t << 2))));
  }
  for (let t: usize = 16; t < 64; t++) {
    const w15 = load<u32>(W + ((t - 15) << 2));
    const w2 = load<u32>(W + ((t - 2) << 2));
    const s0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    store<u32>(W + (t << 2), load<u32>(W + ((t - 16) << 2)) + s0 + load<u32>(W + ((t - 7) << 2)) + s1);
  }
  let a = load<u32>(STATE, 0), b = load<u32>(STATE, 4), c = load<u32>(STATE, 8), d = load<u32>(STATE, 12);
  let e = load<u32>(STATE, 16), f = load<u32>(STATE, 20), g = load<u32>(STATE, 24), h = load<u32>(STATE, 28);
  for (let t: usize = 0; t < 64; t++) {
    const S1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const ch = (e & f) ^ (~e & g);
    const t1 = h + S1 + ch + load<u32>(K256 + (t << 2)) + load<u32>(W + (t << 2));
    const S0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const maj = (a & b) ^ (a & c) ^ (b & c);
    const t2 = S0 + maj;
    h = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  store<u32>(STATE, load<u32>(STATE, 0) + a, 0);
  store<u32>(STATE, load<u32>(STATE, 4) + b, 4);
  store<u32>(STATE, load<u32>(STATE, 8) + c, 8);
  store<u32>(STATE, load<u32>(STATE, 12) + d, 12);
  store<u32>(STATE, load<u32>(STATE, 16) + e, 16);
  store<u32>(STATE, load<u32>(STATE, 20) + f, 20);
  store<u32>(STATE, load<u32>(STATE, 24) + g, 24);
  store<u32>(STATE, load<u32>(STATE, 28) + h, 28);
}

/**
 * Writes the padded final block(s) of a message of `len` bytes whose last `len & 63` bytes
 * start at `rest` into `dst` (128 bytes available); returns how many blocks were written.
 */
export function padTail(dst: usize, rest: usize, len: usize): usize {
  const r = len & 63;
  const blocks: usize = r < 56 ? 1 : 2;
  // v128 stores instead of memory.fill/memory.copy (out-of-line calls in V8): this runs once
  // per hashed message
  const z = i64x2.splat(0);
  v128.store(dst, z);
  v128.store(dst, z, 16);
  v128.store(dst, z, 32);
  v128.store(dst, z, 48);
  if (blocks == 2) {
    v128.store(dst, z, 64);
    v128.store(dst, z, 80);
    v128.store(dst, z, 96);
    v128.store(dst, z, 112);
  }
  if (r >= 16) {
    let i: usize = 0;
    for (; i + 16 <= r; i += 16) v128.store(dst + i, v128.load(rest + i));
    if (i < r) v128.store(dst + r - 16, v128.load(rest + r - 16));
  } else {
    for (let i: usize = 0; i < r; i++) store<u8>(dst + i, load<u8>(rest + i));
  }
  store<u8>(dst + r, 0x80);
  store<u64>(dst + (blocks << 6) - 8, bswap<u64>(<u64>len << 3));
  return blocks;
}

/** out[0..32] = SHA-256(msg[0..len]). `out` may overlap `msg`. */
export function sha256(msg: usize, len: usize, out: usize): void {
  v128.store(STATE, v128.load(IV256));
  v128.store(STATE, v128.load(IV256, 16), 16);
  const full = len >>> 6;
  for (let i: usize = 0; i < full; i++) compress(msg + (i << 6));
  const tb = padTail(TAIL, msg + (full << 6), len);
  compress(TAIL);
  if (tb == 2) compress(TAIL + 64);
  for (let i: usize = 0; i < 8; i++) {
    store<u32>(out + (i << 2), bswap<u32>(load<u32>(STATE + (i << 2))));
  }
}
