/**
 * Go strings are byte strings: gogoproto copies string fields without checking UTF-8, and re-encodes the
 * same bytes. A signature or hash over a re-encoding therefore covers the exact bytes received. To keep
 * that property with JS strings we decode losslessly: valid UTF-8 decodes normally, and every byte that
 * is not part of a valid sequence becomes the lone surrogate U+DC00 + byte ("surrogate escape", as in
 * Python's PEP 383). Valid UTF-8 never yields a lone surrogate, so the escape is unambiguous and
 * `goStringToBytes(goStringFromBytes(b))` is always `b`.
 *
 * Encoding of strings built in JS: lone surrogates other than those escapes become U+FFFD, as
 * TextEncoder does.
 */

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export function goStringFromBytes(buf: Uint8Array, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (buf[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) {
    if (end - start <= 64) {
      let s = '';
      for (let i = start; i < end; i++) s += String.fromCharCode(buf[i]!);
      return s;
    }
    return fatalUtf8.decode(buf.subarray(start, end));
  }
  try {
    return fatalUtf8.decode(buf.subarray(start, end));
  } catch {
    return decodeWithEscapes(buf, start, end);
  }
}

function continuation(b: number | undefined): boolean {
  return b !== undefined && (b & 0xc0) === 0x80;
}

function decodeWithEscapes(buf: Uint8Array, start: number, end: number): string {
  const units: number[] = [];
  let i = start;
  while (i < end) {
    const b0 = buf[i]!;
    if (b0 < 0x80) {
      units.push(b0);
      i++;
      continue;
    }
    const b1 = i + 1 < end ? buf[i + 1] : undefined;
    const b2 = i + 2 < end ? buf[i + 2] : undefined;
    const b3 = i + 3 < end ? buf[i + 3] : undefined;
    let cp = -1;
    let len = 0;
    if (b0 >= 0xc2 && b0 <= 0xdf && continuation(b1)) {
      cp = ((b0 & 0x1f) << 6) | (b1! & 0x3f);
      len = 2;
    } else if (b0 >= 0xe0 && b0 <= 0xef && continuation(b1) && continuation(b2)) {
      // Excludes overlong forms (E0 80..9F) and UTF-16 surrogates (ED A0..BF).
      const ok = b0 === 0xe0 ? b1! >= 0xa0 : b0 === 0xed ? b1! <= 0x9f : true;
      if (ok) {
        cp = ((b0 & 0x0f) << 12) | ((b1! & 0x3f) << 6) | (b2! & 0x3f);
        len = 3;
      }
    } else if (b0 >= 0xf0 && b0 <= 0xf4 && continuation(b1) && continuation(b2) && continuation(b3)) {
      // Excludes overlong forms (F0 80..8F) and code points above U+10FFFF (F4 90..).
      const ok = b0 === 0xf0 ? b1! >= 0x90 : b0 === 0xf4 ? b1! <= 0x8f : true;
      if (ok) {
        cp = ((b0 & 0x07) << 18) | ((b1! & 0x3f) << 12) | ((b2! & 0x3f) << 6) | (b3! & 0x3f);
        len = 4;
      }
    }
    if (cp < 0) {
      units.push(0xdc00 + b0);
      i++;
    } else if (cp >= 0x10000) {
      units.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff));
      i += len;
    } else {
      units.push(cp);
      i += len;
    }
  }
  let s = '';
  for (let k = 0; k < units.length; k += 4096) s += String.fromCharCode(...units.slice(k, k + 4096));
  return s;
}

/** Upper bound of the encoded length, for sizing a buffer before `writeGoString`. */
export function goStringMaxBytes(s: string): number {
  return s.length * 3;
}

/** Writes the bytes of `s` at `pos` (room for goStringMaxBytes(s) is required); returns the end position. */
export function writeGoString(s: string, out: Uint8Array, pos: number): number {
  for (let i = 0; i < s.length; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x80) {
      out[pos++] = c;
    } else if (c < 0x800) {
      out[pos++] = 0xc0 | (c >> 6);
      out[pos++] = 0x80 | (c & 0x3f);
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const next = i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[pos++] = 0xf0 | (cp >> 18);
        out[pos++] = 0x80 | ((cp >> 12) & 0x3f);
        out[pos++] = 0x80 | ((cp >> 6) & 0x3f);
        out[pos++] = 0x80 | (cp & 0x3f);
        i++;
      } else if (c >= 0xdc80 && c <= 0xdcff) {
        out[pos++] = c - 0xdc00; // an escaped raw byte
      } else {
        c = 0xfffd;
        out[pos++] = 0xe0 | (c >> 12);
        out[pos++] = 0x80 | ((c >> 6) & 0x3f);
        out[pos++] = 0x80 | (c & 0x3f);
      }
    } else {
      out[pos++] = 0xe0 | (c >> 12);
      out[pos++] = 0x80 | ((c >> 6) & 0x3f);
      out[pos++] = 0x80 | (c & 0x3f);
    }
  }
  return pos;
}

/** The exact bytes Go would hold for a string decoded by goStringFromBytes (or built in JS). */
export function goStringToBytes(s: string): Uint8Array {
  const out = new Uint8Array(goStringMaxBytes(s));
  return out.slice(0, writeGoString(s, out, 0));
}
