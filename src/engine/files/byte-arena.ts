/** Slabs of 1 MiB: a batch of 1,000 small files takes a handful rather than 1,000 allocations. */
const SLAB_BYTES = 1 << 20;
/** Larger requests get their own buffer: a slab is not worth wasting on them. */
const LARGEST_CARVED = SLAB_BYTES / 8;
/** Released slabs kept for the next batch (16 MiB), per thread. */
const KEPT_SLABS = 16;

/** Slabs given back by released arenas, ready to be carved again. */
const spare: Buffer[] = [];

/**
 * Buffers for the files of one batch, carved from slabs. Each file read whole needs a buffer
 * that lives until the batch's reply is written; a buffer of its own apiece cost an allocation,
 * a zeroed-memory accounting and a GC-tracked ArrayBuffer per file.
 *
 * Once nothing refers to the batch's bytes any more, its owner may `release` the arena, and its
 * slabs serve the next batch: fresh slabs cost page faults as they were first written and
 * external memory that set off V8's collections, about a third of a 1,000-file batch read's CPU.
 * An arena never released is simply collected, slabs and all.
 */
export class ByteArena {
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;
  private readonly slabs: Buffer[] = [];
  private released = false;

  /** A buffer of `size` bytes, contents undefined. */
  take(size: number): Buffer {
    if (this.released) throw new Error("ByteArena used after release");
    if (size > LARGEST_CARVED) return Buffer.allocUnsafeSlow(size);
    if (this.used + size > this.slab.length) {
      this.slab = spare.pop() ?? Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.slabs.push(this.slab);
      this.used = 0;
    }
    const bytes = this.slab.subarray(this.used, this.used + size);
    this.used += (size + 7) & ~7; // 8-byte aligned, as Node's own pool keeps its buffers
    return bytes;
  }

  /**
   * Gives the slabs back for reuse. Only for an owner that knows every buffer taken from this
   * arena is dead: the next batch overwrites them. Later calls do nothing.
   */
  release(): void {
    if (this.released) return;
    this.released = true;
    for (const slab of this.slabs) if (spare.length < KEPT_SLABS) spare.push(slab);
    this.slabs.length = 0;
    this.slab = Buffer.alloc(0);
  }
}
