/** Slabs of 1 MiB: a batch of 1,000 small files takes a handful rather than 1,000 allocations. */
const SLAB_BYTES = 1 << 20;
/** Larger requests get their own buffer: a slab is not worth wasting on them. */
const LARGEST_CARVED = SLAB_BYTES / 8;

/**
 * Buffers for the files of one batch, carved from shared slabs. Each file read whole needs a
 * buffer that lives until the batch's reply is written; a buffer of its own apiece cost an
 * allocation, a zeroed-memory accounting and a GC-tracked ArrayBuffer per file. A slab is freed
 * when every buffer carved from it is gone, so an arena belongs to one batch and is then dropped.
 */
export class ByteArena {
  private slab: Buffer = Buffer.alloc(0);
  private used = 0;

  /** A buffer of `size` bytes, contents undefined. */
  take(size: number): Buffer {
    if (size > LARGEST_CARVED) return Buffer.allocUnsafeSlow(size);
    if (this.used + size > this.slab.length) {
      this.slab = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.used = 0;
    }
    const bytes = this.slab.subarray(this.used, this.used + size);
    this.used += (size + 7) & ~7; // 8-byte aligned, as Node's own pool keeps its buffers
    return bytes;
  }
}
