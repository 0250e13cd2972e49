import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { fromHex, toHex } from '../../src/bytes.js';
import { goStringFromBytes, goStringToBytes } from '../../src/wire/index.js';

const decode = (b: Uint8Array) => goStringFromBytes(b, 0, b.length);

describe('Go strings: any bytes survive decode and re-encode', () => {
  test('every byte string round-trips exactly', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (b) => {
        expect(toHex(goStringToBytes(decode(b)))).toBe(toHex(b));
      }),
      { numRuns: 3000 },
    );
  });

  test('byte strings dense in UTF-8 edge cases round-trip exactly', () => {
    const edgy = fc.constantFrom(0x00, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0, 0x8f, 0x90);
    fc.assert(
      fc.property(fc.array(edgy, { maxLength: 40 }), (arr) => {
        const b = Uint8Array.from(arr);
        expect(toHex(goStringToBytes(decode(b)))).toBe(toHex(b));
      }),
      { numRuns: 3000 },
    );
  });

  test('valid UTF-8 decodes to the ordinary string (the same as TextDecoder)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (s) => {
        const b = new TextEncoder().encode(s);
        expect(decode(b)).toBe(s);
        expect(toHex(goStringToBytes(s))).toBe(toHex(b));
      }),
      { numRuns: 2000 },
    );
  });

  test('invalid bytes become U+DC00 + byte; a BOM is kept', () => {
    expect(decode(fromHex('61ff62'))).toBe('a\udcffb');
    expect(decode(fromHex('eda080'))).toBe('\udced\udca0\udc80'); // an encoded surrogate is not UTF-8
    expect(decode(fromHex('c0af'))).toBe('\udcc0\udcaf'); // overlong
    expect(decode(fromHex('efbbbf61'))).toBe('\ufeffa');
    expect(decode(new Uint8Array(100).fill(0x41))).toBe('A'.repeat(100));
  });

  test('lone surrogates built in JS (not escapes) encode as U+FFFD, like TextEncoder', () => {
    expect(toHex(goStringToBytes('\ud800x'))).toBe('efbfbd78');
    expect(toHex(goStringToBytes('\udc00'))).toBe('efbfbd');
    expect(toHex(goStringToBytes('\u{1F600}'))).toBe('f09f9880');
  });
});
