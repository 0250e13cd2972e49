/**
 * Node objects of the reference core, mirroring the shapes the chain's Go library keeps in memory
 * (spec §6), plus their digests and store encodings (spec §3).
 */
import { StoreCorruptionError } from '../errors.js';
import { referenceSha256 as sha256 } from '../hash.js';
import { NO_HANDLE } from '../core.js';
import { DIGEST_SIZE, PATH_SIZE, PLACEHOLDER, bitAt, concatBytes, isZero, readU64be, u64be } from '../bytes.js';

export const LEAF_PREFIX = 0x00;
export const INNER_PREFIX = 0x01;
export const EXT_PREFIX = 0x02;

const INNER_PREIMAGE_BYTES = 1 + 2 * DIGEST_SIZE + 16; // 113
const EXT_PREIMAGE_BYTES = 3 + PATH_SIZE + DIGEST_SIZE + 16; // 99
/** 00 ‖ path ‖ V with the shortest legal V (empty value + weight + count). */
const MIN_LEAF_PREIMAGE_BYTES = 1 + PATH_SIZE + 16;

/**
 * `persisted` says the node's encoding is in the store under `digest`; such a node must be
 * reported as an orphan once it is replaced or modified. `digest` is a cache: null means it has
 * to be recomputed (it is cleared along every mutated path).
 */
export interface LeafNode {
  kind: 'leaf';
  path: Uint8Array;
  /** V = value ‖ u64be(weight) ‖ u64be(1). The reference core keeps it; a fast core need not. */
  payload: Uint8Array;
  handle: number;
  persisted: boolean;
  digest: Uint8Array | null;
}

export interface InnerNode {
  kind: 'inner';
  left: TrieNode;
  right: TrieNode;
  persisted: boolean;
  digest: Uint8Array | null;
}

/** A run of one-child levels [start, end); bits of `path` outside that range are filler. */
export interface ExtNode {
  kind: 'ext';
  path: Uint8Array;
  start: number;
  end: number;
  /** Always an inner node (possibly still lazy). */
  child: TrieNode;
  persisted: boolean;
  digest: Uint8Array | null;
}

/** A stored node not loaded yet; never the empty placeholder (that is represented as null). */
export interface LazyNode {
  kind: 'lazy';
  digest: Uint8Array;
}

export type TrieNode = LeafNode | InnerNode | ExtNode | LazyNode | null;

export function newLeaf(path: Uint8Array, payload: Uint8Array, handle: number): LeafNode {
  return { kind: 'leaf', path, payload, handle, persisted: false, digest: null };
}

export function newInner(left: TrieNode, right: TrieNode): InnerNode {
  return { kind: 'inner', left, right, persisted: false, digest: null };
}

export function newExt(path: Uint8Array, start: number, end: number, child: TrieNode): ExtNode {
  return { kind: 'ext', path, start, end, child, persisted: false, digest: null };
}

export function markDirty(node: InnerNode | ExtNode): void {
  node.persisted = false;
  node.digest = null;
}

/** H(pre) ‖ last 16 bytes of pre: the digest rule for leaves and inner nodes. */
function digestOfPreimage(preimage: Uint8Array): Uint8Array {
  return concatBytes(sha256(preimage), preimage.subarray(preimage.length - 16));
}

export function leafPreimage(path: Uint8Array, payload: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(LEAF_PREFIX), path, payload);
}

export function innerPreimage(left: Uint8Array, right: Uint8Array): Uint8Array {
  // Sums and counts wrap modulo 2^64 exactly like Go's uint64 addition.
  const sum = readU64be(left, 32) + readU64be(right, 32);
  const count = readU64be(left, 40) + readU64be(right, 40);
  return concatBytes(Uint8Array.of(INNER_PREFIX), left, right, u64be(sum), u64be(count));
}

export function innerDigestOf(left: Uint8Array, right: Uint8Array): Uint8Array {
  return digestOfPreimage(innerPreimage(left, right));
}

export function leafDigestOf(path: Uint8Array, payload: Uint8Array): Uint8Array {
  return digestOfPreimage(leafPreimage(path, payload));
}

/**
 * An extension hashes as the chain of one-child inner nodes it abbreviates, so extensions never
 * influence a root: only stored preimages and proof sibling data reveal them.
 */
export function extDigestOf(path: Uint8Array, start: number, end: number, childDigest: Uint8Array): Uint8Array {
  let d = childDigest;
  for (let depth = end - 1; depth >= start; depth--) {
    d = bitAt(path, depth) === 0 ? innerDigestOf(d, PLACEHOLDER) : innerDigestOf(PLACEHOLDER, d);
  }
  return d;
}

export function extPreimage(path: Uint8Array, start: number, end: number, childDigest: Uint8Array): Uint8Array {
  return concatBytes(Uint8Array.of(EXT_PREFIX, start, end), path, childDigest, childDigest.subarray(32));
}

/** Digest of any node, filling the per-node caches on the way down. */
export function digestOf(node: TrieNode): Uint8Array {
  if (node === null) return PLACEHOLDER;
  if (node.kind === 'lazy') return node.digest;
  if (node.digest !== null) return node.digest;
  let d: Uint8Array;
  switch (node.kind) {
    case 'leaf':
      d = leafDigestOf(node.path, node.payload);
      break;
    case 'inner':
      d = innerDigestOf(digestOf(node.left), digestOf(node.right));
      break;
    case 'ext':
      d = extDigestOf(node.path, node.start, node.end, digestOf(node.child));
      break;
  }
  node.digest = d;
  return d;
}

/** Store encoding of an inner or extension node (leaves are encoded by whoever holds V). */
export function structuralPreimage(node: InnerNode | ExtNode): Uint8Array {
  if (node.kind === 'inner') return innerPreimage(digestOf(node.left), digestOf(node.right));
  return extPreimage(node.path, node.start, node.end, digestOf(node.child));
}

/**
 * Lazy reference for a child digest taken from a stored preimage; the placeholder means "empty".
 * Go keeps a stub even for the placeholder, and its ProveClosest then mistakes the empty side of a
 * reloaded one-child inner node for an empty trie. Mapping it to "empty" right away makes a
 * reloaded trie answer exactly like the in-memory one it was committed from.
 */
function childRef(digest: Uint8Array): TrieNode {
  return isZero(digest) ? null : { kind: 'lazy', digest: new Uint8Array(digest) };
}

/**
 * Turns a stored preimage back into a node. The loaded node is persisted under the digest it was
 * looked up by (Go trusts the store the same way and does not re-hash).
 */
export function parseStoredNode(digest: Uint8Array, preimage: Uint8Array): LeafNode | InnerNode | ExtNode {
  const fail = (why: string): never => {
    throw new StoreCorruptionError(`stored node does not parse: ${why}`);
  };
  if (!(preimage instanceof Uint8Array) || preimage.length === 0) fail('empty or not bytes');
  const key = new Uint8Array(digest);
  switch (preimage[0]) {
    case LEAF_PREFIX: {
      if (preimage.length < MIN_LEAF_PREIMAGE_BYTES) fail(`leaf preimage of ${preimage.length} bytes`);
      return {
        kind: 'leaf',
        path: preimage.slice(1, 1 + PATH_SIZE),
        payload: preimage.slice(1 + PATH_SIZE),
        handle: NO_HANDLE,
        persisted: true,
        digest: key,
      };
    }
    case INNER_PREFIX: {
      if (preimage.length !== INNER_PREIMAGE_BYTES) fail(`inner preimage of ${preimage.length} bytes`);
      const left = childRef(preimage.subarray(1, 1 + DIGEST_SIZE));
      const right = childRef(preimage.subarray(1 + DIGEST_SIZE, 1 + 2 * DIGEST_SIZE));
      if (left === null && right === null) fail('inner node without children');
      return { kind: 'inner', left, right, persisted: true, digest: key };
    }
    case EXT_PREFIX: {
      if (preimage.length !== EXT_PREIMAGE_BYTES) fail(`extension preimage of ${preimage.length} bytes`);
      const start = preimage[1]!;
      const end = preimage[2]!;
      if (start >= end) fail(`extension bounds [${start}, ${end})`);
      const child = childRef(preimage.subarray(3 + PATH_SIZE, 3 + PATH_SIZE + DIGEST_SIZE));
      if (child === null) fail('extension without child');
      return {
        kind: 'ext',
        path: preimage.slice(3, 3 + PATH_SIZE),
        start,
        end,
        child,
        persisted: true,
        digest: key,
      };
    }
    default:
      return fail(`unknown prefix ${preimage[0]}`);
  }
}
