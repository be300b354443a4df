/** JSON-RPC 2.0 error codes, plus the MCP-specific ones Rune uses. */
export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** MCP: a request timed out (the same code the official SDK uses). */
  RequestTimeout: -32001,
  /** MCP: resource not found (2025-06-18 and later). */
  ResourceNotFound: -32002,
  /** MCP: a URL-mode elicitation is required before the request can complete. */
  UrlElicitationRequired: -32042,
  /** MCP 2026-07-28: the MCP-Protocol-Version header is missing or disagrees with `_meta`. */
  HeaderMismatch: -32020,
  /** MCP 2026-07-28: the request needs a client capability the client did not declare. */
  MissingRequiredClientCapability: -32021,
  /** MCP 2026-07-28: the requested protocol version is not supported; data lists what is. */
  UnsupportedProtocolVersion: -32022,
} as const;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode] | number;

/**
 * The protocol layer's one error class. Thrown anywhere below a request handler, it becomes the
 * JSON-RPC error response for that request; the message is sent to the client, so it must say
 * what was wrong and what would be right, and never contain secrets.
 */
export class ProtocolError extends Error {
  override readonly name = "ProtocolError";
  constructor(
    readonly code: ErrorCodeValue,
    message: string,
    readonly data?: unknown,
  ) {
    super(message);
  }

  static invalidParams(message: string, data?: unknown): ProtocolError {
    return new ProtocolError(ErrorCode.InvalidParams, message, data);
  }

  static invalidRequest(message: string, data?: unknown): ProtocolError {
    return new ProtocolError(ErrorCode.InvalidRequest, message, data);
  }

  static internal(message: string, data?: unknown): ProtocolError {
    return new ProtocolError(ErrorCode.InternalError, message, data);
  }

  static methodNotFound(method: string): ProtocolError {
    return new ProtocolError(ErrorCode.MethodNotFound, `Method not found: ${method}`);
  }

  /** The error object as it goes on the wire. */
  toJSON(): { code: number; message: string; data?: unknown } {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}
