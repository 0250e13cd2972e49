/**
 * Proof verification with Go's exact verdicts (spec §9.5–9.7). The public functions return a
 * boolean and never throw: whenever Go returns an error or would panic, the answer is false.
 * Go's known leniencies (Depth not tied to the side-node count, unforced flips, optional
 * SiblingData, a missing ClosestValueHash meaning "exclusion") are deliberately kept.
 */
import { referenceSha256, sha256 } from '../hash.js';
import { foldProof } from 'smt-wasm';
import { BadProofError } from '../errors.js';
import { bytesEqual, concatBytes, DIGEST_SIZE, getBit, PATH_SIZE, PLACEHOLDER, readU64be, TRAILER_SIZE, u64be } from '../bytes.js';
import { decompactClosestProof, decompactProof } from './compact.js';
import { innerDigest, leafDigest } from './digest.js';
import { unmarshalSparseCompactMerkleClosestProof } from './gob.js';
import type {
  SparseCompactMerkleClosestProof,
  SparseCompactMerkleProof,
  SparseMerkleClosestProof,
  SparseMerkleProof,
} from './types.js';
import { validateClosestProof, validateProof } from './validate.js';

export { hashSerialization } from './digest.js';

/**
 * How keys become paths. 'sha256' is poktroll's spec; 'identity' takes a key's first 32 bytes
 * (keys shorter than that are invalid), as needed for tries built with an identity path hasher.
 */
export type PathHasherKind = 'sha256' | 'identity';

type Engine = 'wasm' | 'node' | undefined;

export interface VerifyOptions {
  pathHasher?: PathHasherKind;
  /**
   * Where the per-level hashing runs: 'wasm' (default, one call for the whole proof) or 'node'
   * (TypeScript with node:crypto, the reference used for differential tests and benchmarks).
   */
  engine?: 'wasm' | 'node';
}

/** Keys that are already paths: Go slices the first 32 bytes and panics on shorter input. */
function truncateToPath(key: Uint8Array): Uint8Array {
  if (key.length < PATH_SIZE) throw new BadProofError(`path of ${key.length} bytes is shorter than ${PATH_SIZE}`);
  return key.subarray(0, PATH_SIZE);
}

function keyToPath(key: Uint8Array, opts?: VerifyOptions): Uint8Array {
  return opts?.pathHasher === 'identity' ? truncateToPath(key) : sha256(key);
}

/** Side nodes are used as exactly 48 bytes, truncated or zero-padded (spec §12 item 12). */
function asDigest(node: Uint8Array): Uint8Array {
  if (node.length === DIGEST_SIZE) return node;
  const out = new Uint8Array(DIGEST_SIZE);
  out.set(node.subarray(0, DIGEST_SIZE));
  return out;
}

/**
 * Recomputes the root for leaf payload `payload` at `path` (empty payload = exclusion) and
 * compares all 48 bytes. Throws BadProofError where Go errors or panics.
 */
function rootMatches(proof: SparseMerkleProof, root: Uint8Array, path: Uint8Array, payload: Uint8Array, engine: Engine): boolean {
  validateProof(proof);
  let current: Uint8Array;
  if (payload.length > 0) {
    current = leafDigest(path, payload, hashFor(engine));
  } else {
    const other = proof.nonMembershipLeafData;
    if (other === null) {
      current = PLACEHOLDER;
    } else {
      if (other[0] !== 0x00) throw new BadProofError('non-membership leaf data has an invalid prefix');
      const otherPath = other.subarray(1, 1 + PATH_SIZE);
      if (bytesEqual(otherPath, path)) throw new BadProofError('non-membership proof on related leaf');
      current = leafDigest(otherPath, other.subarray(1 + PATH_SIZE), hashFor(engine));
    }
  }
  return bytesEqual(fold(current, proof.sideNodes, path, engine), root);
}

const hashFor = (engine: Engine) => (engine === 'node' ? referenceSha256 : sha256);

/** The root implied by `current` at the deepest level and the side nodes above it. */
function fold(current: Uint8Array, sideNodes: Uint8Array[], path: Uint8Array, engine: Engine): Uint8Array {
  const n = sideNodes.length;
  if (engine === 'node') {
    for (let i = 0; i < n; i++) {
      const side = asDigest(sideNodes[i]!);
      current = getBit(path, n - 1 - i) === 0 ? innerDigest(current, side, referenceSha256) : innerDigest(side, current, referenceSha256);
    }
    return current;
  }
  // Side nodes are used as exactly 48 bytes, truncated or zero-padded (spec §12 item 12).
  const sides = new Uint8Array(n * DIGEST_SIZE);
  for (let i = 0; i < n; i++) sides.set(sideNodes[i]!.subarray(0, DIGEST_SIZE), i * DIGEST_SIZE);
  return foldProof(current, sides, path);
}

/**
 * Leaf payload for (value, sum, count). An empty value with a zero sum means "prove absence"
 * (count is then ignored), so such a leaf can never be proven present — Go's rule, kept as is.
 */
function sumPayload(value: Uint8Array, sum: bigint, count: bigint): Uint8Array {
  if (value.length === 0 && BigInt.asUintN(64, sum) === 0n) return new Uint8Array(0);
  return concatBytes(value, u64be(sum), u64be(count));
}

function sumProofMatches(
  proof: SparseMerkleProof,
  root: Uint8Array,
  path: Uint8Array,
  value: Uint8Array,
  sum: bigint,
  count: bigint,
  engine: Engine,
): boolean {
  return rootMatches(proof, root, path, sumPayload(value, sum, count), engine);
}

function closestProofMatches(proof: SparseMerkleClosestProof, root: Uint8Array, engine: Engine): boolean {
  validateClosestProof(proof);
  const path = truncateToPath(proof.closestPath);
  const inner = proof.closestProof!;
  const v = proof.closestValueHash;
  if (v === null) return rootMatches(inner, root, path, new Uint8Array(0), engine);
  if (v.length < TRAILER_SIZE) throw new BadProofError(`closest value hash of ${v.length} bytes has no trailer`);
  const value = v.subarray(0, v.length - TRAILER_SIZE);
  const sum = readU64be(v, v.length - 16);
  const count = readU64be(v, v.length - 8);
  return sumProofMatches(inner, root, path, value, sum, count, engine);
}

/** Runs `check`, mapping every failure (Go error or Go panic) to false. */
function verdict(check: () => boolean): boolean {
  try {
    return check();
  } catch {
    return false;
  }
}

/** Membership of (key, value, sum, count), or absence when value is empty and sum is 0. */
export function verifySumProof(
  proof: SparseMerkleProof,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array,
  sum: bigint,
  count: bigint,
  opts?: VerifyOptions,
): boolean {
  return verdict(() => sumProofMatches(proof, root, keyToPath(key, opts), value, sum, count, opts?.engine));
}

export function verifyCompactSumProof(
  proof: SparseCompactMerkleProof,
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array,
  sum: bigint,
  count: bigint,
  opts?: VerifyOptions,
): boolean {
  return verdict(() => sumProofMatches(decompactProof(proof), root, keyToPath(key, opts), value, sum, count, opts?.engine));
}

/**
 * What the chain runs on a submitted proof. `opts.pathHasher` has no effect here: a closest proof
 * already carries paths, which Go never re-hashes whatever the spec's path hasher is.
 */
export function verifyClosestProof(proof: SparseMerkleClosestProof, root: Uint8Array, opts?: VerifyOptions): boolean {
  return verdict(() => closestProofMatches(proof, root, opts?.engine));
}

export function verifyCompactClosestProof(
  proof: SparseCompactMerkleClosestProof,
  root: Uint8Array,
  opts?: VerifyOptions,
): boolean {
  return verdict(() => closestProofMatches(decompactClosestProof(proof), root, opts?.engine));
}

export type ClosestProofStage = 'unmarshal' | 'decompact' | 'verify' | 'ok';

export interface ClosestProofCheck {
  valid: boolean;
  /** The stage that rejected the proof, or 'ok'. */
  stage: ClosestProofStage;
  error?: string;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * The chain's path for submitted proof bytes: gob-decode a compact closest proof, decompact it,
 * verify it against `root`; reports which stage failed and why. Never throws.
 */
export function checkClosestProofBytes(gobBytes: Uint8Array, root: Uint8Array, opts?: VerifyOptions): ClosestProofCheck {
  let compact: SparseCompactMerkleClosestProof;
  try {
    compact = unmarshalSparseCompactMerkleClosestProof(gobBytes);
  } catch (e) {
    return { valid: false, stage: 'unmarshal', error: describe(e) };
  }
  let proof: SparseMerkleClosestProof;
  try {
    proof = decompactClosestProof(compact);
  } catch (e) {
    return { valid: false, stage: 'decompact', error: describe(e) };
  }
  try {
    if (closestProofMatches(proof, root, opts?.engine)) return { valid: true, stage: 'ok' };
    return { valid: false, stage: 'verify', error: 'computed root does not match' };
  } catch (e) {
    return { valid: false, stage: 'verify', error: describe(e) };
  }
}
