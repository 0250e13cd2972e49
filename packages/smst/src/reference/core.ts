/**
 * The plain TypeScript trie core: the differential oracle for the WASM core and the benchmark
 * baseline. It keeps node objects shaped exactly like the chain's Go library keeps them (spec §6)
 * because proof sibling data and committed store contents expose that shape byte for byte.
 *
 * Clarity first: recursion, one object per node, digests cached per node and cleared along every
 * mutated path (as Go does), nothing cleverer.
 *
 * Lazily loaded tries: every operation first walks its path and resolves, through the loader, each
 * stored node it is going to look at or change, and only then mutates. A missing or unparsable node
 * therefore throws before anything changed. Resolved nodes replace their lazy stubs in place; that
 * is invisible (same digest, still persisted) and harmless if a later resolution fails.
 */
import { NO_HANDLE } from '../core.js';
import type {
  CommitSet,
  CoreClosestProof,
  CoreProof,
  LeafRef,
  NodeEncoding,
  NodeLoader,
  SmstCore,
} from '../core.js';
import { InvalidInputError, SmstError, StoreCorruptionError } from '../errors.js';
import {
  DIGEST_SIZE,
  MAX_DEPTH,
  PATH_SIZE,
  bitAt,
  bytesEqual,
  firstDifferingBit,
  flipBit,
  isZero,
  toHex,
} from '../bytes.js';
import {
  digestOf,
  markDirty,
  newExt,
  newInner,
  newLeaf,
  parseStoredNode,
  structuralPreimage,
} from './nodes.js';
import type { ExtNode, InnerNode, LazyNode, LeafNode, TrieNode } from './nodes.js';

export { canonicalRoot } from './canonical.js';
export type { CanonicalLeaf } from './canonical.js';

type Resolved = Exclude<TrieNode, LazyNode>;
type Side = 0 | 1;

/** The shortest legal payload: empty value ‖ u64be(weight) ‖ u64be(count). */
const MIN_PAYLOAD_BYTES = 16;

export class ReferenceSmstCore implements SmstCore {
  private rootNode: TrieNode = null;
  /** Digests of persisted nodes replaced or modified since the last commit, in Go's order. */
  private orphans: Uint8Array[] = [];
  private loader: NodeLoader | null = null;
  private disposed = false;

  update(path: Uint8Array, payload: Uint8Array, handle: number): void {
    this.assertUsable();
    checkPath(path);
    if (!(payload instanceof Uint8Array) || payload.length < MIN_PAYLOAD_BYTES) {
      throw new InvalidInputError(`payload must be at least ${MIN_PAYLOAD_BYTES} bytes`);
    }
    if (!Number.isInteger(handle) || handle < 0 || handle > NO_HANDLE) {
      throw new InvalidInputError('handle must be a uint32');
    }
    // The caller may reuse its buffers (Go's aliasing hazard, spec §4): keep our own copies.
    const leaf = newLeaf(new Uint8Array(path), new Uint8Array(payload), handle);
    this.resolveInsertPath(leaf.path);
    const opOrphans: Uint8Array[] = [];
    this.rootNode = this.insert(this.rootNode, 0, leaf, opOrphans);
    this.orphans.push(...opOrphans);
  }

  delete(path: Uint8Array): boolean {
    this.assertUsable();
    checkPath(path);
    const p = new Uint8Array(path);
    if (!this.resolveDeletePath(p)) return false;
    const opOrphans: Uint8Array[] = [];
    this.rootNode = this.remove(this.rootNode, 0, p, opOrphans);
    this.orphans.push(...opOrphans);
    return true;
  }

  get(path: Uint8Array): LeafRef | null {
    this.assertUsable();
    checkPath(path);
    let node = this.resolvedRoot();
    let depth = 0;
    for (;;) {
      if (node === null) return null;
      if (node.kind === 'leaf') return bytesEqual(node.path, path) ? leafRef(node) : null;
      if (node.kind === 'inner') {
        node = this.childOf(node, bitAt(path, depth));
        depth += 1;
      } else {
        if (!extCovers(node, path)) return null;
        depth = node.end;
        node = this.extChild(node);
      }
    }
  }

  root(): Uint8Array {
    this.assertUsable();
    return new Uint8Array(digestOf(this.rootNode));
  }

  prove(path: Uint8Array): CoreProof {
    this.assertUsable();
    checkPath(path);
    const p = new Uint8Array(path);
    const siblings: TrieNode[] = []; // root level first
    let lastSibling: TrieNode = null;
    let node = this.resolvedRoot();
    let depth = 0;
    while (depth < MAX_DEPTH && node !== null && node.kind !== 'leaf') {
      let inner: InnerNode;
      if (node.kind === 'ext') {
        if (extCovers(node, p)) {
          for (let d = node.start; d < node.end; d++) siblings.push(null);
          depth = node.end;
          inner = this.extChild(node);
        } else {
          // The path leaves the run somewhere inside: walk the run as the one-child levels it stands for.
          inner = expandExt(node);
        }
      } else {
        inner = node;
      }
      const b = bitAt(p, depth);
      lastSibling = b === 0 ? inner.right : inner.left;
      siblings.push(lastSibling);
      node = this.childOf(inner, b);
      depth += 1;
    }
    let nonMembershipLeaf: LeafRef | null = null;
    if (node !== null) {
      if (node.kind !== 'leaf') throw new Error('internal: proof walk ended on a non-leaf');
      if (!bytesEqual(node.path, p)) nonMembershipLeaf = leafRef(node);
    }
    return {
      sideNodes: sideNodeDigests(siblings),
      nonMembershipLeaf,
      sibling: lastSibling === null ? null : this.encodingOf(this.resolve(lastSibling)),
    };
  }

  /**
   * Go's ProveClosest (spec §8.2) as a greedy walk: follow `path`, and wherever the wanted side is
   * empty take the other one and record the flipped bit. Two Go quirks are reproduced on purpose:
   * a leaf at depth 256 is reported with depth 0, and the shape Go's backtracking cannot handle
   * (a fully matched extension whose inner child is empty on the wanted side, which only deletes
   * create) throws an SmstError with code `go_panic` where Go panics.
   */
  proveClosest(path: Uint8Array): CoreClosestProof {
    this.assertUsable();
    checkPath(path);
    const w = new Uint8Array(path);
    let node = this.resolvedRoot();
    if (node === null) {
      // Go flips bit 0 before it notices there is nothing to find.
      return { flippedBits: [0], depth: 0, leaf: null, proof: emptyProof() };
    }
    const flippedBits: number[] = [];
    const siblings: TrieNode[] = [];
    let lastSibling: TrieNode = null;
    let depth = 0;
    while (depth < MAX_DEPTH && node.kind !== 'leaf') {
      let inner: InnerNode;
      if (node.kind === 'ext') {
        const ext: ExtNode = node;
        // Go backs up onto the extension itself after a dead end at its first level, so a
        // mismatch there alone turns into one flip followed by a full match of the run.
        if (bitAt(w, ext.start) !== bitAt(ext.path, ext.start) && extCovers(ext, w, ext.start + 1)) {
          flipBit(w, ext.start);
          flippedBits.push(ext.start);
        }
        if (extCovers(ext, w)) {
          for (let d = ext.start; d < ext.end; d++) siblings.push(null);
          depth = ext.end;
          inner = this.extChild(ext);
          if ((bitAt(w, depth) === 0 ? inner.left : inner.right) === null) {
            // Go rewinds by the whole run plus one level, lands above the extension and panics.
            throw new SmstError(
              'go_panic',
              'proveClosest: the Go library panics on this trie shape (depth != extNode.pathStart)',
            );
          }
        } else {
          inner = expandExt(ext);
        }
      } else {
        inner = node;
      }
      let b: Side = bitAt(w, depth);
      if ((b === 0 ? inner.left : inner.right) === null) {
        flipBit(w, depth);
        flippedBits.push(depth);
        b = b === 0 ? 1 : 0;
      }
      lastSibling = b === 0 ? inner.right : inner.left;
      siblings.push(lastSibling);
      const next = this.childOf(inner, b);
      if (next === null) throw new Error('internal: inner node with two empty children');
      node = next;
      depth += 1;
    }
    if (node.kind !== 'leaf') throw new Error('internal: closest walk ended on a non-leaf');
    return {
      flippedBits,
      // Go's loop stops at depth 256 before it looks at the leaf and so never records the depth.
      depth: depth === MAX_DEPTH ? 0 : depth,
      leaf: leafRef(node),
      proof: {
        sideNodes: sideNodeDigests(siblings),
        nonMembershipLeaf: null,
        sibling: lastSibling === null ? null : this.encodingOf(this.resolve(lastSibling)),
      },
    };
  }

  commit(): CommitSet {
    this.assertUsable();
    const orphans = this.orphans;
    this.orphans = [];
    const nodes: CommitSet['nodes'] = [];
    persist(this.rootNode, nodes);
    return { orphans, nodes };
  }

  import(root: Uint8Array): void {
    this.assertUsable();
    if (!(root instanceof Uint8Array) || root.length !== DIGEST_SIZE) {
      throw new InvalidInputError(`root must be ${DIGEST_SIZE} bytes`);
    }
    this.rootNode = isZero(root) ? null : { kind: 'lazy', digest: new Uint8Array(root) };
    this.orphans = [];
  }

  setLoader(loader: NodeLoader): void {
    this.assertUsable();
    if (typeof loader !== 'function') throw new InvalidInputError('loader must be a function');
    this.loader = loader;
  }

  dispose(): void {
    this.disposed = true;
    this.rootNode = null;
    this.orphans = [];
    this.loader = null;
  }

  // ---------------------------------------------------------------------------------------------
  // Insert (spec §6.1)

  /** Loads every stored node `insert` will descend through. */
  private resolveInsertPath(path: Uint8Array): void {
    let node = this.resolvedRoot();
    let depth = 0;
    while (node !== null && node.kind !== 'leaf') {
      if (node.kind === 'inner') {
        node = this.childOf(node, bitAt(path, depth));
        depth += 1;
      } else {
        // A split leaves the extension's child where it is, so only a full match goes deeper.
        if (!extCovers(node, path)) return;
        depth = node.end;
        node = this.extChild(node);
      }
    }
  }

  private insert(node: TrieNode, depth: number, leaf: LeafNode, orphans: Uint8Array[]): Resolved {
    const current = expectResolved(node);
    if (current === null) return leaf;
    if (current.kind === 'leaf') {
      const split = firstDifferingBit(leaf.path, current.path, depth);
      if (split === MAX_DEPTH) {
        addOrphan(current, orphans);
        return leaf;
      }
      // The old leaf is untouched (still persisted if it was); it just moves down.
      const branch = bitAt(leaf.path, split) === 0 ? newInner(leaf, current) : newInner(current, leaf);
      return split > depth ? newExt(leaf.path, depth, split, branch) : branch;
    }
    addOrphan(current, orphans);
    markDirty(current);
    if (current.kind === 'inner') {
      if (bitAt(leaf.path, depth) === 0) current.left = this.insert(current.left, depth + 1, leaf, orphans);
      else current.right = this.insert(current.right, depth + 1, leaf, orphans);
      return current;
    }
    return this.insertThroughExt(current, leaf, orphans);
  }

  /** `ext` sits at depth ext.start; returns what replaces it. */
  private insertThroughExt(ext: ExtNode, leaf: LeafNode, orphans: Uint8Array[]): Resolved {
    let split = ext.start;
    while (split < ext.end && bitAt(ext.path, split) === bitAt(leaf.path, split)) split++;
    if (split === ext.end) {
      ext.child = this.insert(ext.child, ext.end, leaf, orphans);
      return ext;
    }
    // A new branch node at depth `split`: the rest of the run goes on the run's side, the new leaf
    // on the other. Both halves of a split run keep the original path bytes (spec §6.4).
    const oldChild = ext.child;
    const branch = newInner(null, null);
    let head: Resolved;
    let tail: TrieNode;
    if (split === ext.start) {
      ext.start += 1;
      tail = ext.start === ext.end ? oldChild : ext;
      head = branch;
    } else {
      tail = split === ext.end - 1 ? oldChild : newExt(ext.path, split + 1, ext.end, oldChild);
      ext.end = split;
      ext.child = branch;
      head = ext;
    }
    if (bitAt(ext.path, split) === 0) {
      branch.left = tail;
      branch.right = leaf;
    } else {
      branch.left = leaf;
      branch.right = tail;
    }
    return head;
  }

  // ---------------------------------------------------------------------------------------------
  // Delete (spec §6.2)

  /**
   * Loads the nodes on the path and, when the leaf exists, every sibling along it (the collapse
   * rules look at the siblings' kinds). Returns whether the leaf exists. Siblings are not loaded for
   * an absent key, as Go reports "not found" before it would touch them.
   */
  private resolveDeletePath(path: Uint8Array): boolean {
    const inners: { node: InnerNode; depth: number }[] = [];
    let node = this.resolvedRoot();
    let depth = 0;
    for (;;) {
      if (node === null) return false;
      if (node.kind === 'leaf') {
        if (!bytesEqual(node.path, path)) return false;
        break;
      }
      if (node.kind === 'inner') {
        inners.push({ node, depth });
        node = this.childOf(node, bitAt(path, depth));
        depth += 1;
      } else {
        if (!extCovers(node, path)) return false;
        depth = node.end;
        node = this.extChild(node);
      }
    }
    for (const { node: inner, depth: d } of inners) this.childOf(inner, bitAt(path, d) === 0 ? 1 : 0);
    return true;
  }

  /** Removes the (known to exist) leaf at `path` below `node`; returns what replaces `node`. */
  private remove(node: TrieNode, depth: number, path: Uint8Array, orphans: Uint8Array[]): Resolved {
    const current = expectResolved(node);
    if (current === null) throw new Error('internal: delete walked into an empty subtree');
    addOrphan(current, orphans);
    if (current.kind === 'leaf') return null;
    if (current.kind === 'ext') {
      current.child = this.remove(current.child, current.end, path, orphans);
      const child = current.child;
      if (child !== null && child.kind === 'leaf') return child; // the run disappears, the leaf floats up
      if (child !== null && child.kind === 'ext') {
        // Two runs meet: the lower one takes over the upper one's start but keeps its own path bytes.
        addOrphan(child, orphans);
        child.start = current.start;
        markDirty(child);
        return child;
      }
      markDirty(current);
      return current;
    }
    const side = bitAt(path, depth);
    let sibling: TrieNode;
    let child: Resolved;
    if (side === 0) {
      child = current.left = this.remove(current.left, depth + 1, path, orphans);
      sibling = current.right;
    } else {
      child = current.right = this.remove(current.right, depth + 1, path, orphans);
      sibling = current.left;
    }
    const survivor = child === null ? expectResolved(sibling) : sibling === null ? child : null;
    if (survivor !== null && survivor.kind === 'leaf') return survivor;
    if (survivor !== null && survivor.kind === 'ext') {
      // The extension grows upwards by this level instead of this node staying as a one-child inner.
      addOrphan(survivor, orphans);
      survivor.start -= 1;
      markDirty(survivor);
      return survivor;
    }
    // Either both sides are still occupied, or the lone survivor is an inner node: Go keeps this
    // node with one empty side rather than creating an extension (spec §6.2).
    markDirty(current);
    return current;
  }

  // ---------------------------------------------------------------------------------------------
  // Lazy resolution

  private resolve(node: TrieNode): Resolved {
    if (node === null || node.kind !== 'lazy') return node;
    if (this.loader === null) {
      throw new StoreCorruptionError(`node ${toHex(node.digest)} is needed but no loader is set`);
    }
    const preimage = this.loader(node.digest);
    if (preimage === undefined) throw new StoreCorruptionError(`node ${toHex(node.digest)} is missing from the store`);
    return parseStoredNode(node.digest, preimage);
  }

  private resolvedRoot(): Resolved {
    const root = this.resolve(this.rootNode);
    this.rootNode = root;
    return root;
  }

  private childOf(inner: InnerNode, side: Side): Resolved {
    if (side === 0) return (inner.left = this.resolve(inner.left));
    return (inner.right = this.resolve(inner.right));
  }

  private extChild(ext: ExtNode): InnerNode {
    const child = this.resolve(ext.child);
    if (child === null || child.kind !== 'inner') {
      throw new StoreCorruptionError('an extension node does not lead to an inner node');
    }
    ext.child = child;
    return child;
  }

  private encodingOf(node: Resolved): NodeEncoding | null {
    if (node === null) return null;
    if (node.kind === 'leaf') return { kind: 'leaf', leaf: leafRef(node) };
    return { kind: 'node', preimage: structuralPreimage(node) };
  }

  private assertUsable(): void {
    if (this.disposed) throw new Error('ReferenceSmstCore used after dispose()');
  }
}

// -----------------------------------------------------------------------------------------------

function checkPath(path: Uint8Array): void {
  if (!(path instanceof Uint8Array) || path.length !== PATH_SIZE) {
    throw new InvalidInputError(`path must be ${PATH_SIZE} bytes`);
  }
}

function expectResolved(node: TrieNode): Resolved {
  if (node !== null && node.kind === 'lazy') throw new Error('internal: unresolved node on a mutation path');
  return node;
}

/** Go records a node as orphan only if the store holds it, i.e. it was persisted and unchanged since. */
function addOrphan(node: LeafNode | InnerNode | ExtNode, orphans: Uint8Array[]): void {
  if (node.persisted) orphans.push(digestOf(node));
}

/** Does `path` agree with the run's bits on [from, ext.end)? */
function extCovers(ext: ExtNode, path: Uint8Array, from: number = ext.start): boolean {
  for (let i = from; i < ext.end; i++) if (bitAt(ext.path, i) !== bitAt(path, i)) return false;
  return true;
}

/** The run as fresh one-child inner objects, top (depth ext.start) first. */
function expandExt(ext: ExtNode): InnerNode {
  let below: TrieNode = ext.child;
  for (let depth = ext.end - 1; depth >= ext.start; depth--) {
    below = bitAt(ext.path, depth) === 0 ? newInner(below, null) : newInner(null, below);
  }
  return below as InnerNode;
}

/** Go's side-node order: deepest level first. */
function sideNodeDigests(siblingsRootFirst: TrieNode[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = siblingsRootFirst.length - 1; i >= 0; i--) out.push(new Uint8Array(digestOf(siblingsRootFirst[i]!)));
  return out;
}

function emptyProof(): CoreProof {
  return { sideNodes: [], nonMembershipLeaf: null, sibling: null };
}

function leafRef(leaf: LeafNode): LeafRef {
  return { path: new Uint8Array(leaf.path), digest: new Uint8Array(digestOf(leaf)), handle: leaf.handle };
}

/** Go's commit walk: skip persisted subtrees, emit children before parents, left before right. */
function persist(node: TrieNode, out: CommitSet['nodes']): void {
  if (node === null || node.kind === 'lazy' || node.persisted) return;
  node.persisted = true;
  if (node.kind === 'leaf') {
    out.push({ digest: new Uint8Array(digestOf(node)), encoding: { kind: 'leaf', leaf: leafRef(node) } });
    // From now on the payload is in the store; the caller's handle no longer has to stay valid.
    node.handle = NO_HANDLE;
    return;
  }
  if (node.kind === 'inner') {
    persist(node.left, out);
    persist(node.right, out);
  } else {
    persist(node.child, out);
  }
  out.push({ digest: new Uint8Array(digestOf(node)), encoding: { kind: 'node', preimage: structuralPreimage(node) } });
}
