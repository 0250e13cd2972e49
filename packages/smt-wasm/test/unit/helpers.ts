import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CommitSet, CoreProof, LeafRef, NodeEncoding } from '../../pkg/smt_wasm.js';

const packageRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const vectorsDir = path.resolve(packageRoot, '../../../shared/vectors');

export function loadVector<T = any>(name: string): T {
  return JSON.parse(readFileSync(path.join(vectorsDir, 'smst', name), 'utf8')) as T;
}

export const H = (b: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(b).digest());
export const hex = (b: Uint8Array | null | undefined): string | null =>
  b == null ? null : Buffer.from(b).toString('hex');
export const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
export const ascii = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'ascii'));
export const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8Array(Buffer.concat(parts));

export function be64(v: bigint): Uint8Array {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt.asUintN(64, v));
  return new Uint8Array(b);
}

/** Leaf payload V = value ‖ be64(weight) ‖ be64(1). */
export const payload = (value: Uint8Array, weight: bigint): Uint8Array => concat(value, be64(weight), be64(1n));

export function expand(seed: string, n: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let have = 0;
  for (let k = 0; have < n; k++) {
    const h = H(ascii(`${seed}:${k}`));
    parts.push(h);
    have += 32;
  }
  return concat(...parts).slice(0, n);
}

export const ZERO48 = new Uint8Array(48);

export function leafDigest(path: Uint8Array, v: Uint8Array): Uint8Array {
  return concat(H(concat(new Uint8Array([0]), path, v)), v.slice(v.length - 16));
}

/** Keeps every payload ever inserted, found back by leaf digest (handles are not needed). */
export class Payloads {
  byDigest = new Map<string, Uint8Array>();
  add(path: Uint8Array, v: Uint8Array): void {
    this.byDigest.set(hex(leafDigest(path, v))!, v);
  }
  of(ref: LeafRef): Uint8Array {
    const v = this.byDigest.get(hex(ref.digest)!);
    if (!v) throw new Error(`unknown leaf ${hex(ref.digest)}`);
    return v;
  }
  leafPre(ref: LeafRef): Uint8Array {
    return concat(new Uint8Array([0]), ref.path, this.of(ref));
  }
  encode(e: NodeEncoding): Uint8Array {
    return e.kind === 'leaf' ? this.leafPre(e.leaf) : e.preimage;
  }
}

export function applyCommit(store: Map<string, Uint8Array>, set: CommitSet, payloads: Payloads): void {
  for (const o of set.orphans) store.delete(hex(o)!);
  for (const n of set.nodes) store.set(hex(n.digest)!, payloads.encode(n.encoding));
}

export function proofToVector(p: CoreProof, payloads: Payloads) {
  return {
    side_nodes: p.sideNodes.map((s) => hex(s)),
    non_membership_leaf_data: p.nonMembershipLeaf ? hex(payloads.leafPre(p.nonMembershipLeaf)) : null,
    sibling_data: p.sibling ? hex(payloads.encode(p.sibling)) : null,
  };
}

/** Go nil side-node lists come as null in the vectors. */
export function normVectorProof(p: any) {
  return {
    side_nodes: p.side_nodes ?? [],
    non_membership_leaf_data: p.non_membership_leaf_data,
    sibling_data: p.sibling_data,
  };
}
