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
let slabPtr: usize = 0;
let slabEnd: usize = 0;
const SLAB_BYTES: usize = 1 << 20;

let nodes64: u32 = 0;
let nodes88: u32 = 0;

export function allocReset(): void {
  bumpPtr = (__heap_base + 15) & ~<usize>15;
  bumpEnd = (<usize>memory.size()) << 16;
  memory.fill(BLOCK_HEADS, 0, 32 * 4);
  pool64Free = 0;
  pool88Free = 0;
  slabPtr = 0;
  slabEnd = 0;
  nodes64 = 0;
  nodes88 = 0;
}

function ensure(end: usize): void {
  if (end <= bumpEnd) return;
  const need = <i32>((end - bumpEnd + 0xffff) >>> 16);
  let pages = need > GROW_MIN_PAGES ? need : GROW_MIN_PAGES;
  if (memory.grow(pages) < 0) {
    pages = need;
    if (memory.grow(pages) < 0) unreachable(); // out of memory: nothing sensible left to do
  }
  bumpEnd += (<usize>pages) << 16;
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

function slabTake(size: usize): usize {
  if (slabPtr + size > slabEnd) {
    slabPtr = rawAlloc(SLAB_BYTES);
    slabEnd = slabPtr + SLAB_BYTES;
  }
  const p = slabPtr;
  slabPtr += size;
  return p;
}

export function alloc64(): usize {
  nodes64++;
  const p = pool64Free;
  if (p != 0) {
    pool64Free = <usize>load<u32>(p, 4);
    return p;
  }
  return slabTake(64);
}

export function alloc88(): usize {
  nodes88++;
  const p = pool88Free;
  if (p != 0) {
    pool88Free = <usize>load<u32>(p, 4);
    return p;
  }
  return slabTake(88);
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
