// Memory without the AssemblyScript runtime (stub: nothing is ever freed by it). Everything
// above the static data is handed out by one bump pointer that only moves up (wasm memory cannot
// shrink); tables, which all have the same size in one instance, go back to a free list and are
// reused before the bump pointer moves again.

let bump: usize = 0;
let end: usize = 0;
let slotBytes: usize = 0;
let freeHead: usize = 0;
let slotsLive: u32 = 0;
let slotsFree: u32 = 0;

@inline function align64(v: usize): usize {
  return (v + 63) & ~(<usize>63);
}

export function memInit(tableBytes: usize): void {
  bump = align64(__heap_base);
  end = (<usize>memory.size()) << 16;
  slotBytes = align64(tableBytes);
  freeHead = 0;
  slotsLive = 0;
  slotsFree = 0;
}

/** 64-byte aligned bytes for the life of the instance; 0 when memory cannot grow. */
export function rawAlloc(size: usize): usize {
  const p = bump;
  const next = align64(p + size);
  if (next > end) {
    const pages = <i32>((next - end + 0xffff) >>> 16);
    // grow by at least 1/8 of the current size so a growing pool grows only a few dozen times
    let want = memory.size() >> 3;
    if (want < pages) want = pages;
    if (memory.grow(want) < 0) {
      want = pages;
      if (memory.grow(want) < 0) return 0;
    }
    end += (<usize>want) << 16;
  }
  bump = next;
  return p;
}

/** A table slot, reused from the free list when possible; 0 when out of memory. */
export function slotAlloc(): usize {
  let p = freeHead;
  if (p != 0) {
    freeHead = load<usize>(p);
    slotsFree--;
  } else {
    p = rawAlloc(slotBytes);
    if (p == 0) return 0;
  }
  slotsLive++;
  return p;
}

export function slotFree(p: usize): void {
  store<usize>(p, freeHead);
  freeHead = p;
  slotsLive--;
  slotsFree++;
}

export function liveSlots(): u32 {
  return slotsLive;
}

export function freeSlots(): u32 {
  return slotsFree;
}
