import type { WebSocket } from "ws";
import { ErrorCode, ProtocolError } from "../../jsonrpc/errors.js";
import { type JsonRpcMessage, parseFrame } from "../../jsonrpc/message.js";
import { serializeMessage } from "../../jsonrpc/reusable-result.js";
import type { Transport } from "../../transport.js";

/** One JSON-RPC message per WebSocket text frame, as the Claude Code IDE protocol uses. */
export class WebSocketTransport implements Transport {
  readonly kind = "ws";
  onframe?: Transport["onframe"];
  onclose?: Transport["onclose"];
  onerror?: Transport["onerror"];
  private closed = false;
  /** Cleared by each heartbeat, set again by the client's pong. */
  private alive = true;

  constructor(
    readonly socket: WebSocket,
    /** Called once when the connection ends, after `onclose`: lets the listener forget it. */
    private readonly onDispose: () => void,
    /**
     * Bytes that may wait for a client that does not read (broadcasts go to every client): past
     * this the connection is dropped rather than left to grow the server's memory without bound.
     */
    private readonly maxBufferedBytes = 16 * 1024 * 1024,
  ) {
    socket.on("pong", () => {
      this.alive = true;
    });
  }

  /** Pings the client; one that did not answer the previous ping is dropped. */
  heartbeat(): void {
    if (!this.alive) {
      this.socket.terminate();
      return;
    }
    this.alive = false;
    this.socket.ping();
  }

  async start(): Promise<void> {
    this.socket.on("message", (data, isBinary) => {
      const bytes = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
      if (isBinary) {
        this.onframe?.({
          kind: "unparsable",
          id: null,
          error: new ProtocolError(
            ErrorCode.InvalidRequest,
            "Binary frames are not accepted: send JSON-RPC as text frames",
          ),
        });
        return;
      }
      this.onframe?.(parseFrame(bytes.toString("utf8")));
    });
    this.socket.on("close", () => this.finish());
    this.socket.on("error", (error) => this.onerror?.(error));
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(serializeMessage(message));
    if (this.socket.bufferedAmount > this.maxBufferedBytes) {
      this.onerror?.(
        new Error(`WebSocket client stopped reading (${this.socket.bufferedAmount} bytes queued): dropped`),
      );
      this.socket.terminate();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.socket.close(1001, "server closing");
    this.finish();
  }

  private finish(): void {
    if (this.closed) return;
    this.closed = true;
    this.onclose?.();
    this.onDispose();
  }
}
