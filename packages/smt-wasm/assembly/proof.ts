// Proof walks (spec §8.1, §8.2) and Get. Results go to the output buffer:
//   leafRef  = path 32 ‖ digest 48 ‖ handle u32
//   proof    = nSide u32 ‖ nSide × 48 (deepest first) ‖ nm u8 [‖ leafRef]
//              ‖ sib u8 (0 none | 1 leaf ‖ leafRef | 2 node ‖ len u32 ‖ preimage)
//   closest  = nFlips u32 ‖ flips u32… ‖ depth u32 ‖ hasLeaf u8 [‖ leafRef] ‖ proof
import { sha256 } from './sha256';
import {
  K_LEAF, K_INNER, K_EXT, F_PENDING, ZERO48, kindOf, flagsOf, digestPtr, extStart, extEnd,
  extChild, innerChild, bitAt, flipBit, firstDiff, writeInnerPre, writeExtPre,
} from './node';
import {
  root, PATH, resolve, hashDirty, flushPending, outReset, outTake, outU8, outU32, outBytes,
  outLen, outPtr,
} from './trie';
import { blockAlloc, blockFree, blockCap } from './alloc';

// one entry per level walked: a node reference, or a virtual inner node of an extension's
// expanded chain (ext pointer + depth of that virtual node)
const SIB_REF: usize = memory.data(260 * 4);
const SIB_VD: usize = memory.data(260 * 4);
let nSib: i32 = 0;
const FLIPS: usize = memory.data(260 * 4);
let nFlips: i32 = 0;
const WPATH: usize = memory.data(32);
const CHAIN_D: usize = memory.data(48);
const CHAIN_PRE: usize = memory.data(128);
const SIB_PRE: usize = memory.data(128);

@inline function pushSib(ref: usize, vdepth: i32): void {
  store<u32>(SIB_REF + (<usize>nSib << 2), <u32>ref);
  store<i32>(SIB_VD + (<usize>nSib << 2), vdepth);
  nSib++;
}

function pushEmpties(k: i32): void {
  for (let i = 0; i < k; i++) pushSib(0, -1);
}

/** CHAIN_D = digest of the virtual inner node at depth j of extension e's expanded chain. */
function chainDigest(e: usize, j: i32): void {
  memory.copy(CHAIN_D, digestPtr(extChild(e)), 48);
  for (let d = extEnd(e) - 1; d >= j; d--) {
    if (bitAt(e + 56, d) == 0) writeInnerPre(CHAIN_PRE, CHAIN_D, ZERO48);
    else writeInnerPre(CHAIN_PRE, ZERO48, CHAIN_D);
    sha256(CHAIN_PRE, 113, CHAIN_D);
    memory.copy(CHAIN_D + 32, CHAIN_PRE + 97, 16);
  }
}

function outLeafRef(n: usize): void {
  outBytes(n + 56, 32);
  outBytes(n + 8, 48);
  outU32(load<u32>(n, 4));
}

/** Writes the collected siblings as a proof; resolves the last sibling to serialise it. */
function outProof(nmLeaf: usize): i32 {
  // resolve the last sibling before anything is written (it may need the loader)
  let last: usize = 0;
  let lastVd: i32 = -1;
  if (nSib > 0) {
    last = <usize>load<u32>(SIB_REF + (<usize>(nSib - 1) << 2));
    lastVd = load<i32>(SIB_VD + (<usize>(nSib - 1) << 2));
    if (lastVd < 0) {
      const st = resolve(last);
      if (st < 0) return st;
    }
  }
  outReset();
  outU32(<u32>nSib);
  for (let i = nSib - 1; i >= 0; i--) {
    const ref = <usize>load<u32>(SIB_REF + (<usize>i << 2));
    const vd = load<i32>(SIB_VD + (<usize>i << 2));
    if (vd >= 0) {
      chainDigest(ref, vd);
      outBytes(CHAIN_D, 48);
    } else {
      outBytes(digestPtr(ref), 48);
    }
  }
  if (nmLeaf != 0) { outU8(1); outLeafRef(nmLeaf); } else outU8(0);
  if (last == 0) { outU8(0); return 0; }
  if (lastVd >= 0) {
    // a one-child inner node of an expanded chain
    const e = last;
    if (lastVd + 1 == extEnd(e)) memory.copy(CHAIN_D, digestPtr(extChild(e)), 48);
    else chainDigest(e, lastVd + 1);
    if (bitAt(e + 56, lastVd) == 0) writeInnerPre(SIB_PRE, CHAIN_D, ZERO48);
    else writeInnerPre(SIB_PRE, ZERO48, CHAIN_D);
    outU8(2); outU32(113); outBytes(SIB_PRE, 113);
    return 0;
  }
  const k = kindOf(last);
  if (k == K_LEAF) { outU8(1); outLeafRef(last); return 0; }
  outU8(2);
  if (k == K_INNER) {
    outU32(113);
    writeInnerPre(outTake(113), digestPtr(<usize>load<u32>(last, 4)), digestPtr(<usize>load<u32>(last, 56)));
  } else {
    outU32(99);
    writeExtPre(outTake(99), last);
  }
  return 0;
}

/** Go's Prove walk for PATH. 0 or a negative loader error. */
export function prove(): i32 {
  hashDirty();
  nSib = 0;
  let node = root;
  let depth = 0;
  while (depth < 256) {
    if (node == 0) break;
    let st = resolve(node);
    if (st < 0) return st;
    const k = kindOf(node);
    if (k == K_LEAF) break;
    if (k == K_EXT) {
      const s = extStart(node), e = extEnd(node);
      const i = firstDiff(PATH, node + 56, s, e);
      if (i == e) {
        pushEmpties(e - s);
        depth = e;
        node = extChild(node);
        st = resolve(node);
        if (st < 0) return st;
      } else {
        pushEmpties(i - s);
        if (i + 1 == e) pushSib(extChild(node), -1);
        else pushSib(node, i + 1);
        node = 0;
        break;
      }
    }
    const side = bitAt(PATH, depth);
    pushSib(innerChild(node, 1 - side), -1);
    node = innerChild(node, side);
    depth++;
  }
  let nm: usize = 0;
  if (node != 0) {
    const st = resolve(node);
    if (st < 0) return st;
    if (kindOf(node) == K_LEAF && firstDiff(PATH, node + 56, 0, 256) != 256) nm = node;
  }
  return outProof(nm);
}

/**
 * Go's ProveClosest (spec §8.2), greedy form. In the post-delete shape where Go panics this
 * returns the greedy result instead.
 */
export function proveClosest(): i32 {
  hashDirty();
  nSib = 0;
  nFlips = 0;
  if (root == 0) {
    outReset();
    outU32(1); outU32(0); outU32(0); outU8(0);
    outU32(0); outU8(0); outU8(0);
    return 0;
  }
  memory.copy(WPATH, PATH, 32);
  let node = root;
  let vext: usize = 0; // non-zero while walking the expanded chain of this extension
  let depth = 0;
  while (depth < 256) {
    if (vext != 0) {
      if (bitAt(WPATH, depth) != bitAt(vext + 56, depth)) {
        flipBit(WPATH, depth);
        store<u32>(FLIPS + (<usize>nFlips << 2), <u32>depth);
        nFlips++;
      }
      pushSib(0, -1);
      depth++;
      if (depth == extEnd(vext)) { node = extChild(vext); vext = 0; }
      continue;
    }
    let st = resolve(node);
    if (st < 0) return st;
    const k = kindOf(node);
    if (k == K_LEAF) break;
    if (k == K_EXT) {
      const s = extStart(node), e = extEnd(node);
      if (firstDiff(WPATH, node + 56, s, e) == e) {
        pushEmpties(e - s);
        depth = e;
        node = extChild(node);
        st = resolve(node);
        if (st < 0) return st;
      } else {
        vext = node;
        continue;
      }
    }
    let b = bitAt(WPATH, depth);
    let next = innerChild(node, b);
    if (next == 0) {
      flipBit(WPATH, depth);
      store<u32>(FLIPS + (<usize>nFlips << 2), <u32>depth);
      nFlips++;
      b ^= 1;
      next = innerChild(node, b);
    }
    pushSib(innerChild(node, 1 - b), -1);
    node = next;
    depth++;
  }
  const st = resolve(node);
  if (st < 0) return st;
  // the proof goes first into the output buffer; it is then moved behind the header
  const pst = outProof(0);
  if (pst < 0) return pst;
  const plen = outLenNow();
  const tmpProof = outTakeCopyStart(plen);
  outReset();
  outU32(<u32>nFlips);
  for (let i = 0; i < nFlips; i++) outU32(load<u32>(FLIPS + (<usize>i << 2)));
  outU32(depth == 256 ? 0 : <u32>depth); // Go leaves Depth at 0 when the leaf sits at depth 256
  outU8(1);
  outLeafRef(node);
  outBytes(tmpProof, plen);
  return 0;
}

// proof bytes are parked here while the closest-proof header is written
let parkPtr: usize = 0;
let parkCap: usize = 0;
function outLenNow(): usize { return outLen; }
function outTakeCopyStart(n: usize): usize {
  if (n > parkCap) {
    if (parkPtr != 0) blockFree(parkPtr, parkCap);
    parkPtr = blockAlloc(n);
    parkCap = blockCap(n);
  }
  memory.copy(parkPtr, outPtr, n);
  return parkPtr;
}
export function resetProofState(): void { parkPtr = 0; parkCap = 0; }

/** 1 and a leafRef in the output if a leaf with PATH exists, 0 if not, or an error. */
export function get(): i32 {
  let n = root;
  let depth = 0;
  while (n != 0) {
    const st = resolve(n);
    if (st < 0) return st;
    const k = kindOf(n);
    if (k == K_LEAF) {
      if (firstDiff(PATH, n + 56, 0, 256) != 256) return 0;
      if ((flagsOf(n) & F_PENDING) != 0) flushPending();
      outReset();
      outLeafRef(n);
      return 1;
    }
    if (k == K_EXT) {
      const e = extEnd(n);
      if (firstDiff(PATH, n + 56, extStart(n), e) != e) return 0;
      depth = e;
      n = extChild(n);
      continue;
    }
    n = innerChild(n, bitAt(PATH, depth));
    depth++;
  }
  return 0;
}
