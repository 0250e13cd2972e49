/**
 * A gob stream decoder that, like Go's, does not care which type ids the sender picked: it reads
 * the sender's type definitions into a table and then matches the value against the expected Go
 * struct by field NAME and declared type. Fields the receiver does not know are skipped; type
 * mismatches, undefined types and malformed input are GobDecodeErrors. Everything is bounded by
 * the input size (no allocation from an unchecked count) and by explicit nesting limits.
 */
import { GobDecodeError } from '../errors.js';
import { BUILTIN_BYTES, BUILTIN_INT, FIRST_USER_ID, type GobRecord, type GobType, type GobValue, type StructType } from './gob-schema.js';
import { gobFail, GobReader } from './gob-wire.js';

const ID_BOOL = 1;
const ID_UINT = 3;
const ID_FLOAT = 4;
const ID_STRING = 6;
const ID_COMPLEX = 7;
const ID_INTERFACE = 8;

/**
 * Go nests without limit for values (bounded only by its 1 GB stack); a JS stack is much smaller.
 * Real proofs nest two levels, so this only rejects hostile inputs.
 */
const MAX_NESTING = 500;

interface WireField {
  name: string;
  id: number;
}

/** What a sender said about one type id; several parts may be set, as Go allows. */
interface WireType {
  array?: { elem: number; len: bigint };
  slice?: { elem: number };
  struct?: { fields: WireField[] };
  map?: { key: number; elem: number };
  /** GobEncoder / BinaryMarshaler / TextMarshaler: the value travels as a byte string. */
  opaque?: boolean;
}

type WireTable = Map<number, WireType>;

/**
 * Walks one encoded struct: field-number deltas until a 0 delta or the end of the message (Go
 * accepts a struct cut short at the message end), rejecting field numbers it was not told about.
 */
function walkStruct(r: GobReader, numFields: number, onField: (index: number) => void): void {
  let field = -1;
  while (r.remaining > 0) {
    const delta = r.readUint();
    if (delta === 0n) return;
    if (delta > BigInt(numFields - 1 - field)) gobFail('field number out of range');
    field += Number(delta);
    onField(field);
  }
}

function readString(r: GobReader): string {
  const bytes = r.take(r.readLength('string'));
  // Byte-exact (latin1) so that only the exact ASCII bytes of a Go field name can match it.
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

/** Type ids inside definitions are Go int32s: out-of-range values are decode errors there. */
function readTypeId(r: GobReader): number {
  const v = r.readInt();
  if (v < -(1n << 31n) || v >= 1n << 31n) gobFail('type id out of int32 range');
  return Number(v);
}

function readCount(r: GobReader, what: string): number {
  return r.readLength(`${what} element`);
}

/** CommonType {Name, Id}: only needed to keep the reader in step; gob decodes by field names. */
function skipCommonType(r: GobReader): void {
  walkStruct(r, 2, (i) => (i === 0 ? readString(r) : readTypeId(r)));
}

function readWireType(r: GobReader): WireType {
  const wt: WireType = {};
  walkStruct(r, 7, (i) => {
    switch (i) {
      case 0: {
        const a = { elem: 0, len: 0n };
        walkStruct(r, 3, (j) => {
          if (j === 0) skipCommonType(r);
          else if (j === 1) a.elem = readTypeId(r);
          else a.len = r.readInt();
        });
        wt.array = a;
        break;
      }
      case 1: {
        const s = { elem: 0 };
        walkStruct(r, 2, (j) => (j === 0 ? skipCommonType(r) : (s.elem = readTypeId(r))));
        wt.slice = s;
        break;
      }
      case 2: {
        const st: { fields: WireField[] } = { fields: [] };
        walkStruct(r, 2, (j) => {
          if (j === 0) return skipCommonType(r);
          const n = readCount(r, 'field list');
          const fields: WireField[] = [];
          for (let k = 0; k < n; k++) {
            const f: WireField = { name: '', id: 0 };
            walkStruct(r, 2, (m) => (m === 0 ? (f.name = readString(r)) : (f.id = readTypeId(r))));
            fields.push(f);
          }
          st.fields = fields;
        });
        wt.struct = st;
        break;
      }
      case 3: {
        const m = { key: 0, elem: 0 };
        walkStruct(r, 3, (j) => {
          if (j === 0) skipCommonType(r);
          else if (j === 1) m.key = readTypeId(r);
          else m.elem = readTypeId(r);
        });
        wt.map = m;
        break;
      }
      default:
        walkStruct(r, 1, () => skipCommonType(r));
        wt.opaque = true;
    }
  });
  return wt;
}

type Op = (r: GobReader, depth: number) => GobValue;

function nested(depth: number): number {
  if (depth >= MAX_NESTING) gobFail('value nesting too deep');
  return depth + 1;
}

/** Compiles "skip a value of wire type id" once per id; recursive types resolve lazily. */
class Skipper {
  private readonly ops = new Map<number, Op>();

  constructor(private readonly table: WireTable) {}

  opFor(id: number, depth = 0): Op {
    const known = this.ops.get(id);
    if (known) return known;
    if (depth >= MAX_NESTING) gobFail('type nesting too deep');
    let compiled: Op | undefined;
    // Registered before compiling the parts, so a self-referencing type finds itself.
    this.ops.set(id, (r, d) => compiled!(r, d));
    compiled = this.compile(id, depth + 1);
    this.ops.set(id, compiled);
    return compiled;
  }

  private compile(id: number, depth: number): Op {
    const skipUint: Op = (r) => (r.readUint(), null);
    switch (id) {
      case ID_BOOL:
      case BUILTIN_INT:
      case ID_UINT:
      case ID_FLOAT:
        return skipUint;
      case BUILTIN_BYTES:
      case ID_STRING:
        return (r) => (r.skip(r.readLength('byte string')), null);
      case ID_COMPLEX:
        return (r) => (r.readUint(), r.readUint(), null);
      case ID_INTERFACE:
        // Skipping an interface value can pull in type definitions mid-value; no proof ever
        // carries one, so refuse instead of guessing.
        return () => gobFail('interface values are not supported');
    }
    const wt = this.table.get(id);
    if (!wt) gobFail(`bad data: undefined type ${id}`);
    if (wt.array) {
      const { len } = wt.array;
      const elem = this.opFor(wt.array.elem, depth);
      return (r, d) => {
        if (r.readUint() !== len) gobFail('length mismatch in ignoreArray');
        this.repeat(r, Number(len), elem, nested(d));
        return null;
      };
    }
    if (wt.slice) {
      const elem = this.opFor(wt.slice.elem, depth);
      return (r, d) => (this.repeat(r, readCount(r, 'slice'), elem, nested(d)), null);
    }
    if (wt.map) {
      const key = this.opFor(wt.map.key, depth);
      const elem = this.opFor(wt.map.elem, depth);
      return (r, d) => {
        const n = readCount(r, 'map');
        const inner = nested(d);
        for (let i = 0; i < n; i++) {
          key(r, inner);
          elem(r, inner);
        }
        return null;
      };
    }
    if (wt.struct) {
      const fieldOps = wt.struct.fields.map((f) => {
        if (f.name === '') gobFail(`empty name for remote field of type ${id}`);
        return this.opFor(f.id, depth);
      });
      return (r, d) => {
        const inner = nested(d);
        walkStruct(r, fieldOps.length, (i) => fieldOps[i]!(r, inner));
        return null;
      };
    }
    if (wt.opaque) return (r) => (r.skip(r.readLength('encoded value')), null);
    gobFail(`bad data: ignore can't handle type ${id}`);
  }

  private repeat(r: GobReader, n: number, op: Op, depth: number): void {
    // A count larger than the remaining bytes cannot be honest for element types that take at
    // least a byte; refusing it up front keeps hostile counts from looping.
    if (n > r.remaining) gobFail(`element count ${n} exceeds input size ${r.remaining}`);
    for (let i = 0; i < n; i++) op(r, depth);
  }
}

class Compiler {
  readonly skipper: Skipper;

  constructor(private readonly table: WireTable) {
    this.skipper = new Skipper(table);
  }

  /** Go's compatibility rule between a receiver type and a sender's type id. */
  private compatible(local: GobType, id: number): boolean {
    switch (local.kind) {
      case 'bytes':
        return id === BUILTIN_BYTES;
      case 'int':
        return id === BUILTIN_INT;
      case 'slice': {
        const s = this.table.get(id)?.slice;
        return s !== undefined && this.compatible(local.elem, s.elem);
      }
      case 'struct':
        return true; // checked when its field plan is compiled
    }
  }

  private valueOp(local: GobType, id: number): Op {
    switch (local.kind) {
      case 'bytes':
        // A zero-length string decodes to Go's nil slice.
        return (r) => {
          const n = r.readLength('byte slice');
          return n === 0 ? null : new Uint8Array(r.take(n));
        };
      case 'int':
        return (r) => r.readInt();
      case 'slice': {
        const elem = this.valueOp(local.elem, this.table.get(id)!.slice!.elem);
        return (r, d) => {
          const n = readCount(r, 'slice');
          if (n === 0) return null;
          const inner = nested(d);
          const items: GobValue[] = [];
          for (let i = 0; i < n; i++) items.push(elem(r, inner));
          return items;
        };
      }
      case 'struct': {
        const plan = this.structPlan(local, id);
        return (r, d) => plan.decodeInto(r, {}, nested(d));
      }
    }
  }

  structPlan(local: StructType, id: number): { matched: number; wireFields: number; decodeInto: (r: GobReader, into: GobRecord, depth: number) => GobRecord } {
    const wire = this.table.get(id)?.struct;
    if (!wire) gobFail(`type mismatch in decoder: want struct type ${local.goName}; got type id ${id}`);
    let matched = 0;
    const ops = wire.fields.map((f) => {
      if (f.name === '') gobFail(`empty name for remote field of type ${local.goName}`);
      const target = local.fields.find((lf) => lf.name === f.name);
      if (!target) {
        const skip = this.skipper.opFor(f.id);
        return (r: GobReader, _into: GobRecord, d: number) => void skip(r, d);
      }
      if (!this.compatible(target.type, f.id)) {
        gobFail(`wrong type for received field ${local.goName}.${f.name}`);
      }
      matched++;
      if (target.type.kind === 'struct') {
        // A pointer field that appears again decodes into the struct already allocated.
        const plan = this.structPlan(target.type, f.id);
        return (r: GobReader, into: GobRecord, d: number) => {
          const existing = into[target.name];
          into[target.name] = plan.decodeInto(r, (existing as GobRecord | null) ?? {}, nested(d));
        };
      }
      const op = this.valueOp(target.type, f.id);
      return (r: GobReader, into: GobRecord, d: number) => {
        into[target.name] = op(r, d);
      };
    });
    return {
      matched,
      wireFields: wire.fields.length,
      decodeInto: (r, into, depth) => {
        walkStruct(r, ops.length, (i) => ops[i]!(r, into, depth));
        return into;
      },
    };
  }
}

/**
 * Reads one gob message from the stream. At the very start an empty stream is "EOF", anywhere
 * else running out is "unexpected EOF", like Go.
 */
function nextMessage(stream: GobReader, first: boolean): GobReader {
  if (stream.remaining === 0) gobFail(first ? 'EOF' : 'unexpected EOF');
  const n = stream.readUint();
  if (n > BigInt(stream.remaining)) gobFail('unexpected EOF');
  return stream.sub(Number(n));
}

/**
 * Decodes the first value of a gob stream as struct `local`. Bytes after that value are ignored,
 * as Go's single Decode call ignores them.
 */
export function decodeGob(input: Uint8Array, local: StructType): GobRecord {
  try {
    return decodeStream(input, local);
  } catch (e) {
    if (e instanceof GobDecodeError) throw e;
    // Safety net: whatever else goes wrong on hostile input is still a decode failure.
    throw new GobDecodeError(`gob: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function decodeStream(input: Uint8Array, local: StructType): GobRecord {
  const stream = new GobReader(input);
  const table: WireTable = new Map();
  let first = true;
  for (;;) {
    const msg = nextMessage(stream, first);
    // Go converts the message's id to its int32 typeId without a range check.
    const id = Number(BigInt.asIntN(32, msg.readInt()));
    if (id >= 0) return decodeValue(msg, id, table, local);
    const defined = Number(BigInt.asIntN(32, BigInt(-id)));
    if (defined < FIRST_USER_ID || table.has(defined)) gobFail('duplicate type received');
    table.set(defined, readWireType(msg));
    if (msg.remaining > 0) gobFail('extra data in buffer');
    first = false;
  }
}

function decodeValue(msg: GobReader, id: number, table: WireTable, local: StructType): GobRecord {
  const plan = new Compiler(table).structPlan(local, id);
  if (plan.matched === 0 && plan.wireFields > 0) {
    gobFail(`type mismatch: no fields matched compiling decoder for ${local.goName}`);
  }
  return plan.decodeInto(msg, {}, 0);
}
