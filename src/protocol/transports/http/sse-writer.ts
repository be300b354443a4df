import type { ServerResponse } from "node:http";

/** Headers of every SSE response Rune sends. */
const SSE_HEADERS = {
  "content-type": "text/event-stream",
  "cache-control": "no-cache, no-transform",
  connection: "keep-alive",
};

/**
 * Writes Server-Sent Events to one HTTP response, with keep-alive comments while idle and a
 * bound on what may queue for a slow reader: past `maxBufferedBytes` the connection is dropped
 * (the events stay in the session's event store, so the client can resume without a gap).
 */
export class SseWriter {
  private keepAlive: NodeJS.Timeout | undefined;
  closed = false;

  constructor(
    private readonly res: ServerResponse,
    headers: Record<string, string>,
    keepAliveMs: number,
    private readonly maxBufferedBytes: number,
    onClose: () => void,
  ) {
    res.writeHead(200, { ...SSE_HEADERS, ...headers });
    res.flushHeaders();
    if (keepAliveMs > 0) {
      this.keepAlive = setInterval(() => this.write(": keep-alive\n\n"), keepAliveMs);
      this.keepAlive.unref();
    }
    res.once("close", () => {
      this.stop();
      onClose();
    });
  }

  /** Sends one event; `retryMs` adds the reconnection delay the client should use. */
  event(id: string, data: string, retryMs?: number): void {
    const retry = retryMs === undefined ? "" : `retry: ${retryMs}\n`;
    this.write(`id: ${id}\n${retry}data: ${data}\n\n`);
  }

  private write(chunk: string): void {
    if (this.closed) return;
    this.res.write(chunk);
    if (this.res.writableLength > this.maxBufferedBytes) {
      // A reader this far behind is gone or stuck; drop it rather than grow without bound.
      this.res.destroy();
    }
  }

  end(): void {
    if (this.closed) return;
    this.stop();
    this.res.end();
  }

  private stop(): void {
    this.closed = true;
    if (this.keepAlive) clearInterval(this.keepAlive);
  }
}
