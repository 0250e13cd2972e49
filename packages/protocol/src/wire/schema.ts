/**
 * The shape of the generated field table (`generated/schema.ts`) and its compiled, lookup-friendly form.
 * The table is derived from protoc's descriptor set by tools/protogen.mjs; nothing here restates the schema.
 */
import { InvalidArgumentError } from '../errors.js';
import { wireSchema } from './generated/schema.js';

export type WireScalarKind = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64' | 'double' | 'enum';

export interface WireFieldSpec {
  readonly no: number;
  /** The ts-proto property name. */
  readonly name: string;
  readonly kind: WireScalarKind | 'message' | 'map';
  /** Full protobuf name of the message type (kind 'message', or a map with message values). */
  readonly type?: string;
  readonly repeated?: boolean;
  /** `(gogoproto.nullable) = false`: Go holds a value, so the field is always encoded. */
  readonly nonNullable?: boolean;
  /** proto3 `optional`: the TS value is undefined when the field was absent (Go's nil slice). */
  readonly tracksPresence?: boolean;
  /** Member of this real oneof: encoded iff set, even at its default. */
  readonly oneof?: string;
  /** A gogoproto customtype string: always encoded; absent or empty decodes, and encodes, as this (Go's zero value). */
  readonly emptyAs?: string;
  readonly mapKey?: 'string' | 'int64' | 'uint64';
  readonly mapValue?: WireScalarKind | 'message';
}

export type WireSchema = Readonly<Record<string, readonly WireFieldSpec[]>>;

export interface CompiledField extends WireFieldSpec {
  /** Encoded tag (field number and wire type) as a varint. */
  readonly tag: Uint8Array;
  readonly wireType: 0 | 1 | 2;
  /** Resolved lazily: message types may refer to each other. */
  message(): CompiledMessage;
}

export interface CompiledMessage {
  readonly typeName: string;
  /** Fields in declaration order (the order ts-proto initialises them). */
  readonly fields: readonly CompiledField[];
  /**
   * What the encoder walks: fields by ascending number, except that a oneof is written once, where its
   * highest-numbered member sits (gogoproto visits fields from the highest number down).
   */
  readonly encodeOrder: readonly (CompiledField | readonly CompiledField[])[];
  fieldByNumber(no: number): CompiledField | undefined;
  /** A fresh message with every field at its Go zero value (non-nullable sub-messages filled in). */
  createZero(): Record<string, unknown>;
}

const compiled = new Map<string, CompiledMessage>();

/** Whether `typeName` is one of the message types of proto/. */
export function isWireMessageType(typeName: string): boolean {
  return Object.prototype.hasOwnProperty.call(wireSchema, typeName);
}

export function compiledMessage(typeName: string): CompiledMessage {
  let c = compiled.get(typeName);
  if (c === undefined) {
    const specs = isWireMessageType(typeName) ? wireSchema[typeName] : undefined;
    // Only reachable through a hand-made type name; generated code always names a real type.
    if (specs === undefined) throw new InvalidArgumentError(`unknown wire message type ${JSON.stringify(typeName)}`);
    c = compile(typeName, specs);
    compiled.set(typeName, c);
  }
  return c;
}

function wireTypeOf(f: WireFieldSpec): 0 | 1 | 2 {
  if (f.repeated || f.kind === 'message' || f.kind === 'map' || f.kind === 'string' || f.kind === 'bytes') return 2;
  return f.kind === 'double' ? 1 : 0;
}

function varintBytes(n: number): Uint8Array {
  const out: number[] = [];
  while (n > 0x7f) {
    out.push((n % 0x80) | 0x80);
    n = Math.floor(n / 0x80);
  }
  out.push(n);
  return Uint8Array.from(out);
}

function zeroOf(f: CompiledField): unknown {
  if (f.repeated) return [];
  if (f.tracksPresence || f.oneof !== undefined) return undefined;
  if (f.emptyAs !== undefined) return f.emptyAs;
  if (f.kind === 'message') return f.nonNullable ? f.message().createZero() : undefined;
  if (f.kind === 'map') return f.mapKey === 'string' ? {} : new Map();
  return scalarZero(f.kind);
}

/** Go's zero value of a scalar field, as ts-proto represents it. */
export function scalarZero(kind: WireScalarKind): unknown {
  switch (kind) {
    case 'string':
      return '';
    case 'bytes':
      return new Uint8Array(0);
    case 'bool':
      return false;
    case 'int64':
    case 'uint64':
      return 0n;
    default:
      return 0;
  }
}

function compile(typeName: string, specs: readonly WireFieldSpec[]): CompiledMessage {
  const fields: CompiledField[] = specs.map((spec) => {
    const wireType = wireTypeOf(spec);
    let target: CompiledMessage | undefined;
    const type = spec.type;
    return {
      ...spec,
      wireType,
      tag: varintBytes(spec.no * 8 + wireType),
      message(): CompiledMessage {
        if (type === undefined) throw new InvalidArgumentError(`${typeName}.${spec.name} is not a message field`);
        return (target ??= compiledMessage(type));
      },
    };
  });
  const byNumber = new Map(fields.map((f) => [f.no, f]));
  const ascending = [...fields].sort((a, b) => a.no - b.no);
  const encodeOrder: (CompiledField | readonly CompiledField[])[] = [];
  for (const f of ascending) {
    if (f.oneof === undefined) encodeOrder.push(f);
    else {
      const members = ascending.filter((m) => m.oneof === f.oneof);
      if (members[members.length - 1] === f) encodeOrder.push(members);
    }
  }
  return {
    typeName,
    fields,
    encodeOrder,
    fieldByNumber: (no) => byNumber.get(no),
    createZero() {
      const out: Record<string, unknown> = {};
      for (const f of fields) out[f.name] = zeroOf(f);
      return out;
    },
  };
}
