import { describe, expect, it } from 'vitest';
import { createHash, randomBytes } from 'node:crypto';
import { sha256, sha256Batch } from '../../pkg/smt_wasm.js';

const ref = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const hx = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('sha256', () => {
  it('matches node:crypto for every length 0..300 and a few KiB', () => {
    const lens = [...Array(301).keys(), 1000, 1023, 1024, 1025, 4096, 5000, 65536 + 7];
    for (const n of lens) {
      const m = new Uint8Array(randomBytes(n));
      expect(hx(sha256(m)), `len ${n}`).toBe(ref(m));
    }
  });

  it('batch (SIMD lanes + scalar leftovers) matches for sizes 1..13 with mixed lengths', () => {
    const special = [0, 55, 56, 63, 64, 119, 120, 127, 128, 113, 149, 300, 1025];
    for (let k = 1; k <= 13; k++) {
      for (let rep = 0; rep < 20; rep++) {
        const ms = Array.from({ length: k }, (_, i) =>
          new Uint8Array(randomBytes(rep === 0 ? special[(i + k) % special.length] : Math.floor(Math.random() * 400))),
        );
        const out = sha256Batch(ms);
        expect(out.length).toBe(32 * k);
        ms.forEach((m, i) => expect(hx(out.subarray(i * 32, i * 32 + 32)), `batch ${k} item ${i} len ${m.length}`).toBe(ref(m)));
      }
    }
  });

  it('batch of equal-length messages and empty batch', () => {
    for (const n of [0, 64, 113, 2048]) {
      const ms = Array.from({ length: 9 }, () => new Uint8Array(randomBytes(n)));
      const out = sha256Batch(ms);
      ms.forEach((m, i) => expect(hx(out.subarray(i * 32, i * 32 + 32))).toBe(ref(m)));
    }
    expect(sha256Batch([]).length).toBe(0);
  });

  it('rejects non-bytes', () => {
    expect(() => sha256('abc' as any)).toThrow(TypeError);
    expect(() => sha256Batch([new Uint8Array(1), 5 as any])).toThrow(TypeError);
  });
});
