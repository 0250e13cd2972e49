/**
 * Leaf payloads that are not committed yet, packed into large chunks: one copy per update and no
 * per-value JS object, so a million 100-byte values cost about 100 MB, not three times that.
 * A handle is the index of a payload; `clear()` forgets them all (after a commit moved them to
 * the store).
 */
const CHUNK = 1 << 22;

/**
 * Chunks of cleared arenas, for the next arenas of this process (bounded). Each fresh chunk is an
 * off-heap allocation that V8 counts towards its next full GC, so tries created and disposed in
 * turn (one per session) would otherwise pay a full GC every few megabytes of values.
 */
const spare: Uint8Array[] = [];
const MAX_SPARE = 8;

export class ValueArena {
  private chunks: Uint8Array[] = [];
  private used = CHUNK; // forces a first chunk
  private starts = new Float64Array(1024); // chunk index * CHUNK + offset, exact below 2^53
  private lengths = new Uint32Array(1024);
  private n = 0;

  /** Bytes held in chunks. */
  get bytes(): number {
    return this.chunks.reduce((sum, c) => sum + c.length, 0);
  }

  /** Store a copy of `payload`; returns its handle. */
  add(payload: Uint8Array): number {
    const handle = this.reserve(payload.length);
    this.get(handle).set(payload);
    return handle;
  }

  /** Room for a payload of `len` bytes, to be written through get(handle); returns its handle. */
  reserve(len: number): number {
    if (this.used + len > CHUNK) {
      this.chunks.push(len <= CHUNK && spare.length > 0 ? spare.pop()! : new Uint8Array(Math.max(CHUNK, len)));
      this.used = 0;
    }
    const c = this.chunks.length - 1;
    if (this.n === this.starts.length) this.grow();
    this.starts[this.n] = c * CHUNK + this.used;
    this.lengths[this.n] = len;
    this.used += len;
    return this.n++;
  }

  get(handle: number): Uint8Array {
    if (handle >= this.n) throw new RangeError(`no value with handle ${handle}`);
    const start = this.starts[handle]!;
    const c = Math.floor(start / CHUNK);
    const off = start - c * CHUNK;
    return this.chunks[c]!.subarray(off, off + this.lengths[handle]!);
  }

  /** Forgets every payload (handles become invalid; no view of a payload may be kept past this). */
  clear(): void {
    for (const c of this.chunks) if (c.length === CHUNK && spare.length < MAX_SPARE) spare.push(c);
    this.chunks = [];
    this.used = CHUNK;
    this.n = 0;
  }

  private grow(): void {
    const starts = new Float64Array(this.starts.length * 2);
    starts.set(this.starts);
    const lengths = new Uint32Array(this.lengths.length * 2);
    lengths.set(this.lengths);
    this.starts = starts;
    this.lengths = lengths;
  }
}
