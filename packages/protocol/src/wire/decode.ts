/**
 * Decoding that accepts and rejects exactly what Go's gogoproto-generated Unmarshal() does, and builds the
 * same value (protocol.md §1.1):
 *   - varints of at most 10 bytes (bits past 64 are dropped); the tag's field number is int32(wire >> 3);
 *   - known field with another wire type → error; field number <= 0 or a top-level end-group → error;
 *   - unknown fields are skipped (groups nest, their end tags are not matched) and dropped;
 *   - a repeated singular scalar: the last one wins; a repeated singular message: merged into the first;
 *   - bytes present with length 0 stay "present" where the TS type can say so (proto3 `optional`);
 *   - strings are kept byte-exact (go-string.ts).
 * Every failure is a WireDecodeError carrying the offset in the caller's input.
 */
import { WireDecodeError, type WireDecodeReason } from './errors.js';
import { goStringFromBytes } from './go-string.js';
import { compiledMessage, scalarZero, type CompiledField, type CompiledMessage, type WireScalarKind } from './schema.js';

const TWO_32 = 0x100000000;

class Reader {
  pos: number;
  /** The 64-bit value of the last varint, split in two unsigned 32-bit halves. */
  lo = 0;
  hi = 0;

  constructor(
    readonly buf: Uint8Array,
    start: number,
    readonly topType: string,
  ) {
    this.pos = start;
  }

  fail(reason: WireDecodeReason, typeName: string, offset: number, detail: string): never {
    const where = typeName === this.topType ? '' : ` in ${typeName}`;
    throw new WireDecodeError(reason, this.topType, offset, `${detail}${where}`);
  }

  /** Reads a varint that must end before `end`, as Go's decode loops do. */
  varint(end: number, typeName: string): void {
    const buf = this.buf;
    let pos = this.pos;
    if (pos < end) {
      const b = buf[pos]!;
      if (b < 0x80) {
        this.lo = b;
        this.hi = 0;
        this.pos = pos + 1;
        return;
      }
    }
    const start = pos;
    let lo = 0;
    let hi = 0;
    for (let shift = 0; ; shift += 7) {
      if (shift >= 64) this.fail('varint_overflow', typeName, start, 'varint longer than 10 bytes (integer overflow)');
      if (pos >= end) this.fail('truncated', typeName, pos, 'unexpected end of input inside a varint');
      const b = buf[pos++]!;
      const v = b & 0x7f;
      if (shift < 28) lo |= v << shift;
      else if (shift === 28) {
        lo |= v << 28;
        hi |= v >>> 4;
      } else hi |= v << (shift - 32);
      if (b < 0x80) break;
    }
    this.lo = lo >>> 0;
    this.hi = hi >>> 0;
    this.pos = pos;
  }

  /** The last varint read as Go's signed `int` length; returns the end of the delimited body. */
  lengthEnd(end: number, typeName: string, start: number): number {
    if (this.hi >= 0x80000000) this.fail('invalid_length', typeName, start, 'negative length');
    const len = this.hi * TWO_32 + this.lo;
    if (len > end - this.pos) this.fail('truncated', typeName, start, `length ${len} exceeds the ${end - this.pos} remaining bytes`);
    return this.pos + len;
  }
}

/** Decodes `bytes` as the protobuf type `typeName` into a ts-proto object. */
export function decodeWireMessage(typeName: string, bytes: Uint8Array, offset = 0, length = bytes.length - offset): Record<string, unknown> {
  const c = compiledMessage(typeName);
  const r = new Reader(bytes, offset, typeName);
  const target = c.createZero();
  decodeInto(c, r, offset + length, target);
  return target;
}

const WIRE_TYPE_NAMES = ['varint', 'fixed64', 'length-delimited', 'start-group', 'end-group', 'fixed32', 'wire type 6', 'wire type 7'];

function decodeInto(c: CompiledMessage, r: Reader, end: number, target: Record<string, unknown>): void {
  while (r.pos < end) {
    const tagStart = r.pos;
    r.varint(end, c.typeName);
    const wireType = r.lo & 7;
    // int32(wire >> 3): bits 3..34 of the tag, read as a signed 32-bit number.
    const fieldNo = ((r.lo >>> 3) | (r.hi << 29)) | 0;
    if (wireType === 4) r.fail('end_group', c.typeName, tagStart, 'end-group tag outside a group');
    if (fieldNo <= 0) r.fail('illegal_tag', c.typeName, tagStart, `illegal field number ${fieldNo}`);
    const f = c.fieldByNumber(fieldNo);
    if (f === undefined) {
      r.pos = skipField(r, tagStart, end, c.typeName);
      continue;
    }
    if (wireType !== f.wireType) {
      r.fail('wrong_wire_type', c.typeName, tagStart, `field ${fieldNo} (${f.name}) has wire type ${WIRE_TYPE_NAMES[wireType]}, expected ${WIRE_TYPE_NAMES[f.wireType]}`);
    }
    if (f.kind === 'map') {
      readMapEntry(c, f, r, end, target[f.name] as Record<string, unknown> | Map<bigint, unknown>);
      continue;
    }
    if (f.kind === 'message') {
      const lenStart = r.pos;
      r.varint(end, c.typeName);
      const bodyEnd = r.lengthEnd(end, c.typeName, lenStart);
      const sub = f.message();
      if (f.repeated) {
        const item = sub.createZero();
        decodeInto(sub, r, bodyEnd, item);
        (target[f.name] as unknown[]).push(item);
      } else {
        // Go merges a repeated singular message into the value it already holds; a oneof member is
        // replaced instead (Go allocates a fresh wrapper).
        let existing = f.oneof === undefined ? (target[f.name] as Record<string, unknown> | undefined) : undefined;
        if (existing === undefined) existing = sub.createZero();
        decodeInto(sub, r, bodyEnd, existing);
        setField(c, f, target, existing);
      }
      r.pos = bodyEnd;
      continue;
    }
    let value = readScalar(f.kind as WireScalarKind, r, end, c.typeName);
    // Go's customtype (math.Int) decodes an empty string to its zero value.
    if (f.emptyAs !== undefined && value === '') value = f.emptyAs;
    if (f.repeated) (target[f.name] as unknown[]).push(value);
    else setField(c, f, target, value);
  }
}

function setField(c: CompiledMessage, f: CompiledField, target: Record<string, unknown>, value: unknown): void {
  if (f.oneof !== undefined) for (const other of c.fields) if (other.oneof === f.oneof) target[other.name] = undefined;
  target[f.name] = value;
}

function readScalar(kind: WireScalarKind, r: Reader, end: number, typeName: string): unknown {
  if (kind === 'double') {
    if (end - r.pos < 8) r.fail('truncated', typeName, r.pos, 'unexpected end of input inside a fixed64');
    const v = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, 8).getFloat64(0, true);
    r.pos += 8;
    return v;
  }
  const start = r.pos;
  r.varint(end, typeName);
  switch (kind) {
    case 'string': {
      const bodyEnd = r.lengthEnd(end, typeName, start);
      const s = goStringFromBytes(r.buf, r.pos, bodyEnd);
      r.pos = bodyEnd;
      return s;
    }
    case 'bytes': {
      const bodyEnd = r.lengthEnd(end, typeName, start);
      const b = r.buf.slice(r.pos, bodyEnd);
      r.pos = bodyEnd;
      return b;
    }
    case 'bool':
      return (r.lo | r.hi) !== 0;
    case 'int32':
    case 'enum':
      return r.lo | 0;
    case 'uint32':
      return r.lo;
    case 'uint64':
      return r.hi === 0 ? BigInt(r.lo) : (BigInt(r.hi) << 32n) | BigInt(r.lo);
    case 'int64':
      return r.hi === 0 ? BigInt(r.lo) : BigInt.asIntN(64, (BigInt(r.hi) << 32n) | BigInt(r.lo));
  }
}

/**
 * One map entry, parsed like gogoproto does: by field number only (1 = key, 2 = value, the wire type is
 * not checked), a repeated value replaces the previous one, and a repeated integer key ORs into the
 * previous one (Go accumulates into the same variable). Bounded by the entry's length.
 */
function readMapEntry(c: CompiledMessage, f: CompiledField, r: Reader, end: number, map: Record<string, unknown> | Map<bigint, unknown>): void {
  const lenStart = r.pos;
  r.varint(end, c.typeName);
  const entryEnd = r.lengthEnd(end, c.typeName, lenStart);
  const keyKind = f.mapKey as WireScalarKind;
  const valueKind = f.mapValue!;
  let key: unknown = keyKind === 'string' ? '' : 0n;
  let value: unknown;
  while (r.pos < entryEnd) {
    const tagStart = r.pos;
    r.varint(entryEnd, c.typeName);
    const fieldNo = ((r.lo >>> 3) | (r.hi << 29)) | 0;
    if (fieldNo === 1) {
      const k = readScalar(keyKind, r, entryEnd, c.typeName);
      key = typeof k === 'bigint' ? BigInt.asUintN(64, (key as bigint) | k) : k;
      if (keyKind === 'int64') key = BigInt.asIntN(64, key as bigint);
    } else if (fieldNo === 2) {
      if (valueKind === 'message') {
        const start = r.pos;
        r.varint(entryEnd, c.typeName);
        const bodyEnd = r.lengthEnd(entryEnd, c.typeName, start);
        const sub = f.message();
        const item = sub.createZero();
        decodeInto(sub, r, bodyEnd, item);
        r.pos = bodyEnd;
        value = item;
      } else value = readScalar(valueKind, r, entryEnd, c.typeName);
    } else {
      r.pos = skipField(r, tagStart, entryEnd, c.typeName);
    }
  }
  if (value === undefined) {
    value = valueKind === 'message' ? f.message().createZero() : scalarZero(valueKind);
  }
  if (map instanceof Map) map.set(key as bigint, value);
  // defineProperty, not assignment: a key such as "__proto__" must become an ordinary entry.
  else Object.defineProperty(map, key as string, { value, enumerable: true, writable: true, configurable: true });
  r.pos = entryEnd;
}


/**
 * Skips the unknown field whose tag starts at `tagStart`, as gogoproto's generated skip function does;
 * returns the position after it. Groups (wire types 3/4) nest by depth only.
 */
function skipField(r: Reader, tagStart: number, end: number, typeName: string): number {
  r.pos = tagStart;
  let depth = 0;
  while (r.pos < end) {
    r.varint(end, typeName);
    const wireType = r.lo & 7;
    switch (wireType) {
      case 0:
        r.varint(end, typeName);
        break;
      case 1:
        r.pos += 8;
        break;
      case 2: {
        const start = r.pos;
        r.varint(end, typeName);
        if (r.hi >= 0x80000000) r.fail('invalid_length', typeName, start, 'negative length in an unknown field');
        r.pos += r.hi * TWO_32 + r.lo;
        break;
      }
      case 3:
        depth++;
        break;
      case 4:
        if (depth === 0) r.fail('end_group', typeName, r.pos, 'unexpected end-group tag in an unknown field');
        depth--;
        break;
      case 5:
        r.pos += 4;
        break;
      default:
        r.fail('illegal_wire_type', typeName, tagStart, `illegal wire type ${wireType}`);
    }
    if (depth === 0) {
      if (r.pos > end) r.fail('truncated', typeName, tagStart, 'unknown field runs past the end of the input');
      return r.pos;
    }
  }
  return r.fail('truncated', typeName, tagStart, 'unterminated group');
}
