import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { NO_HANDLE } from '../../../src/core.js';
import type { CommitSet, CoreProof, LeafRef, NodeEncoding, NodeLoader } from '../../../src/core.js';
import { referenceSha256 as sha256 } from '../../../src/hash.js';
import { ReferenceSmstCore } from '../../../src/reference/core.js';

const PACKAGE_DIR = fileURLToPath(new URL('../../../', import.meta.url));
export const VECTORS_DIR = path.resolve(PACKAGE_DIR, '../../../shared/vectors/smst');

export function loadVectors<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(VECTORS_DIR, name), 'utf8')) as T;
}

export const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'utf8'));
export const H = sha256;

export function u64be(n: bigint): Uint8Array {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, n, false);
  return out;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  return new Uint8Array(Buffer.concat(parts));
}

/** V = value ‖ u64be(weight) ‖ u64be(1). */
export function payloadOf(value: Uint8Array, weight: bigint): Uint8Array {
  return concat(value, u64be(weight), u64be(1n));
}

/** README's expand(seed, n): the first n bytes of H(seed‖":0") ‖ H(seed‖":1") ‖ … */
export function expandSeed(seed: string, n: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let have = 0;
  for (let k = 0; have < n; k++) {
    const c = H(ascii(`${seed}:${k}`));
    chunks.push(c);
    have += c.length;
  }
  return concat(...chunks).subarray(0, n);
}

/**
 * A core plus what its caller keeps: payloads by handle (until a commit moves them to the store)
 * and a Map node store fed with the commit sets.
 */
export class Harness {
  readonly core = new ReferenceSmstCore();
  readonly store = new Map<string, Uint8Array>();
  private readonly payloads = new Map<number, Uint8Array>();
  private nextHandle = 1;

  update(path: Uint8Array, payload: Uint8Array): void {
    const handle = this.nextHandle++;
    this.payloads.set(handle, payload.slice());
    this.core.update(path, payload, handle);
  }

  delete(path: Uint8Array): boolean {
    return this.core.delete(path);
  }

  /** The leaf's V, from our payload table or, for NO_HANDLE leaves, from the store. */
  payload(ref: LeafRef): Uint8Array {
    if (ref.handle !== NO_HANDLE) {
      const v = this.payloads.get(ref.handle);
      if (!v) throw new Error(`unknown handle ${ref.handle}`);
      return v;
    }
    const pre = this.store.get(hex(ref.digest));
    if (!pre) throw new Error(`leaf ${hex(ref.digest)} not in store`);
    expect(pre[0]).toBe(0);
    expect(hex(pre.subarray(1, 33))).toBe(hex(ref.path));
    return pre.subarray(33);
  }

  leafPreimage(ref: LeafRef): Uint8Array {
    return concat(Uint8Array.of(0), ref.path, this.payload(ref));
  }

  encodingBytes(enc: NodeEncoding): Uint8Array {
    return enc.kind === 'leaf' ? this.leafPreimage(enc.leaf) : enc.preimage;
  }

  commit(): CommitSet {
    const set = this.core.commit();
    applyCommit(this.store, set, (ref) => this.leafPreimage(ref));
    // Payloads now live in the store.
    this.payloads.clear();
    return set;
  }

  loader(): NodeLoader {
    return (digest) => this.store.get(hex(digest));
  }
}

export function applyCommit(
  store: Map<string, Uint8Array>,
  set: CommitSet,
  leafPreimage: (ref: LeafRef) => Uint8Array,
): void {
  for (const d of set.orphans) store.delete(hex(d));
  for (const { digest, encoding } of set.nodes) {
    store.set(hex(digest), encoding.kind === 'leaf' ? leafPreimage(encoding.leaf) : encoding.preimage.slice());
  }
}

export function storeDump(store: Map<string, Uint8Array>): { k: string; v: string }[] {
  return [...store.entries()].map(([k, v]) => ({ k, v: hex(v) })).sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
}

/** A CoreProof in the vectors' `proof` field shape (hex, null for absent). */
export function proofFields(h: Harness, p: CoreProof) {
  return {
    side_nodes: p.sideNodes.map(hex),
    non_membership_leaf_data: p.nonMembershipLeaf ? hex(h.leafPreimage(p.nonMembershipLeaf)) : null,
    sibling_data: p.sibling ? hex(h.encodingBytes(p.sibling)) : null,
  };
}

/** The vectors' `proof` of a closest entry, rebuilt from the core's answer. */
export function closestFields(h: Harness, queried: Uint8Array) {
  const c = h.core.proveClosest(queried);
  return {
    path: hex(queried),
    flipped_bits: c.flippedBits,
    depth: c.depth,
    closest_path: c.leaf ? hex(c.leaf.path) : '00'.repeat(48),
    closest_value_hash: c.leaf ? hex(h.payload(c.leaf)) : null,
    closest_proof: proofFields(h, c.proof),
  };
}

/** Vector side nodes may be null (Go nil slice) for an empty list. */
export function normaliseVectorProof(p: any) {
  return {
    side_nodes: p.side_nodes ?? [],
    non_membership_leaf_data: p.non_membership_leaf_data,
    sibling_data: p.sibling_data,
  };
}

export function normaliseVectorClosest(p: any) {
  return {
    path: p.path,
    flipped_bits: p.flipped_bits ?? [],
    depth: p.depth,
    closest_path: p.closest_path,
    closest_value_hash: p.closest_value_hash,
    closest_proof: normaliseVectorProof(p.closest_proof),
  };
}
