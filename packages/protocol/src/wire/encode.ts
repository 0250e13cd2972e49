/**
 * Canonical encoding = the bytes Go's gogoproto-generated Marshal() writes (protocol.md §1.1): fields in
 * ascending number order, proto3 defaults omitted, non-nullable sub-messages always written, nullable
 * ones iff set (even when empty), customtype strings always written, map entries sorted by key.
 */
import { compareBytes } from '../bytes.js';
import { WireEncodeError } from './errors.js';
import { goStringToBytes } from './go-string.js';
import { compiledMessage, type CompiledField, type CompiledMessage, type WireScalarKind } from './schema.js';
import { WireWriter } from './writer.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

// One writer reused across calls; encoding is synchronous, and a nested call (only possible through a
// getter on the input) gets a fresh writer instead of clobbering this one.
const shared = new WireWriter();
let sharedBusy = false;

/** Canonical bytes of `message`, a ts-proto object of the protobuf type `typeName`. */
export function encodeWireMessage(typeName: string, message: unknown): Uint8Array {
  const c = compiledMessage(typeName);
  if (sharedBusy) {
    const w = new WireWriter();
    writeMessage(c, message, w);
    return w.finish();
  }
  sharedBusy = true;
  try {
    shared.reset();
    writeMessage(c, message, shared);
    return shared.finish();
  } finally {
    sharedBusy = false;
  }
}

function asObject(c: CompiledMessage, message: unknown, where: string): Record<string, unknown> {
  if (message === null || typeof message !== 'object' || Array.isArray(message) || message instanceof Uint8Array) {
    throw new WireEncodeError(c.typeName, where, `expected a message object, got ${describe(message)}`);
  }
  return message as Record<string, unknown>;
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  if (v instanceof Uint8Array) return 'a Uint8Array';
  return typeof v;
}

function writeMessage(c: CompiledMessage, message: unknown, w: WireWriter): void {
  const m = asObject(c, message, '(message)');
  for (const entry of c.encodeOrder) {
    if (Array.isArray(entry)) {
      writeOneof(c, m, entry as readonly CompiledField[], w);
      continue;
    }
    const f = entry as CompiledField;
    const v = m[f.name];
    if (f.kind === 'map') writeMap(c, f, v, w);
    else if (f.repeated) writeRepeated(c, f, v, w);
    else if (f.kind === 'message') {
      if (v === undefined || v === null) {
        if (!f.nonNullable) continue;
        w.raw(f.tag);
        w.varint(0);
        continue;
      }
      w.raw(f.tag);
      const mark = w.beginLength();
      writeMessage(f.message(), v, w);
      w.endLength(mark);
    } else if (f.emptyAs !== undefined) {
      const s = v === undefined || v === null || v === '' ? f.emptyAs : v;
      if (typeof s !== 'string') throw new WireEncodeError(c.typeName, f.name, `expected a string, got ${describe(s)}`);
      w.raw(f.tag);
      w.goString(s);
    } else if (v !== undefined && v !== null) {
      writeScalar(c, f, f.kind as WireScalarKind, v, w, false);
    }
  }
}

function writeOneof(c: CompiledMessage, m: Record<string, unknown>, members: readonly CompiledField[], w: WireWriter): void {
  const set = members.filter((f) => m[f.name] !== undefined && m[f.name] !== null);
  if (set.length === 0) return;
  if (set.length > 1) {
    throw new WireEncodeError(c.typeName, set.map((f) => f.name).join('/'), `more than one member of oneof ${members[0]!.oneof} is set`);
  }
  const f = set[0]!;
  const v = m[f.name];
  if (f.kind === 'message') {
    w.raw(f.tag);
    const mark = w.beginLength();
    writeMessage(f.message(), v, w);
    w.endLength(mark);
  } else writeScalar(c, f, f.kind as WireScalarKind, v, w, true);
}

function writeRepeated(c: CompiledMessage, f: CompiledField, v: unknown, w: WireWriter): void {
  if (v === undefined || v === null) return;
  if (!Array.isArray(v)) throw new WireEncodeError(c.typeName, f.name, `expected an array, got ${describe(v)}`);
  for (const item of v) {
    if (f.kind === 'message') {
      if (item === undefined || item === null) throw new WireEncodeError(c.typeName, f.name, 'repeated message element is null');
      w.raw(f.tag);
      const mark = w.beginLength();
      writeMessage(f.message(), item, w);
      w.endLength(mark);
    } else {
      writeScalar(c, f, f.kind as WireScalarKind, item, w, true);
    }
  }
}

/**
 * Writes one scalar with its tag. `always`: write even the default (repeated elements, oneof members,
 * map keys/values); otherwise proto3 rules omit it.
 */
function writeScalar(c: CompiledMessage, f: CompiledField, kind: WireScalarKind, v: unknown, w: WireWriter, always: boolean, tag: Uint8Array = f.tag): void {
  switch (kind) {
    case 'string':
      if (typeof v !== 'string') throw new WireEncodeError(c.typeName, f.name, `expected a string, got ${describe(v)}`);
      if (v.length === 0 && !always) return;
      w.raw(tag);
      w.goString(v);
      return;
    case 'bytes':
      if (!(v instanceof Uint8Array)) throw new WireEncodeError(c.typeName, f.name, `expected a Uint8Array, got ${describe(v)}`);
      if (v.length === 0 && !always) return;
      w.raw(tag);
      w.lengthDelimited(v);
      return;
    case 'bool':
      if (typeof v !== 'boolean') throw new WireEncodeError(c.typeName, f.name, `expected a boolean, got ${describe(v)}`);
      if (!v && !always) return;
      w.raw(tag);
      w.varint(v ? 1 : 0);
      return;
    case 'int64':
    case 'uint64': {
      if (typeof v !== 'bigint') throw new WireEncodeError(c.typeName, f.name, `expected a bigint, got ${describe(v)}`);
      const [lo, hi] = kind === 'int64' ? [INT64_MIN, INT64_MAX] : [0n, UINT64_MAX];
      if (v < lo || v > hi) throw new WireEncodeError(c.typeName, f.name, `${v} is outside the ${kind} range`);
      if (v === 0n && !always) return;
      w.raw(tag);
      w.varint64(BigInt.asUintN(64, v));
      return;
    }
    case 'int32':
    case 'enum':
    case 'uint32': {
      const [lo, hi] = kind === 'uint32' ? [0, 0xffffffff] : [-0x80000000, 0x7fffffff];
      if (typeof v !== 'number' || !Number.isInteger(v) || v < lo || v > hi) {
        throw new WireEncodeError(c.typeName, f.name, `expected an integer in the ${kind === 'enum' ? 'int32' : kind} range, got ${typeof v === 'number' ? v : describe(v)}`);
      }
      if (v === 0 && !always) return;
      w.raw(tag);
      // Negative int32 values are sign-extended to 64 bits, as Go's uint64(int32) conversion does.
      if (v < 0) w.varint64(BigInt.asUintN(64, BigInt(v)));
      else w.varint(v);
      return;
    }
    case 'double':
      if (typeof v !== 'number') throw new WireEncodeError(c.typeName, f.name, `expected a number, got ${describe(v)}`);
      // gogoproto tests `!= 0`: both zeros are omitted, NaN is written.
      if (v === 0 && !always) return;
      w.raw(tag);
      w.double(v);
      return;
  }
}

const KEY_TAGS: Record<string, Uint8Array> = { string: Uint8Array.of(0x0a), int64: Uint8Array.of(0x08), uint64: Uint8Array.of(0x08) };
const VALUE_TAG_LEN = Uint8Array.of(0x12);
const VALUE_TAG_VARINT = Uint8Array.of(0x10);
const VALUE_TAG_FIXED64 = Uint8Array.of(0x11);

function writeMap(c: CompiledMessage, f: CompiledField, v: unknown, w: WireWriter): void {
  if (v === undefined || v === null) return;
  let entries: [unknown, unknown][];
  if (f.mapKey === 'string') {
    if (typeof v !== 'object' || v instanceof Map || Array.isArray(v)) throw new WireEncodeError(c.typeName, f.name, `expected a plain object map, got ${describe(v)}`);
    // Go sorts string keys by their bytes, which is not JS's UTF-16 order.
    entries = Object.keys(v)
      .map((k) => ({ k, b: goStringToBytes(k) }))
      .sort((a, b) => compareBytes(a.b, b.b))
      .map(({ k }) => [k, (v as Record<string, unknown>)[k]]);
  } else {
    if (!(v instanceof Map)) throw new WireEncodeError(c.typeName, f.name, `expected a Map, got ${describe(v)}`);
    entries = [...(v as Map<unknown, unknown>).entries()];
    for (const [k] of entries) if (typeof k !== 'bigint') throw new WireEncodeError(c.typeName, f.name, `expected bigint map keys, got ${describe(k)}`);
    // sortkeys.Uint64s / Int64s: numeric order.
    entries.sort((a, b) => ((a[0] as bigint) < (b[0] as bigint) ? -1 : (a[0] as bigint) > (b[0] as bigint) ? 1 : 0));
  }
  const keyKind = f.mapKey as WireScalarKind;
  const valueKind = f.mapValue!;
  for (const [key, value] of entries) {
    w.raw(f.tag);
    const mark = w.beginLength();
    writeScalar(c, f, keyKind, key, w, true, KEY_TAGS[keyKind]);
    if (valueKind === 'message') {
      // Map values are always present in JS; gogoproto writes a present value even when empty.
      w.raw(VALUE_TAG_LEN);
      const inner = w.beginLength();
      writeMessage(f.message(), value ?? {}, w);
      w.endLength(inner);
    } else {
      const tag = valueKind === 'double' ? VALUE_TAG_FIXED64 : valueKind === 'string' || valueKind === 'bytes' ? VALUE_TAG_LEN : VALUE_TAG_VARINT;
      // Every value kind is written even at its default, except empty bytes (gogoproto's len() > 0 guard).
      writeScalar(c, f, valueKind, value, w, valueKind !== 'bytes', tag);
    }
    w.endLength(mark);
  }
}
