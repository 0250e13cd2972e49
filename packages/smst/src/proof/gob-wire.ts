/**
 * Go `encoding/gob` primitives (spec §10.1): variable-length uints, zig-zag ints, length-prefixed
 * byte strings. The reader is bounded by an explicit end so a message body can be read without
 * copying, and it never trusts a length before checking it against the bytes that remain.
 */
import { GobDecodeError } from '../errors.js';

export function gobFail(message: string): never {
  throw new GobDecodeError(`gob: ${message}`);
}

const MAX_UINT_BYTES = 8;

export class GobReader {
  private pos: number;

  constructor(
    private readonly buf: Uint8Array,
    start = 0,
    private readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get remaining(): number {
    return this.end - this.pos;
  }

  /**
   * Go accepts non-minimal encodings (e.g. FF 05 for 5), so only the byte count is checked: a
   * prefix byte announcing more than 8 bytes is an error, as is running out of input.
   */
  readUint(): bigint {
    if (this.pos >= this.end) gobFail('unexpected EOF');
    const first = this.buf[this.pos++]!;
    if (first < 0x80) return BigInt(first);
    const n = 256 - first;
    if (n > MAX_UINT_BYTES) gobFail('encoded unsigned integer out of range');
    if (this.remaining < n) gobFail(`invalid uint data length ${n}: exceeds input size ${this.remaining}`);
    let v = 0n;
    for (let i = 0; i < n; i++) v = (v << 8n) | BigInt(this.buf[this.pos++]!);
    return v;
  }

  /** Signed int64: the low bit of the uint selects complement. */
  readInt(): bigint {
    const u = this.readUint();
    return u & 1n ? -(u >> 1n) - 1n : u >> 1n;
  }

  /** A byte or element count that must fit in what is left of the current buffer. */
  readLength(what: string): number {
    const n = this.readUint();
    if (n > BigInt(this.remaining)) gobFail(`${what} length ${n} exceeds input size ${this.remaining}`);
    return Number(n);
  }

  /** A view of the next n bytes (n already checked by readLength). */
  take(n: number): Uint8Array {
    if (n > this.remaining) gobFail('unexpected EOF');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  skip(n: number): void {
    this.take(n);
  }

  /** A reader over the next n bytes, advancing this one past them. */
  sub(n: number): GobReader {
    const start = this.pos;
    this.take(n);
    return new GobReader(this.buf, start, start + n);
  }
}

export class GobWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  uint(value: bigint | number): this {
    if (typeof value === 'number' && value >= 0 && value < 0x80 && Number.isInteger(value)) {
      this.room(1);
      this.buf[this.len++] = value;
      return this;
    }
    let v = BigInt(value);
    if (v < 0n || v >= 1n << 64n) throw new RangeError(`uint ${v} out of range`);
    if (v < 0x80n) return this.uint(Number(v));
    const bytes: number[] = [];
    while (v > 0n) {
      bytes.unshift(Number(v & 0xffn));
      v >>= 8n;
    }
    this.room(1 + bytes.length);
    this.buf[this.len++] = 256 - bytes.length;
    for (const b of bytes) this.buf[this.len++] = b;
    return this;
  }

  int(value: bigint | number): this {
    const v = BigInt(value);
    if (v < -(1n << 63n) || v >= 1n << 63n) throw new RangeError(`int ${v} out of range`);
    return this.uint(v >= 0n ? v << 1n : ((-v - 1n) << 1n) | 1n);
  }

  bytes(b: Uint8Array): this {
    this.uint(b.length);
    return this.raw(b);
  }

  string(s: string): this {
    return this.bytes(new TextEncoder().encode(s));
  }

  raw(b: Uint8Array): this {
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }

  /** This writer's bytes as one gob message: uint(length) ‖ body. */
  asMessage(): Uint8Array {
    const body = this.finish();
    return new GobWriter().uint(body.length).raw(body).finish();
  }

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + n));
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }
}
