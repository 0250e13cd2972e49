/** Loads the golden vectors in place (never copied) and converts their JSON shapes. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from '../../../src/proof/types.js';

const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
export const VECTOR_DIR = path.resolve(PACKAGE_DIR, '../../../shared/vectors/smst');

export const hex = (s: string): Uint8Array => Uint8Array.from(Buffer.from(s, 'hex'));
export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const hexOrNull = (s: string | null): Uint8Array | null => (s === null ? null : hex(s));

export interface JsonProof {
  side_nodes: string[] | null;
  non_membership_leaf_data: string | null;
  sibling_data: string | null;
}
export interface JsonCompactProof extends JsonProof {
  bit_mask: string | null;
  num_side_nodes: number;
}
export interface JsonClosestProof {
  path: string;
  flipped_bits: number[] | null;
  depth: number;
  closest_path: string;
  closest_value_hash: string | null;
  closest_proof: JsonProof | null;
}
export interface JsonCompactClosestProof {
  path: string;
  flipped_bits: string[] | null;
  depth: string;
  closest_path: string;
  closest_value_hash: string | null;
  closest_proof: JsonCompactProof | null;
}

export interface ProveEntry {
  label: string;
  key: string;
  path: string;
  present: boolean;
  value: string | null;
  weight: string;
  proof: JsonProof;
  proof_gob: string;
  compact_proof: JsonCompactProof;
  compact_proof_gob: string;
  verify_sum_proof: boolean;
  verify_sum_proof_from_gob: boolean;
  verify_compact_sum_proof_from_gob: boolean;
  verify_with_weight_plus_1: boolean;
  verify_with_count_2: boolean;
  verify_with_value_byte_flipped?: boolean;
  verify_as_exclusion?: boolean;
  exclusion_kind?: 'other_leaf' | 'empty_subtree';
}

export interface ClosestEntry {
  label: string;
  path: string;
  proof: JsonClosestProof;
  proof_gob: string | null;
  compact_proof: JsonCompactClosestProof;
  compact_proof_gob: string | null;
  get_value_hash: string | null;
  verify_closest_proof: boolean;
  verify_closest_proof_from_gob: boolean | null;
  verify_compact_closest_proof_from_gob: boolean | null;
  go_panics?: boolean;
}

export interface TamperedEntry {
  label: string;
  description: string;
  root: string;
  compact_proof_gob: string;
  unmarshal_ok: boolean;
  decompact_ok: boolean;
  valid: boolean;
  go_panics: boolean;
}

export interface EdgeCase {
  label: string;
  path_hasher: string;
  root: string;
  prove: ProveEntry[];
  closest: ClosestEntry[];
}

export interface ProofVectors {
  root: string;
  prove: ProveEntry[];
  closest: ClosestEntry[];
  tampered: TamperedEntry[];
  edge_cases: EdgeCase[];
}

export const vectors: ProofVectors = JSON.parse(readFileSync(path.join(VECTOR_DIR, 'smst_proofs.json'), 'utf8'));

export function proofFromJson(j: JsonProof): SparseMerkleProof {
  return {
    sideNodes: (j.side_nodes ?? []).map(hex),
    nonMembershipLeafData: hexOrNull(j.non_membership_leaf_data),
    siblingData: hexOrNull(j.sibling_data),
  };
}

export function compactProofFromJson(j: JsonCompactProof): SparseCompactMerkleProof {
  return {
    sideNodes: (j.side_nodes ?? []).map(hex),
    nonMembershipLeafData: hexOrNull(j.non_membership_leaf_data),
    bitMask: hexOrNull(j.bit_mask),
    numSideNodes: j.num_side_nodes,
    siblingData: hexOrNull(j.sibling_data),
  };
}

export function closestFromJson(j: JsonClosestProof): SparseMerkleClosestProof {
  return {
    path: hex(j.path),
    flippedBits: j.flipped_bits ?? [],
    depth: j.depth,
    closestPath: hex(j.closest_path),
    closestValueHash: hexOrNull(j.closest_value_hash),
    closestProof: j.closest_proof === null ? null : proofFromJson(j.closest_proof),
  };
}

export function compactClosestFromJson(j: JsonCompactClosestProof): SparseCompactMerkleClosestProof {
  return {
    path: hex(j.path),
    flippedBits: (j.flipped_bits ?? []).map(hex),
    depth: hex(j.depth),
    closestPath: hex(j.closest_path),
    closestValueHash: hexOrNull(j.closest_value_hash),
    closestProof: j.closest_proof === null ? null : compactProofFromJson(j.closest_proof),
  };
}

/**
 * A comparable form where Go's nil and empty coincide (spec §10.5): every byte string becomes
 * hex ('' for nil), every list an array ([] for nil).
 */
export function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, normalize(x)]));
  }
  return v;
}

/** normalize() plus nil ≡ empty for byte strings and lists. */
export function loose(v: unknown): unknown {
  if (v === null || v === undefined) return '';
  if (v instanceof Uint8Array) return toHex(v);
  if (Array.isArray(v)) return v.length === 0 ? '' : v.map(loose);
  if (typeof v === 'object') {
    return Object.fromEntries(Object.entries(v as object).map(([k, x]) => [k, loose(x)]));
  }
  return v;
}

export interface Scope {
  name: string;
  root: string;
  identity: boolean;
  prove: ProveEntry[];
  closest: ClosestEntry[];
}

/** The main trie and every edge case, with the root and path hasher their verdicts used. */
export const scopes: Scope[] = [
  { name: 'main', root: vectors.root, identity: false, prove: vectors.prove, closest: vectors.closest },
  ...vectors.edge_cases.map((e) => ({
    name: e.label,
    root: e.root,
    identity: e.path_hasher !== 'sha256',
    prove: e.prove,
    closest: e.closest,
  })),
];
