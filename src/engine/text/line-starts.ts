import { newlineScanner, SCAN_CHUNK } from "./newline-scan.js";

const LF = 0x0a;
const CR = 0x0d;

/** Offsets fit 32 bits below 4 GiB; past that a Float64Array holds them exactly. */
type Offsets = Uint32Array | Float64Array;

/** Most line starts per block after the first (256 KiB of offsets); growing never copies. */
const BLOCK = 1 << 16;
/** The first block's most entries (16 MiB): a 128 MB file of 32-byte lines. */
const FIRST_BLOCK_MAX = 1 << 22;
const NARROW_LIMIT = 2 ** 32;
/** Below this many bytes a few memchr calls cost less than copying the bytes into the scanner. */
const SIMD_FROM = 256;

/**
 * Byte offsets where lines start, built from bytes fed in order (a whole buffer at once, or a file
 * streamed in chunks so it is never held in memory). Line breaks are LF, CRLF and a lone CR, the
 * three that LSP and editors recognise; a CRLF split across two chunks still counts once.
 *
 * LF-only text (by far the most common; one memchr for CR tells) is scanned with SIMD (see
 * newline-scan.ts): at about 40 bytes a line, calling Buffer#indexOf once per line spent more on
 * the calls than on the bytes. Offsets are gathered in
 * blocks, the first sized from the expected length, and copied once at the exact size when one
 * block did not hold them, so a 100 MB file's index holds 11-12 MB, never a doubled array's slack.
 */
export class LineStartsBuilder {
  private readonly full: Offsets[] = [];
  /** Offsets in `full`. */
  private stored = 0;
  private block: Offsets;
  private fill = 1; // line 0 starts at 0
  /** Offsets at or past this need a wide (Float64Array) block. */
  private limit: number;
  private consumed = 0;
  private pendingCr = false;
  // Which break styles occurred, for `eol`.
  private loneLf = false;
  private crlf = false;
  private loneCr = false;

  constructor(expectedBytes = 0) {
    // Room for lines of 32 bytes on average (source averages about 40), so most texts fill one
    // array that is kept as it is, with no copy at the end; bounded, as lines may be long.
    const first = Math.min(FIRST_BLOCK_MAX, Math.max(16, Math.ceil(expectedBytes / 32)));
    this.block = new Uint32Array(first);
    this.block[0] = 0;
    this.limit = NARROW_LIMIT;
  }

  /** Feeds the next chunk. */
  push(chunk: Uint8Array): void {
    const base = this.consumed;
    let from = 0;
    if (this.pendingCr) {
      // The previous chunk ended in CR: it was a break either way; a LF here belongs to it.
      this.pendingCr = false;
      if (chunk.length > 0 && chunk[0] === LF) {
        this.crlf = true;
        this.replaceLast(base + 1);
        from = 1;
      } else if (chunk.length > 0) this.loneCr = true;
      else this.pendingCr = true;
    }
    if (chunk.indexOf(CR, from) === -1) this.scanLf(chunk, from, base);
    else this.scanMixed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length), from, base);
    this.consumed += chunk.length;
  }

  /** Every LF of `bytes` from `from`: with SIMD in chunks when there is enough to scan. */
  private scanLf(bytes: Uint8Array, from: number, base: number): void {
    const simd = bytes.length - from >= SIMD_FROM ? newlineScanner() : null;
    if (simd === null || base + bytes.length >= NARROW_LIMIT) {
      const buffer = Buffer.isBuffer(bytes)
        ? bytes
        : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      let at = buffer.indexOf(LF, from);
      if (at !== -1) this.loneLf = true;
      while (at !== -1) {
        this.add(base + at + 1);
        at = buffer.indexOf(LF, at + 1);
      }
      return;
    }
    for (let at = from; at < bytes.length; at += SCAN_CHUNK) {
      const found = simd.scan(bytes.subarray(at, Math.min(bytes.length, at + SCAN_CHUNK)), base + at);
      if (found.length > 0) this.addAll(found as Uint32Array);
    }
  }

  /** `add` for many offsets at once (all below 2^32), copied block by block. */
  private addAll(offsets: Uint32Array): void {
    this.loneLf = true;
    let done = 0;
    while (done < offsets.length) {
      if (this.fill === this.block.length) this.nextBlock(0);
      const take = Math.min(offsets.length - done, this.block.length - this.fill);
      this.block.set(offsets.subarray(done, done + take), this.fill);
      this.fill += take;
      done += take;
    }
  }

  private scanMixed(buffer: Buffer, from: number, base: number): void {
    let lf = buffer.indexOf(LF, from);
    let cr = buffer.indexOf(CR, from);
    while (lf !== -1 || cr !== -1) {
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        this.loneLf = true;
        this.add(base + lf + 1);
        lf = buffer.indexOf(LF, lf + 1);
        continue;
      }
      if (cr + 1 === buffer.length) {
        this.add(base + cr + 1);
        this.pendingCr = true;
        return;
      }
      if (buffer[cr + 1] === LF) {
        this.crlf = true;
        this.add(base + cr + 2);
        lf = buffer.indexOf(LF, cr + 2);
        cr = buffer.indexOf(CR, cr + 2);
      } else {
        this.loneCr = true;
        this.add(base + cr + 1);
        cr = buffer.indexOf(CR, cr + 1);
      }
    }
  }

  private add(offset: number): void {
    if (this.fill === this.block.length || offset >= this.limit) this.nextBlock(offset);
    this.block[this.fill++] = offset;
  }

  private nextBlock(offset: number): void {
    this.full.push(this.block.subarray(0, this.fill));
    const wide = offset >= NARROW_LIMIT;
    this.stored += this.fill;
    // As large as what came before, up to BLOCK: a small text that outgrew its guess stays small.
    const size = Math.min(BLOCK, Math.max(16, this.stored));
    this.block = wide ? new Float64Array(size) : new Uint32Array(size);
    this.limit = wide ? Number.POSITIVE_INFINITY : NARROW_LIMIT;
    this.fill = 0;
  }

  /** The last line start moves (a CR that ended the previous chunk turned out to be a CRLF). */
  private replaceLast(offset: number): void {
    if (this.fill > 0) this.block[this.fill - 1] = offset;
    else {
      const last = this.full[this.full.length - 1] as Offsets;
      last[last.length - 1] = offset;
    }
  }

  /** The finished index. The builder must not be fed afterwards. */
  finish(): LineStarts {
    if (this.pendingCr) this.loneCr = true;
    const kinds = Number(this.loneLf) + Number(this.crlf) + Number(this.loneCr);
    let eol: LineStarts["eol"] = "none";
    if (kinds > 1) eol = "mixed";
    else if (this.crlf) eol = "\r\n";
    else if (this.loneCr) eol = "\r";
    else if (this.loneLf) eol = "\n";
    return new LineStarts(this.offsets(), this.consumed, eol);
  }

  /** All offsets in one array of the exact size (a lone, mostly used block is kept as it is). */
  private offsets(): Offsets {
    const last = this.block.subarray(0, this.fill);
    if (this.full.length === 0) return this.fill * 2 >= this.block.length ? last : last.slice();
    const blocks = [...this.full, last];
    let count = 0;
    for (const block of blocks) count += block.length;
    const all = this.consumed >= NARROW_LIMIT ? new Float64Array(count) : new Uint32Array(count);
    let at = 0;
    for (const block of blocks) {
      all.set(block, at);
      at += block.length;
    }
    return all;
  }
}

/** Line start offsets of a text, and the line-break style it uses. */
export class LineStarts {
  constructor(
    private readonly starts: Uint32Array | Float64Array,
    /** Length of the text in bytes. */
    readonly byteLength: number,
    /** The break style: one of the three, "mixed", or "none" for a single line. */
    readonly eol: "\n" | "\r\n" | "\r" | "mixed" | "none",
  ) {}

  /** Builds the index of a whole buffer. */
  static of(bytes: Uint8Array): LineStarts {
    const builder = new LineStartsBuilder(bytes.length);
    builder.push(bytes);
    return builder.finish();
  }

  /** Number of lines; a text ending in a break has an empty last line, as editors show it. */
  get lineCount(): number {
    return this.starts.length;
  }

  /** Byte offset where line `line` (0-based) starts. */
  start(line: number): number {
    return this.starts[line] as number;
  }

  /** Byte offset just past line `line`'s content, before its break. Needs the bytes to see the break. */
  contentEnd(line: number, bytes: Uint8Array, bytesOffset = 0): number {
    const next = this.end(line);
    if (next === this.start(line)) return next;
    let end = next;
    const at = (offset: number) => bytes[offset - bytesOffset];
    if (line + 1 < this.starts.length) {
      if (at(end - 1) === LF) end--;
      if (end > this.start(line) && at(end - 1) === CR) end--;
    }
    return end;
  }

  /** Byte offset where the next line starts (or the text ends), i.e. past this line's break. */
  end(line: number): number {
    return line + 1 < this.starts.length ? (this.starts[line + 1] as number) : this.byteLength;
  }

  /** The 0-based line containing byte `offset` (binary search). */
  lineAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >>> 1;
      if ((this.starts[mid] as number) <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  /** Approximate memory held, for cache accounting. */
  get retainedBytes(): number {
    return this.starts.buffer.byteLength;
  }
}
