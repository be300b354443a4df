import type { RequestId } from "../jsonrpc/message.js";

/** One answered request, as an observer sees it. */
export interface RequestRecord {
  /** The MCP session's id. */
  readonly session: string;
  /** The transport's kind ("stdio", "http", "ws"), or "other". */
  readonly transport: string;
  readonly id: RequestId;
  readonly method: string;
  /** The tool's name, for tools/call. */
  readonly tool: string | undefined;
  /** From dispatch to answer, in milliseconds. */
  readonly ms: number;
  /**
   * "ok"; "error" for a JSON-RPC error (a timeout too); "tool_error" for a tool result with
   * isError; "cancelled" when the client cancelled it or went away first (no reply was sent).
   */
  readonly outcome: "ok" | "error" | "tool_error" | "cancelled";
  /** The JSON-RPC error code, when the outcome is "error". */
  readonly errorCode: number | undefined;
  /** When it was answered, in milliseconds since the epoch (fractional); absent if not known. */
  readonly at?: number;
}

/**
 * Hears about every request a server answers and every session it opens or closes: the seam for
 * metrics and request logs. Called on the hot path, synchronously: implementations must be cheap
 * and must not throw. A session passes the same record object for each of its requests, refilled:
 * copy what must outlive the call.
 */
export interface RequestObserver {
  requestDone(record: RequestRecord): void;
  sessionOpened?(session: { readonly id: string; readonly transport: string }): void;
  sessionClosed?(session: { readonly id: string; readonly transport: string }): void;
}
