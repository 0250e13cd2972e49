/**
 * `Marshal()` / `Unmarshal()` of the four proof types, byte-compatible with Go's encoding/gob
 * (spec §10). Marshal emits the canonical bytes of a fresh Go ≥ 1.21 process (type ids from 64);
 * unmarshal accepts any consistent type ids and throws GobDecodeError on anything Go rejects.
 */
import { GobDecodeError, InvalidInputError } from '../errors.js';
import { decodeGob } from './gob-decode.js';
import {
  definitionHeader,
  encodeCanonical,
  type GobRecord,
  type GobValue,
  SPARSE_COMPACT_MERKLE_CLOSEST_PROOF,
  SPARSE_COMPACT_MERKLE_PROOF,
  SPARSE_MERKLE_CLOSEST_PROOF,
  SPARSE_MERKLE_PROOF,
  type StructType,
} from './gob-schema.js';
import type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from './types.js';

const HEADERS = new Map<StructType, Uint8Array>();

function header(t: StructType): Uint8Array {
  let h = HEADERS.get(t);
  if (!h) HEADERS.set(t, (h = definitionHeader(t)));
  return h;
}

/** The constant type-definition prefix of each proof type's canonical encoding (spec §10.3). */
export function gobHeader(
  kind: 'SparseMerkleProof' | 'SparseCompactMerkleProof' | 'SparseMerkleClosestProof' | 'SparseCompactMerkleClosestProof',
): Uint8Array {
  const t = {
    SparseMerkleProof: SPARSE_MERKLE_PROOF,
    SparseCompactMerkleProof: SPARSE_COMPACT_MERKLE_PROOF,
    SparseMerkleClosestProof: SPARSE_MERKLE_CLOSEST_PROOF,
    SparseCompactMerkleClosestProof: SPARSE_COMPACT_MERKLE_CLOSEST_PROOF,
  }[kind];
  return new Uint8Array(header(t));
}

// ---- TS proof → gob record -------------------------------------------------------------------

function goInt(n: number, field: string): bigint {
  if (!Number.isSafeInteger(n)) throw new InvalidInputError(`${field} must be a safe integer, got ${n}`);
  return BigInt(n);
}

function smpRecord(p: SparseMerkleProof): GobRecord {
  return {
    SideNodes: p.sideNodes,
    NonMembershipLeafData: p.nonMembershipLeafData,
    SiblingData: p.siblingData,
  };
}

function scmpRecord(p: SparseCompactMerkleProof): GobRecord {
  return {
    SideNodes: p.sideNodes,
    NonMembershipLeafData: p.nonMembershipLeafData,
    BitMask: p.bitMask,
    NumSideNodes: goInt(p.numSideNodes, 'numSideNodes'),
    SiblingData: p.siblingData,
  };
}

function smcpRecord(p: SparseMerkleClosestProof): GobRecord {
  return {
    Path: p.path,
    FlippedBits: p.flippedBits.map((b) => goInt(b, 'flippedBits')),
    Depth: goInt(p.depth, 'depth'),
    ClosestPath: p.closestPath,
    ClosestValueHash: p.closestValueHash,
    ClosestProof: p.closestProof === null ? null : smpRecord(p.closestProof),
  };
}

function scmcpRecord(p: SparseCompactMerkleClosestProof): GobRecord {
  return {
    Path: p.path,
    FlippedBits: p.flippedBits,
    Depth: p.depth,
    ClosestPath: p.closestPath,
    ClosestValueHash: p.closestValueHash,
    ClosestProof: p.closestProof === null ? null : scmpRecord(p.closestProof),
  };
}

export function marshalSparseMerkleProof(p: SparseMerkleProof): Uint8Array {
  return encodeCanonical(SPARSE_MERKLE_PROOF, header(SPARSE_MERKLE_PROOF), smpRecord(p));
}

export function marshalSparseCompactMerkleProof(p: SparseCompactMerkleProof): Uint8Array {
  return encodeCanonical(SPARSE_COMPACT_MERKLE_PROOF, header(SPARSE_COMPACT_MERKLE_PROOF), scmpRecord(p));
}

export function marshalSparseMerkleClosestProof(p: SparseMerkleClosestProof): Uint8Array {
  return encodeCanonical(SPARSE_MERKLE_CLOSEST_PROOF, header(SPARSE_MERKLE_CLOSEST_PROOF), smcpRecord(p));
}

export function marshalSparseCompactMerkleClosestProof(p: SparseCompactMerkleClosestProof): Uint8Array {
  return encodeCanonical(
    SPARSE_COMPACT_MERKLE_CLOSEST_PROOF,
    header(SPARSE_COMPACT_MERKLE_CLOSEST_PROOF),
    scmcpRecord(p),
  );
}

// ---- gob record → TS proof -------------------------------------------------------------------
// Absent fields are Go zero values: nil byte slices become null where the TS type allows it and
// empty arrays otherwise (Go cannot tell nil from empty after a round trip, spec §10.5).

const EMPTY = (): Uint8Array => new Uint8Array(0);
const bytesOrNull = (v: GobValue | undefined): Uint8Array | null => (v as Uint8Array | null | undefined) ?? null;
const bytesOrEmpty = (v: GobValue | undefined): Uint8Array => bytesOrNull(v) ?? EMPTY();
const byteList = (v: GobValue | undefined): Uint8Array[] =>
  ((v as (Uint8Array | null)[] | null | undefined) ?? []).map((b) => b ?? EMPTY());

/**
 * Go ints are int64; a value outside JS's safe range becomes a float that is still far outside
 * every valid range (0..256), so it is rejected by validation instead of wrapping to a valid one.
 */
const toNumber = (v: GobValue | undefined): number => Number((v as bigint | null | undefined) ?? 0n);

function smpFrom(r: GobRecord): SparseMerkleProof {
  return {
    sideNodes: byteList(r.SideNodes),
    nonMembershipLeafData: bytesOrNull(r.NonMembershipLeafData),
    siblingData: bytesOrNull(r.SiblingData),
  };
}

function scmpFrom(r: GobRecord): SparseCompactMerkleProof {
  return {
    sideNodes: byteList(r.SideNodes),
    nonMembershipLeafData: bytesOrNull(r.NonMembershipLeafData),
    bitMask: bytesOrNull(r.BitMask),
    numSideNodes: toNumber(r.NumSideNodes),
    siblingData: bytesOrNull(r.SiblingData),
  };
}

function nestedRecord(v: GobValue | undefined): GobRecord | null {
  return (v as GobRecord | null | undefined) ?? null;
}

function asBytes(input: Uint8Array): Uint8Array {
  if (!(input instanceof Uint8Array)) throw new GobDecodeError('gob: input must be a Uint8Array');
  return input;
}

export function unmarshalSparseMerkleProof(bytes: Uint8Array): SparseMerkleProof {
  return smpFrom(decodeGob(asBytes(bytes), SPARSE_MERKLE_PROOF));
}

export function unmarshalSparseCompactMerkleProof(bytes: Uint8Array): SparseCompactMerkleProof {
  return scmpFrom(decodeGob(asBytes(bytes), SPARSE_COMPACT_MERKLE_PROOF));
}

export function unmarshalSparseMerkleClosestProof(bytes: Uint8Array): SparseMerkleClosestProof {
  const r = decodeGob(asBytes(bytes), SPARSE_MERKLE_CLOSEST_PROOF);
  const inner = nestedRecord(r.ClosestProof);
  return {
    path: bytesOrEmpty(r.Path),
    flippedBits: ((r.FlippedBits as GobValue[] | null | undefined) ?? []).map(toNumber),
    depth: toNumber(r.Depth),
    closestPath: bytesOrEmpty(r.ClosestPath),
    closestValueHash: bytesOrNull(r.ClosestValueHash),
    closestProof: inner === null ? null : smpFrom(inner),
  };
}

export function unmarshalSparseCompactMerkleClosestProof(bytes: Uint8Array): SparseCompactMerkleClosestProof {
  const r = decodeGob(asBytes(bytes), SPARSE_COMPACT_MERKLE_CLOSEST_PROOF);
  const inner = nestedRecord(r.ClosestProof);
  return {
    path: bytesOrEmpty(r.Path),
    flippedBits: byteList(r.FlippedBits),
    depth: bytesOrEmpty(r.Depth),
    closestPath: bytesOrEmpty(r.ClosestPath),
    closestValueHash: bytesOrNull(r.ClosestValueHash),
    closestProof: inner === null ? null : scmpFrom(inner),
  };
}
