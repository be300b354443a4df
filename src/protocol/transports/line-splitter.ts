/**
 * Splits a byte stream into newline-delimited frames in linear time.
 *
 * Incoming chunks are kept as a list and scanned once each for "\n"; a frame is concatenated only
 * when its end arrives, so a large message delivered in many small chunks costs O(total bytes)
 * rather than the O(n^2) of re-buffering on every chunk. A frame longer than `maxBytes` is
 * dropped as it streams in (its bytes are never held) and reported through `onOversize`.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Head of an oversize frame, kept so the caller can still find its request id. */
  private oversizeHead: Buffer | null = null;
  private oversizeBytes = 0;

  constructor(
    private readonly maxBytes: number,
    private readonly onLine: (line: string) => void,
    private readonly onOversize: (bytes: number, head: string) => void,
  ) {}

  push(chunk: Buffer): void {
    let start = 0;
    for (;;) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.append(chunk, start, chunk.length);
        return;
      }
      this.append(chunk, start, nl);
      this.emit();
      start = nl + 1;
    }
  }

  /** Delivers a final unterminated frame at end of input. */
  end(): void {
    if (this.pendingBytes > 0 || this.oversizeHead) this.emit();
  }

  private append(chunk: Buffer, from: number, to: number): void {
    if (to <= from) return;
    const length = to - from;
    if (this.oversizeHead) {
      this.oversizeBytes += length;
      return;
    }
    if (this.pendingBytes + length > this.maxBytes) {
      const joined = Buffer.concat([...this.pending, chunk.subarray(from, Math.min(to, from + 256))]);
      this.oversizeHead = joined.subarray(0, 256);
      this.oversizeBytes = this.pendingBytes + length;
      this.pending = [];
      this.pendingBytes = 0;
      return;
    }
    this.pending.push(chunk.subarray(from, to));
    this.pendingBytes += length;
  }

  private emit(): void {
    if (this.oversizeHead) {
      const head = this.oversizeHead.toString("utf8");
      const bytes = this.oversizeBytes;
      this.oversizeHead = null;
      this.oversizeBytes = 0;
      this.onOversize(bytes, head);
      return;
    }
    const parts = this.pending;
    let line: string;
    if (parts.length === 1) line = (parts[0] as Buffer).toString("utf8");
    else line = Buffer.concat(parts, this.pendingBytes).toString("utf8");
    this.pending = [];
    this.pendingBytes = 0;
    // Tolerate CRLF framing from clients on Windows; JSON never ends in "\r".
    if (line.endsWith("\r")) line = line.slice(0, -1);
    if (line.trim().length > 0) this.onLine(line);
  }
}
