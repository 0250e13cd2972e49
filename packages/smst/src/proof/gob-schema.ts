/**
 * The Go types the proofs are gob-encoded as, described as data, and the canonical encoder built
 * on those descriptions: type-definition messages (spec §10.2–10.3) followed by one value message.
 */
import { concatBytes } from '../bytes.js';
import { GobWriter } from './gob-wire.js';

export type GobType =
  | { kind: 'bytes' }
  | { kind: 'int' }
  | { kind: 'slice'; goName: string; elem: GobType }
  | { kind: 'struct'; goName: string; fields: readonly GobField[] };

export interface GobField {
  name: string;
  type: GobType;
}

export type StructType = Extract<GobType, { kind: 'struct' }>;

/** Gob's predefined type ids that the proof fields use. */
export const BUILTIN_INT = 2;
export const BUILTIN_BYTES = 5;
/** Ids below this are reserved for gob's own types; a stream may not define them. */
export const FIRST_USER_ID = 64;

const BYTES: GobType = { kind: 'bytes' };
const INT: GobType = { kind: 'int' };
/** One shared instance, so a type family that uses it twice defines it once (as Go does). */
const BYTES_SLICE: GobType = { kind: 'slice', goName: '[][]uint8', elem: BYTES };
const INT_SLICE: GobType = { kind: 'slice', goName: '[]int', elem: INT };

export const SPARSE_MERKLE_PROOF: StructType = {
  kind: 'struct',
  goName: 'SparseMerkleProof',
  fields: [
    { name: 'SideNodes', type: BYTES_SLICE },
    { name: 'NonMembershipLeafData', type: BYTES },
    { name: 'SiblingData', type: BYTES },
  ],
};

export const SPARSE_COMPACT_MERKLE_PROOF: StructType = {
  kind: 'struct',
  goName: 'SparseCompactMerkleProof',
  fields: [
    { name: 'SideNodes', type: BYTES_SLICE },
    { name: 'NonMembershipLeafData', type: BYTES },
    { name: 'BitMask', type: BYTES },
    { name: 'NumSideNodes', type: INT },
    { name: 'SiblingData', type: BYTES },
  ],
};

export const SPARSE_MERKLE_CLOSEST_PROOF: StructType = {
  kind: 'struct',
  goName: 'SparseMerkleClosestProof',
  fields: [
    { name: 'Path', type: BYTES },
    { name: 'FlippedBits', type: INT_SLICE },
    { name: 'Depth', type: INT },
    { name: 'ClosestPath', type: BYTES },
    { name: 'ClosestValueHash', type: BYTES },
    { name: 'ClosestProof', type: SPARSE_MERKLE_PROOF },
  ],
};

export const SPARSE_COMPACT_MERKLE_CLOSEST_PROOF: StructType = {
  kind: 'struct',
  goName: 'SparseCompactMerkleClosestProof',
  fields: [
    { name: 'Path', type: BYTES },
    { name: 'FlippedBits', type: BYTES_SLICE },
    { name: 'Depth', type: BYTES },
    { name: 'ClosestPath', type: BYTES },
    { name: 'ClosestValueHash', type: BYTES },
    { name: 'ClosestProof', type: SPARSE_COMPACT_MERKLE_PROOF },
  ],
};

/** A gob value as the codec sees it: the Go field name → bytes / bigint / array / nested record. */
export type GobValue = Uint8Array | bigint | GobValue[] | GobRecord | null;
export interface GobRecord {
  [field: string]: GobValue;
}

// wireType field numbers (the struct gob sends to describe a type).
const WIRE_SLICE_T = 1;
const WIRE_STRUCT_T = 2;

/**
 * Ids as a fresh Go ≥ 1.21 process assigns them: depth-first from the top-level struct, starting
 * at 64. The same walk order is the order in which Go sends the definitions.
 */
function assignIds(top: StructType): Map<GobType, number> {
  const ids = new Map<GobType, number>();
  const visit = (t: GobType): void => {
    if (t.kind === 'bytes' || t.kind === 'int' || ids.has(t)) return;
    ids.set(t, FIRST_USER_ID + ids.size);
    if (t.kind === 'slice') visit(t.elem);
    else for (const f of t.fields) visit(f.type);
  };
  visit(top);
  return ids;
}

function idOf(t: GobType, ids: Map<GobType, number>): number {
  if (t.kind === 'bytes') return BUILTIN_BYTES;
  if (t.kind === 'int') return BUILTIN_INT;
  return ids.get(t)!;
}

/** Field 0 (the embedded CommonType {Name, Id}) of a sliceType / structType. */
function writeCommonType(w: GobWriter, name: string, id: number): void {
  w.uint(1).uint(1).string(name).uint(1).int(id).uint(0);
}

function definitionMessage(t: GobType, ids: Map<GobType, number>): Uint8Array {
  const id = idOf(t, ids);
  const w = new GobWriter().int(-id);
  if (t.kind === 'slice') {
    w.uint(WIRE_SLICE_T + 1);
    writeCommonType(w, t.goName, id);
    w.uint(1).int(idOf(t.elem, ids)).uint(0);
  } else if (t.kind === 'struct') {
    w.uint(WIRE_STRUCT_T + 1);
    writeCommonType(w, t.goName, id);
    w.uint(1).uint(t.fields.length);
    for (const f of t.fields) w.uint(1).string(f.name).uint(1).int(idOf(f.type, ids)).uint(0);
    w.uint(0);
  }
  return w.uint(0).asMessage();
}

/** The constant type-definition prefix of every canonical encoding of `top`. */
export function definitionHeader(top: StructType): Uint8Array {
  const ids = assignIds(top);
  return concatBytes(...[...ids.keys()].map((t) => definitionMessage(t, ids)));
}

function isZero(t: GobType, v: GobValue | undefined): boolean {
  if (v === null || v === undefined) return true;
  if (t.kind === 'int') return v === 0n;
  if (t.kind === 'bytes') return (v as Uint8Array).length === 0;
  if (t.kind === 'slice') return (v as GobValue[]).length === 0;
  return false; // a present nested struct is a non-nil pointer: always sent, even if empty
}

function writeValue(w: GobWriter, t: GobType, v: GobValue): void {
  switch (t.kind) {
    case 'bytes':
      w.bytes(v as Uint8Array);
      return;
    case 'int':
      w.int(v as bigint);
      return;
    case 'slice': {
      const items = v as GobValue[];
      w.uint(items.length);
      for (const item of items) writeValue(w, t.elem, item ?? (t.elem.kind === 'bytes' ? new Uint8Array(0) : 0n));
      return;
    }
    case 'struct':
      writeStruct(w, t, v as GobRecord);
  }
}

/** Non-zero fields as (field-number delta, value), then the 0 terminator. */
function writeStruct(w: GobWriter, t: StructType, record: GobRecord): void {
  let previous = -1;
  t.fields.forEach((f, i) => {
    const v = record[f.name];
    if (isZero(f.type, v)) return;
    w.uint(i - previous);
    writeValue(w, f.type, v!);
    previous = i;
  });
  w.uint(0);
}

/** Header + the value message (type id 64 = the top-level struct). */
export function encodeCanonical(top: StructType, header: Uint8Array, record: GobRecord): Uint8Array {
  const body = new GobWriter().int(FIRST_USER_ID);
  writeStruct(body, top, record);
  return concatBytes(header, body.asMessage());
}
