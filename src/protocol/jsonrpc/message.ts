import { ErrorCode, ProtocolError } from "./errors.js";

/** A request or response id. `null` appears only in error responses to unreadable requests. */
export type RequestId = string | number;

export interface JsonRpcRequest {
  jsonrpc: "2.0";
  id: RequestId;
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcNotification {
  jsonrpc: "2.0";
  method: string;
  params?: Record<string, unknown>;
}

export interface JsonRpcSuccess {
  jsonrpc: "2.0";
  id: RequestId;
  result: Record<string, unknown>;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcFailure {
  jsonrpc: "2.0";
  id: RequestId | null;
  error: JsonRpcErrorObject;
}

export type JsonRpcResponse = JsonRpcSuccess | JsonRpcFailure;
export type JsonRpcMessage = JsonRpcRequest | JsonRpcNotification | JsonRpcResponse;

/** One message classified after validation; `invalid` carries the error to answer with. */
export type Classified =
  | { kind: "request"; message: JsonRpcRequest }
  | { kind: "notification"; message: JsonRpcNotification }
  | { kind: "response"; message: JsonRpcResponse }
  | { kind: "invalid"; id: RequestId | null; error: ProtocolError };

/** What one frame (a line on stdio, a POST body over HTTP) parsed into. */
export type ParsedFrame =
  | { kind: "single"; item: Classified }
  | { kind: "batch"; items: Classified[] }
  | { kind: "unparsable"; id: RequestId | null; error: ProtocolError };

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isId(value: unknown): value is RequestId {
  return typeof value === "string" || (typeof value === "number" && Number.isFinite(value));
}

function invalid(id: RequestId | null, message: string): Classified {
  return { kind: "invalid", id, error: new ProtocolError(ErrorCode.InvalidRequest, message) };
}

/**
 * Validates one decoded JSON value against JSON-RPC 2.0 and says what it is. Hand-written rather
 * than schema-driven: it runs once per message on the hottest path in the server.
 */
export function classify(value: unknown): Classified {
  if (!isPlainObject(value)) {
    return invalid(null, "Invalid Request: a JSON-RPC message must be a JSON object");
  }
  const rawId = value.id;
  const id = isId(rawId) ? rawId : null;
  if (value.jsonrpc !== "2.0") {
    return invalid(id, 'Invalid Request: "jsonrpc" must be exactly "2.0"');
  }
  const method = value.method;
  if (method !== undefined) {
    if (typeof method !== "string" || method.length === 0) {
      return invalid(id, 'Invalid Request: "method" must be a non-empty string');
    }
    const params = value.params;
    if (params !== undefined && !isPlainObject(params)) {
      // MCP only ever uses by-name params; JSON-RPC positional arrays are refused clearly.
      return invalid(id, `Invalid Request: "params" of ${method} must be an object`);
    }
    if (!("id" in value)) {
      return { kind: "notification", message: value as unknown as JsonRpcNotification };
    }
    if (id === null) {
      return invalid(null, 'Invalid Request: "id" must be a string or a number (MCP forbids null ids)');
    }
    return { kind: "request", message: value as unknown as JsonRpcRequest };
  }
  if ("result" in value || "error" in value) {
    if (!("id" in value) || (rawId !== null && id === null)) {
      return invalid(null, 'Invalid Request: a response needs an "id"');
    }
    if ("result" in value ? !isPlainObject(value.result) : !isPlainObject(value.error)) {
      return invalid(id, 'Invalid Request: "result" and "error" must be objects');
    }
    return { kind: "response", message: value as unknown as JsonRpcResponse };
  }
  return invalid(
    id,
    'Invalid Request: a message needs "method" (request or notification) or "result"/"error"',
  );
}

/** Parses and classifies one frame of text. Never throws. */
export function parseFrame(text: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return {
      kind: "unparsable",
      id: null,
      error: new ProtocolError(ErrorCode.ParseError, `Parse error: ${detail}`),
    };
  }
  if (Array.isArray(value)) {
    if (value.length === 0) {
      return { kind: "single", item: invalid(null, "Invalid Request: an empty batch") };
    }
    return { kind: "batch", items: value.map(classify) };
  }
  return { kind: "single", item: classify(value) };
}

/** Builds an error response; `error` may be any thrown value. */
export function errorResponse(id: RequestId | null, error: ProtocolError): JsonRpcFailure {
  return { jsonrpc: "2.0", id, error: error.toJSON() };
}
