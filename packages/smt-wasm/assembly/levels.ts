// Threads build: one depth level of root() as a list of nodes, each thread building the
// preimages of the chunks it takes (reading the children's digests: random memory reads, about
// as costly as the hashing) and hashing them. Compiled into the core module and into the
// worker's module (assembly/hashworker.ts); each has its own scratch below.
import { hashJobsLocal, offerSplit, splitCounter, joinSplit } from './sha256x4';
import { digestPtr, writeInnerPre, copy16, setFlags, flagsOf, F_STALE, ZERO48, bitAt } from './node';

const LCHUNK: usize = 64;
const LPRE: usize = memory.data(<i32>(LCHUNK * 128), 16);
const LJOBS: usize = memory.data(<i32>(LCHUNK * 12), 16);

/**
 * List entries (u32): a stale inner node at `depth`, or an extension pointer | 1 for one step of
 * its expanded chain at `depth` (its running digest is kept in its digest field).
 */
function levelRange(list: usize, from: usize, to: usize, depth: i32): void {
  let k: usize = 0;
  for (let i = from; i < to; i++, k++) {
    const v = <usize>load<u32>(list + (i << 2));
    const pre = LPRE + (k << 7);
    const j = LJOBS + k * 12;
    let out: usize;
    if ((v & 1) == 0) {
      writeInnerPre(pre, digestPtr(<usize>load<u32>(v, 4)), digestPtr(<usize>load<u32>(v, 56)));
      copy16(v + 40, pre + 97);
      setFlags(v, flagsOf(v) & ~F_STALE);
      out = v + 8;
    } else {
      const e = v & ~<usize>1;
      // the sum/count trailer is the child's and stays put
      if (bitAt(e + 56, depth) == 0) writeInnerPre(pre, e + 8, ZERO48);
      else writeInnerPre(pre, ZERO48, e + 8);
      out = e + 8;
    }
    store<u32>(j, <u32>pre);
    store<u32>(j, 113, 4);
    store<u32>(j, <u32>out, 8);
  }
  hashJobsLocal(LJOBS, k);
}

/** Takes chunks of the level list from the counter at ctr until none is left. */
export function hashLevelShared(list: usize, n: usize, ctr: usize, depth: i32): void {
  for (;;) {
    const i = <usize>atomic.add<u32>(ctr, <u32>LCHUNK);
    if (i >= n) break;
    levelRange(list, i, n - i < LCHUNK ? n : i + LCHUNK, depth);
  }
}

/** Hashes a level list of n entries, shared with the worker thread when large enough. */
export function hashLevel(list: usize, n: usize, depth: i32): void {
  if (offerSplit(list, n, depth)) {
    hashLevelShared(list, n, splitCounter(), depth);
    joinSplit();
    return;
  }
  for (let i: usize = 0; i < n; i += LCHUNK) levelRange(list, i, n - i < LCHUNK ? n : i + LCHUNK, depth);
}
