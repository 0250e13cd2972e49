// Entry of the worker thread's hashing module (threads build, pkg/smt_wasm_hash_mt.wasm): the
// same SHA-256 code over a core's shared memory. Built with a low --memoryBase so its static
// data (K table, SIMD scratch) sits below the core module's (built with a higher base): the
// worker's scratch never overlaps the main thread's, and instantiating it (which re-applies
// its data segments) writes only its own region.
import { hashShared as hashSharedImpl } from './sha256x4';
import { hashLevelShared as hashLevelSharedImpl } from './levels';

/** Hashes chunks of the job table (n (msgPtr, len, outPtr) u32 triples) taken from the counter at ctr. */
export function hashShared(table: usize, n: u32, ctr: usize): void { hashSharedImpl(table, <usize>n, ctr); }

/** Takes chunks of a root() level list (see levels.ts) from the counter at ctr. */
export function hashLevelShared(list: usize, n: u32, ctr: usize, depth: i32): void {
  hashLevelSharedImpl(list, <usize>n, ctr, depth);
}
