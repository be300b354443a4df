/**
 * A bounded ring buffer for streamed output, such as a child process's stdout: it keeps the last
 * `capacity` bytes, counts what it dropped, and never holds more than its bound however much is
 * pushed. Memory is allocated as output arrives, doubling up to `capacity`, so a buffer created
 * for a quiet process costs almost nothing.
 */
export class RingBuffer {
  /** The most bytes kept. */
  readonly capacity: number;
  #store: Buffer;
  /** Index in `#store` of the oldest kept byte. */
  #head = 0;
  #length = 0;
  #dropped = 0;
  #total = 0;

  constructor(capacity: number) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`capacity must be a positive integer, got ${capacity}`);
    }
    this.capacity = capacity;
    this.#store = Buffer.alloc(Math.min(capacity, 4096));
  }

  /** Bytes kept now (at most `capacity`). */
  get length(): number {
    return this.#length;
  }

  /** Bytes pushed and since dropped to stay within `capacity`, over the buffer's life. */
  get droppedBytes(): number {
    return this.#dropped;
  }

  /** Bytes pushed over the buffer's life. */
  get totalBytes(): number {
    return this.#total;
  }

  /** Appends a chunk (a string is encoded as UTF-8), dropping the oldest bytes beyond the bound. */
  push(chunk: Uint8Array | string): void {
    let bytes = typeof chunk === "string" ? Buffer.from(chunk, "utf8") : chunk;
    this.#total += bytes.length;
    if (bytes.length >= this.capacity) {
      // Only the chunk's tail survives: everything kept before it, and its own head, is dropped.
      this.#dropped += this.#length + bytes.length - this.capacity;
      bytes = bytes.subarray(bytes.length - this.capacity);
      this.#grow(this.capacity);
      this.#store.set(bytes, 0);
      this.#head = 0;
      this.#length = this.capacity;
      return;
    }
    this.#grow(this.#length + bytes.length);
    const size = this.#store.length;
    const overflow = Math.max(0, this.#length + bytes.length - size);
    this.#head = (this.#head + overflow) % size;
    this.#length -= overflow;
    this.#dropped += overflow;
    // Write at the tail, wrapping at most once (bytes.length < size).
    const tail = (this.#head + this.#length) % size;
    const first = Math.min(bytes.length, size - tail);
    this.#store.set(bytes.subarray(0, first), tail);
    if (first < bytes.length) this.#store.set(bytes.subarray(first), 0);
    this.#length += bytes.length;
  }

  /** The kept bytes, oldest first, as a new Buffer. */
  toBuffer(): Buffer {
    const size = this.#store.length;
    const end = this.#head + this.#length;
    if (end <= size) return Buffer.from(this.#store.subarray(this.#head, end));
    return Buffer.concat([this.#store.subarray(this.#head), this.#store.subarray(0, end - size)]);
  }

  /**
   * The kept bytes decoded as UTF-8. When bytes were dropped the cut may have fallen inside a
   * character; its orphaned continuation bytes (at most three) are skipped rather than shown as
   * U+FFFD, so the text starts on a character boundary. A sequence still incomplete at the end
   * (its rest not yet pushed) decodes as U+FFFD like any invalid input.
   */
  toString(): string {
    const bytes = this.toBuffer();
    let start = 0;
    if (this.#dropped > 0) {
      while (start < 3 && start < bytes.length && (bytes[start]! & 0xc0) === 0x80) start++;
    }
    return bytes.toString("utf8", start);
  }

  /** Forgets the kept bytes; `droppedBytes` is unchanged, as those bytes were never shown. */
  clear(): void {
    this.#head = 0;
    this.#length = 0;
  }

  /** Grows the store (doubling, at most `capacity`) until `needed` bytes fit, keeping order. */
  #grow(needed: number): void {
    const size = this.#store.length;
    if (needed <= size || size === this.capacity) return;
    let next = size;
    while (next < needed) next *= 2;
    const store = Buffer.alloc(Math.min(next, this.capacity));
    const kept = this.toBuffer();
    store.set(kept, 0);
    this.#store = store;
    this.#head = 0;
  }
}
