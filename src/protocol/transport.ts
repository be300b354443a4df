import type { JsonRpcMessage, ParsedFrame, RequestId } from "./jsonrpc/message.js";

/** Where an outgoing message belongs, so transports with several streams can route it. */
export interface SendOptions {
  /** The incoming request this message answers or was sent while handling. */
  relatedRequestId?: RequestId;
}

/**
 * The one interface every transport implements. The server never learns whether bytes came from
 * stdio, HTTP or a WebSocket: it receives parsed frames and sends message objects.
 */
export interface Transport {
  /** Begins delivering frames to `onframe`. */
  start(): Promise<void>;
  /** Sends one message (or a batch of responses); serialization and framing are the transport's. */
  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void;
  /** Stops reading, flushes what was sent, and calls `onclose` once. */
  close(): Promise<void>;
  /**
   * Set by transports that carry stateless (2026-07-28) requests: there is no initialize, and each
   * request's `_meta` says which revision and client capabilities it speaks for.
   */
  readonly stateless?: boolean;
  /**
   * `Mcp-Param-*` request headers (lower-cased name after the prefix → raw value), for transports
   * that carry one stateless HTTP request: tool arguments marked `x-mcp-header` must match them
   * (SEP-2243).
   */
  readonly paramHeaders?: ReadonlyMap<string, string>;
  /** What kind of transport this is ("stdio", "http", "ws"), for metrics and logs. */
  readonly kind?: string;
  /** The session id the transport already gave the client (HTTP's Mcp-Session-Id), adopted by the MCP session. */
  readonly sessionId?: string;
  onframe?: (frame: ParsedFrame) => void;
  /**
   * The peer will send nothing more (stdin reached EOF), but replies can still go out. A transport
   * without this hook closes at once instead.
   */
  oninputend?: () => void;
  onclose?: () => void;
  onerror?: (error: Error) => void;
}
