import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { P_FIELD, be32, hex } from './helpers.js';

// The safegcd inversion (assembly/modinv.ts) is reached through the module's test hook
// debugInvert, on a bare instance (the engine's glue does not expose it).
const ex = new WebAssembly.Instance(
  new WebAssembly.Module(readFileSync(new URL('../../pkg/secp_wasm_bg.wasm', import.meta.url))),
  { env: { abort: () => { throw new Error('abort'); } } },
).exports as { memory: WebAssembly.Memory; io(): number; debugInvert(): number };

function modpow(b: bigint, e: bigint, m: bigint): bigint {
  let r = 1n;
  b %= m;
  for (; e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}

function invert(x: bigint): { flag: number; safegcd: string; fermat: string } {
  const io = ex.io();
  const mem = new Uint8Array(ex.memory.buffer);
  mem.set(be32(x), io);
  const flag = ex.debugInvert();
  return { flag, safegcd: hex(mem.subarray(io + 64, io + 96)), fermat: hex(mem.subarray(io + 96, io + 128)) };
}

describe('field inversion', () => {
  it('safegcd and Fermat agree with x^(p-2) on edge values', () => {
    const edges = [
      0n, 1n, 2n, 3n, P_FIELD - 1n, P_FIELD - 2n, (P_FIELD - 1n) / 2n, (P_FIELD + 1n) / 2n, 2n ** 255n,
      2n ** 128n, 2n ** 128n - 1n, 2n ** 32n + 977n, 2n ** 30n, 2n ** 30n - 1n, 2n ** 240n, P_FIELD - 2n ** 224n,
    ];
    for (const x of edges) {
      const want = hex(be32(modpow(x, P_FIELD - 2n, P_FIELD)));
      const got = invert(x);
      expect(got, `x=${x.toString(16)}`).toEqual({ flag: 1, safegcd: want, fermat: want });
    }
    expect(invert(P_FIELD).flag).toBe(0);
  });

  it('safegcd agrees with the Fermat chain on 20000 random values (and x·(1/x) = 1 on some)', () => {
    for (let i = 0; i < 20000; i++) {
      // mostly full-size values, some short ones (fewer divsteps, different batch counts)
      const bytes = i % 4 === 3 ? (i % 31) + 1 : 32;
      const x = BigInt('0x' + hex(randomBytes(bytes))) % P_FIELD;
      const got = invert(x);
      expect(got.flag).toBe(1);
      expect(got.safegcd, `x=${x.toString(16)}`).toBe(got.fermat);
      if (i % 500 === 0 && x !== 0n) expect((x * BigInt('0x' + got.safegcd)) % P_FIELD).toBe(1n);
    }
  });
});
