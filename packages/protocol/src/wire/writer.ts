/**
 * A growable output buffer written front to back in one pass. A length-delimited field reserves one byte
 * for its length and, if the body turns out to be 128 bytes or longer, slides the body right to make room
 * for the longer varint: cheaper than gogoproto's separate size pass for the small messages we hash.
 */
import { goStringMaxBytes, writeGoString } from './go-string.js';

export class WireWriter {
  private buf = new Uint8Array(512);
  private pos = 0;

  /** Empties the buffer for reuse; a buffer grown past 1 MiB by one large message is let go. */
  reset(): void {
    this.pos = 0;
    if (this.buf.length > 1 << 20) this.buf = new Uint8Array(512);
  }

  private ensure(extra: number): void {
    if (this.pos + extra <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + extra) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  raw(bytes: Uint8Array): void {
    this.ensure(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** 0 <= n <= 2^53 - 1. */
  varint(n: number): void {
    this.ensure(10);
    while (n > 0x7f) {
      this.buf[this.pos++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[this.pos++] = n;
  }

  /** Any 64-bit pattern: callers pass BigInt.asUintN(64, v) for signed values. */
  varint64(n: bigint): void {
    if (n <= 0x1fffffffffffffn) {
      this.varint(Number(n));
      return;
    }
    this.ensure(10);
    let lo = Number(n & 0xffffffffn);
    let hi = Number(n >> 32n);
    while (hi > 0 || lo > 0x7f) {
      this.buf[this.pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    this.buf[this.pos++] = lo;
  }

  double(v: number): void {
    this.ensure(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, v, true);
    this.pos += 8;
  }

  /** Reserves the length byte of a length-delimited body; pass the result to `endLength`. */
  beginLength(): number {
    this.ensure(1);
    return this.pos++;
  }

  endLength(mark: number): void {
    const len = this.pos - mark - 1;
    if (len < 0x80) {
      this.buf[mark] = len;
      return;
    }
    let extra = 0;
    for (let n = len; n > 0x7f; n = Math.floor(n / 0x80)) extra++;
    this.ensure(extra);
    this.buf.copyWithin(mark + 1 + extra, mark + 1, this.pos);
    this.pos += extra;
    let n = len;
    let at = mark;
    while (n > 0x7f) {
      this.buf[at++] = (n % 0x80) | 0x80;
      n = Math.floor(n / 0x80);
    }
    this.buf[at] = n;
  }

  /** A length-prefixed byte string. */
  lengthDelimited(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.raw(bytes);
  }

  /** A length-prefixed Go string (see go-string.ts). */
  goString(s: string): void {
    this.ensure(goStringMaxBytes(s) + 1);
    const mark = this.pos++;
    this.pos = writeGoString(s, this.buf, this.pos);
    this.endLength(mark);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}
