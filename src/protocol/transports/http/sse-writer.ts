import type { ServerResponse } from "node:http";
import * as zlib from "node:zlib";

/** Headers of every SSE response Rune sends. */
const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
};

/** A stream coding an SSE response may take: the two every Node has as a flushable stream. */
export type StreamEncoding = "gzip" | "br";

/**
 * How an SSE response may be compressed. Whether to is decided from the stream's first bytes: it
 * is compressed only if `minBytes` are ready within `decideWithinMs` (a tool result already
 * computed, a large batch); a stream that starts slowly or small goes out as it is then, so a
 * quick small answer pays no compressor and a long one gets its priming event without waiting.
 */
export interface SseCompression {
  encoding: StreamEncoding;
  minBytes: number;
  decideWithinMs: number;
}

/**
 * Writes Server-Sent Events to one HTTP response, with keep-alive comments while idle and a
 * bound on what may queue for a slow reader: past `maxBufferedBytes` the connection is dropped
 * (the events stay in the session's event store, so the client can resume without a gap).
 * A compressed stream is flushed after every event, so each reaches the client as it is written.
 */
export class SseWriter {
  private keepAlive: NodeJS.Timeout | undefined;
  private decideTimer: NodeJS.Timeout | undefined;
  /** Events written before the compression decision, and their length. */
  private held: string[] | undefined;
  private heldBytes = 0;
  private zip: zlib.Gzip | zlib.BrotliCompress | undefined;
  closed = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly headers: Record<string, string>,
    private readonly keepAliveMs: number,
    private readonly maxBufferedBytes: number,
    onClose: () => void,
    private readonly compression?: SseCompression,
  ) {
    res.once("close", () => {
      this.stop();
      this.zip?.destroy();
      onClose();
    });
    if (compression === undefined) {
      this.start(undefined);
      return;
    }
    this.held = [];
    this.decideTimer = setTimeout(() => this.start(undefined), compression.decideWithinMs);
  }

  /** Sends one event; `retryMs` adds the reconnection delay the client should use. */
  event(id: string, data: string, retryMs?: number): void {
    const retry = retryMs === undefined ? "" : `retry: ${retryMs}\n`;
    this.write(`id: ${id}\n${retry}data: ${data}\n\n`);
  }

  /** Writes the head, and the events held while deciding, compressed with `encoding` or not. */
  private start(encoding: StreamEncoding | undefined): void {
    clearTimeout(this.decideTimer);
    const held = this.held?.join("") ?? "";
    this.held = undefined;
    if (this.closed || this.res.destroyed) return;
    const vary = this.compression ? { vary: "accept-encoding" } : {};
    if (encoding === undefined) {
      this.res.writeHead(200, { ...SSE_HEADERS, ...this.headers, ...vary });
      if (held) this.res.write(held);
      else this.res.flushHeaders();
    } else {
      this.res.writeHead(200, { ...SSE_HEADERS, ...this.headers, ...vary, "content-encoding": encoding });
      this.zip =
        encoding === "br"
          ? zlib.createBrotliCompress({ params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 } })
          : zlib.createGzip({ level: 5 });
      this.zip.on("error", () => this.res.destroy());
      this.zip.pipe(this.res);
      this.send(held);
    }
    if (this.keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), this.keepAliveMs);
      this.keepAlive.unref();
    }
  }

  private write(chunk: string): void {
    if (this.closed) return;
    if (this.held !== undefined) {
      this.held.push(chunk);
      this.heldBytes += chunk.length;
      const compression = this.compression as SseCompression;
      if (this.heldBytes >= compression.minBytes) this.start(compression.encoding);
      return;
    }
    this.send(chunk);
  }

  private send(chunk: string): void {
    const zip = this.zip;
    if (zip) {
      zip.write(chunk);
      zip.flush(zip instanceof zlib.Gzip ? zlib.constants.Z_SYNC_FLUSH : undefined);
    } else {
      this.res.write(chunk);
    }
    const queued = this.res.writableLength + (zip?.writableLength ?? 0);
    if (queued > this.maxBufferedBytes) {
      // A reader this far behind is gone or stuck; drop it rather than grow without bound.
      this.res.destroy();
    }
  }

  end(): void {
    if (this.closed) return;
    // Ended before the decision: a short stream, sent as it is.
    if (this.held !== undefined) this.start(undefined);
    this.stop();
    if (this.zip) this.zip.end();
    else this.res.end();
  }

  private stop(): void {
    this.closed = true;
    clearTimeout(this.decideTimer);
    if (this.keepAlive) clearInterval(this.keepAlive);
  }
}
