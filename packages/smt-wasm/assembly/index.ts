// Exports of the module. One instance holds one trie (its globals) plus the hashing helpers;
// the JS glue creates one instance per WasmSmstCore.
import { sha256 as sha256Scalar } from './sha256';
import { hashJobs as hashJobsImpl, setSplitMin, joinBackground as joinBackgroundImpl, bgTables } from './sha256x4';
import { blockAlloc, blockFree, liveNodes64, liveNodes88, reserveBytes, bumpUsed } from './alloc';
import {
  PATH, walkResolve, stagePayload, stageKeyed, insertStaged, deletePath, hashDirty, commitBegin, commitNext,
  takeOrphans, resetAll, importRoot as importRootImpl, inBuffer, outPtr, outLen, failLevel as failLevelImpl,
} from './trie';
import { prove as proveImpl, proveClosest as closestImpl, get as getImpl, resetProofState } from './proof';
import { digestPtr, copy32 } from './node';
import { root, lazyPossible, touchPaths } from './trie';
export { foldProof } from './verify';
import { applyLog, logInsert, logRoom, deferring, noteDelete, resetBatch, setBatchMode } from './batch';

const TOUCH_GROUP: usize = 16;

export function init(): void {
  resetAll();
  resetProofState();
  resetBatch();
}

/** 1: inserts go to the pending-insert log, applied in sorted batches (default); 0: one at a time. */
export function batchInserts(on: u32): void {
  applyLog();
  setBatchMode(on != 0);
}

/** Applies pending inserts now (every reading export does this itself). */
export function flushInserts(): void { applyLog(); }

@inline function insertOne(): void {
  if (deferring()) logInsert(); else insertStaged();
}

/** Staging area of at least n bytes; valid until the next call that takes inputs. */
export function input(n: u32): usize { return inBuffer(<usize>n); }
export function output(): usize { return outPtr; }
export function outputLen(): u32 { return <u32>outLen; }

export function sha256(msg: usize, len: u32, out: usize): void { sha256Scalar(msg, <usize>len, out); }
/** table of n (msgPtr, len, outPtr) u32 triples */
export function hashJobs(table: usize, n: u32): void { hashJobsImpl(table, <usize>n); }
/** Threads build: the worker failed during the current root() level (the glue's fallback). */
export function failLevel(): void { failLevelImpl(); }
/** Threads build: completes the table the worker hashes in the background, if any. */
export function joinBackground(): void { joinBackgroundImpl(); }
/** Threads build: tables the worker took in the background so far (diagnostics). */
export function backgroundTables(): u32 { return bgTables; }
/** Threads build: job tables of at least n jobs are split with the worker thread (0: never). */
export function splitJobs(n: u32): void { setSplitMin(<usize>n); }

/** path at `path` (32 bytes), payload V at `pay`. 0 or a negative loader error. */
export function update(path: usize, pay: usize, payLen: u32, handle: u32): i32 {
  copy32(PATH, path);
  if (lazyPossible) {
    const st = walkResolve(false);
    if (st < 0) return st;
  }
  if (deferring()) logRoom();
  stagePayload(pay, <usize>payLen, handle);
  insertOne();
  return 0;
}

export function updateKey(key: usize, keyLen: u32, pay: usize, payLen: u32, handle: u32): i32 {
  if (deferring() && !lazyPossible) {
    // nothing reads a logged leaf before the arena is flushed: its key is hashed there, batched
    logRoom();
    stageKeyed(key, <usize>keyLen, pay, <usize>payLen, handle);
    logInsert();
    return 0;
  }
  sha256Scalar(key, <usize>keyLen, PATH);
  if (lazyPossible) {
    const st = walkResolve(false);
    if (st < 0) return st;
  }
  if (deferring()) logRoom();
  stagePayload(pay, <usize>payLen, handle);
  insertOne();
  return 0;
}

function hashKeys(table: usize, count: usize): usize {
  const paths = blockAlloc(count * 32 + 32);
  const jobs = blockAlloc(count * 12 + 12);
  for (let i: usize = 0; i < count; i++) {
    const t = table + i * 20;
    const j = jobs + i * 12;
    store<u32>(j, load<u32>(t));
    store<u32>(j, load<u32>(t, 4), 4);
    store<u32>(j, <u32>(paths + (i << 5)), 8);
  }
  hashJobsImpl(jobs, count);
  blockFree(jobs, count * 12 + 12);
  return paths;
}

/**
 * Loads (through the host loader) every node that inserting these keys will touch, without
 * changing the trie. Same table as updateMany. 0 or a negative error.
 */
export function resolveKeys(table: usize, n: u32): i32 {
  const count = <usize>n;
  const paths = hashKeys(table, count);
  let st: i32 = 0;
  for (let i: usize = 0; i < count; i++) {
    copy32(PATH, paths + (i << 5));
    st = walkResolve(false);
    if (st < 0) break;
  }
  blockFree(paths, count * 32 + 32);
  return st < 0 ? st : 0;
}

/**
 * n items described by a table of (keyPtr, keyLen, payPtr, payLen, handle) u32 quintuples.
 * Keys are hashed four at a time (SIMD); every path is resolved before the first insertion,
 * so a loader error leaves the trie unchanged. 0 or a negative error.
 */
export function updateMany(table: usize, n: u32): i32 {
  const count = <usize>n;
  const paths = hashKeys(table, count);
  let st: i32 = 0;
  for (let i: usize = 0; lazyPossible && i < count; i++) {
    copy32(PATH, paths + (i << 5));
    st = walkResolve(false);
    if (st < 0) break;
  }
  if (st >= 0 && deferring()) {
    for (let i: usize = 0; i < count; i++) {
      const t = table + i * 20;
      copy32(PATH, paths + (i << 5));
      logRoom();
      stagePayload(<usize>load<u32>(t, 8), <usize>load<u32>(t, 12), load<u32>(t, 16));
      logInsert();
    }
  } else if (st >= 0) {
    for (let i: usize = 0; i < count; i++) {
      if ((i & (TOUCH_GROUP - 1)) == 0) {
        touchPaths(paths + (i << 5), count - i < TOUCH_GROUP ? count - i : TOUCH_GROUP);
      }
      const t = table + i * 20;
      copy32(PATH, paths + (i << 5));
      stagePayload(<usize>load<u32>(t, 8), <usize>load<u32>(t, 12), load<u32>(t, 16));
      insertStaged();
    }
  }
  blockFree(paths, count * 32 + 32);
  return st < 0 ? st : 0;
}

/** 1 deleted, 0 absent, negative error. */
export function remove(path: usize): i32 {
  applyLog();
  copy32(PATH, path);
  const r = deletePath();
  if (r == 1) noteDelete();
  return r;
}

export function get(path: usize): i32 {
  applyLog();
  copy32(PATH, path);
  return getImpl();
}

/** Pointer to the 48-byte root digest (valid until the next mutation). */
export function rootDigest(): usize {
  applyLog();
  hashDirty();
  return digestPtr(root);
}

export function prove(path: usize): i32 {
  applyLog();
  copy32(PATH, path);
  return proveImpl();
}

export function proveClosest(path: usize): i32 {
  applyLog();
  copy32(PATH, path);
  return closestImpl();
}

export function orphans(): u32 { applyLog(); return takeOrphans(); }
export function commitStart(): void { applyLog(); commitBegin(); }
export function commitChunk(max: u32): u32 { return commitNext(max); }

export function importRoot(digest: usize): void {
  importRootImpl(digest);
  resetProofState();
  resetBatch();
}

export function nodeCount64(): u32 { applyLog(); return liveNodes64(); }
export function nodeCount88(): u32 { applyLog(); return liveNodes88(); }

/** Grows linear memory once so that about `bytes` more can be used without further grows. */
export function reserve(bytes: u32): void { reserveBytes(<usize>bytes); }

/** Bytes of linear memory in use (the rest of memory.buffer is grown but untouched). */
export function usedBytes(): u32 { return <u32>bumpUsed(); }
