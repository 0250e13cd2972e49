// Memory management without the AssemblyScript GC: the module runs with the stub runtime
// and never allocates managed objects. Everything lives in three kinds of storage:
//  * a bump region grown with memory.grow (never shrinks: wasm memory cannot shrink),
//  * power-of-two blocks with per-class free lists, for growable buffers,
//  * two fixed-size node pools (64 and 88 bytes) with intrusive free lists.

let bumpPtr: usize = 0;
let bumpEnd: usize = 0;

// Growing 4 MiB at a time keeps memory.grow calls rare without over-reserving much.
const GROW_MIN_PAGES: i32 = 64;

// free-list heads for block classes 2^0 .. 2^31
const BLOCK_HEADS: usize = memory.data(32 * 4);

let pool64Free: usize = 0;
let pool88Free: usize = 0;
// separate slabs per size so 64-byte inner nodes stay cache-line aligned
let slab64Ptr: usize = 0;
let slab64End: usize = 0;
let slab88Ptr: usize = 0;
let slab88End: usize = 0;
const SLAB_BYTES: usize = 1 << 20;

let nodes64: u32 = 0;
let nodes88: u32 = 0;

export function allocReset(): void {
  bumpPtr = (__heap_base + 15) & ~<usize>15;
  bumpEnd = (<usize>memory.size()) << 16;
  memory.fill(BLOCK_HEADS, 0, 32 * 4);
  pool64Free = 0;
  pool88Free = 0;
  slab64Ptr = 0;
  slab64End = 0;
  slab88Ptr = 0;
  slab88End = 0;
  nodes64 = 0;
  nodes88 = 0;
}

function ensure(end: usize): void {
  if (end <= bumpEnd) return;
  const need = <i32>((end - bumpEnd + 0xffff) >>> 16);
  // every grow makes V8 account external memory and may start a full JS GC: grow in steps
  // of at least 1/16 of the current size so a large trie grows only a few dozen times
  const sixteenth = memory.size() >> 4;
  let pages = need > GROW_MIN_PAGES ? need : GROW_MIN_PAGES;
  if (pages < sixteenth) pages = sixteenth;
  if (memory.grow(pages) < 0) {
    pages = need;
    if (memory.grow(pages) < 0) unreachable(); // out of memory: nothing sensible left to do
  }
  bumpEnd += (<usize>pages) << 16;
}

/** Makes sure `bytes` more can be bump-allocated without another memory.grow. */
export function reserveBytes(bytes: usize): void {
  if (bumpPtr + bytes > bumpEnd) {
    const pages = <i32>((bumpPtr + bytes - bumpEnd + 0xffff) >>> 16);
    if (memory.grow(pages) < 0) return; // only a hint
    bumpEnd += (<usize>pages) << 16;
  }
}

/** 16-byte aligned bytes that are never given back individually. */
export function rawAlloc(size: usize): usize {
  const p = bumpPtr;
  const end = (p + size + 15) & ~<usize>15;
  ensure(end);
  bumpPtr = end;
  return p;
}

@inline function sizeClass(size: usize): u32 {
  if (size < 64) size = 64;
  return 32 - clz<u32>(<u32>size - 1);
}

export function blockAlloc(size: usize): usize {
  const c = sizeClass(size);
  const head = BLOCK_HEADS + (<usize>c << 2);
  const p = <usize>load<u32>(head);
  if (p != 0) {
    store<u32>(head, load<u32>(p));
    return p;
  }
  return rawAlloc(<usize>1 << c);
}

export function blockFree(p: usize, size: usize): void {
  if (p == 0) return;
  const head = BLOCK_HEADS + (<usize>sizeClass(size) << 2);
  store<u32>(p, load<u32>(head));
  store<u32>(head, <u32>p);
}

/** Capacity actually available in a block requested with `size`. */
export function blockCap(size: usize): usize {
  return <usize>1 << sizeClass(size);
}

function newSlab(): usize {
  const raw = rawAlloc(SLAB_BYTES + 48);
  return (raw + 63) & ~<usize>63;
}

export function alloc64(): usize {
  nodes64++;
  const p = pool64Free;
  if (p != 0) {
    pool64Free = <usize>load<u32>(p, 4);
    return p;
  }
  if (slab64Ptr + 64 > slab64End) {
    slab64Ptr = newSlab();
    slab64End = slab64Ptr + SLAB_BYTES;
  }
  const q = slab64Ptr;
  slab64Ptr += 64;
  return q;
}

export function alloc88(): usize {
  nodes88++;
  const p = pool88Free;
  if (p != 0) {
    pool88Free = <usize>load<u32>(p, 4);
    return p;
  }
  if (slab88Ptr + 88 > slab88End) {
    slab88Ptr = newSlab();
    slab88End = slab88Ptr + SLAB_BYTES - SLAB_BYTES % 88;
  }
  const q = slab88Ptr;
  slab88Ptr += 88;
  return q;
}

export function free64(p: usize): void {
  nodes64--;
  store<u8>(p, 0xff);
  store<u32>(p, <u32>pool64Free, 4);
  pool64Free = p;
}

export function free88(p: usize): void {
  nodes88--;
  store<u8>(p, 0xff);
  store<u32>(p, <u32>pool88Free, 4);
  pool88Free = p;
}

export function liveNodes64(): u32 { return nodes64; }
export function liveNodes88(): u32 { return nodes88; }

/** Raw bytes for the pending-insert log: leaves allocated there count as 88-byte nodes. */
export function logSlabAlloc(bytes: usize): usize {
  return rawAlloc(bytes);
}
@inline export function noteAlloc88(): void { nodes88++; }

/** Bytes of linear memory handed out so far (diagnostics). */
export function bumpUsed(): usize { return bumpPtr; }
