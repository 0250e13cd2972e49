// Exports of secp_wasm_bg.wasm. The glue (pkg/secp_wasm.js) owns handles and validation; this
// module sees table pointers and one fixed I/O area.
import { FE, feFromBytes, feInv, feNormalize, feToBytes } from './field';
import { feInvVar } from './modinv';
import { decodeCompressed } from './point';
import { combInit, combLincomb, combStep, tableBuild } from './comb';
import { field2Init } from './field2';
import { freeSlots, liveSlots, memInit, slotAlloc, slotFree } from './mem';

// I/O area: [0, 64) two scalars, [64, 130) output, [160, 193) a compressed point;
// configure() reads the recoding offset from [0, 32)
const IO: usize = memory.data(256, 64);
const BX: usize = memory.data(<i32>FE);
const BY: usize = memory.data(<i32>FE);

export function io(): usize {
  return IO;
}

/** Sets the layout once per instance; returns table bytes per base (0: out of memory). */
export function configure(teeth: i32, spacing: i32, blocks: i32): usize {
  const bytes = <usize>blocks * (<usize>1 << <usize>(teeth - 1)) * 64;
  memInit(bytes);
  field2Init();
  // offset arrives big-endian; combInit wants 8 little-endian words
  const W = IO + 200;
  for (let i: usize = 0; i < 8; i++) store<u32>(W + 4 * i, bswap<u32>(load<u32>(IO + 28 - 4 * i)));
  return combInit(teeth, spacing, blocks, W);
}

/**
 * Builds a table for the compressed point at IO + 160. Returns its pointer, 0 when the encoding
 * is not a curve point, 1 when memory ran out, 2 when an entry was infinity (bad layout).
 */
export function addBase(): usize {
  if (!decodeCompressed(BX, BY, IO + 160)) return 0;
  const tab = slotAlloc();
  if (tab == 0) return 1;
  if (!tableBuild(tab, BX, BY)) {
    slotFree(tab);
    return 2;
  }
  return tab;
}

export function releaseBase(tab: usize): void {
  slotFree(tab);
}

/** enc(s A + c B) ‖ enc(s C + c D) at IO + 64, for s, c at IO. */
export function step(tA: usize, tB: usize, tC: usize, tD: usize): void {
  combStep(IO, tA, tB, tC, tD, IO + 64);
}

/** enc(a A + b B) at IO + 64, for a, b at IO. */
export function lincomb(tA: usize, tB: usize): void {
  combLincomb(IO, tA, tB, IO + 64);
}

export function tablesLive(): u32 {
  return liveSlots();
}

export function tablesFree(): u32 {
  return freeSlots();
}

const TX: usize = memory.data(<i32>FE);
const TR: usize = memory.data(<i32>FE);

/**
 * Test hook for the two inversions: x at IO (32 bytes, big-endian) -> 1/x by safegcd at IO + 64
 * and by the Fermat chain at IO + 96. Returns 0 when x >= p, -1 if safegcd did not converge.
 */
export function debugInvert(): i32 {
  if (!feFromBytes(TX, IO)) return 0;
  const ok = feInvVar(TR, TX);
  feToBytes(IO + 64, TR);
  feInv(TR, TX);
  feNormalize(TR);
  feToBytes(IO + 96, TR);
  return ok ? 1 : -1;
}
