import type { IncomingMessage } from "node:http";
import { ErrorCode } from "../../jsonrpc/errors.js";
import type { ParsedFrame, RequestId } from "../../jsonrpc/message.js";
import { META_KEYS } from "../../mcp/stateless-meta.js";
import { isStatelessVersion } from "../../mcp/versions.js";
import { HttpRefusal } from "./request-guard.js";

/** What one POST body holds and how it must be routed: read once, before any session is touched. */

/**
 * The ids of the requests in a frame, whether it opens a session, and whether any request asked
 * for progress (which only an SSE answer can carry).
 */
export function requestsOf(frame: ParsedFrame): { ids: RequestId[]; initialize: boolean; progress: boolean } {
  const items = frame.kind === "single" ? [frame.item] : frame.kind === "batch" ? frame.items : [];
  const ids: RequestId[] = [];
  let initialize = false;
  let progress = false;
  for (const item of items) {
    if (item.kind === "request") {
      ids.push(item.message.id);
      if (item.message.method === "initialize") initialize = true;
      const meta = item.message.params?._meta as { progressToken?: unknown } | undefined;
      if (meta?.progressToken !== undefined) progress = true;
    } else if (item.kind === "invalid" && item.id !== null) {
      ids.push(item.id);
    }
  }
  return { ids, initialize, progress };
}

/** The request's `Mcp-Param-*` headers, by lower-cased name after the prefix. */
export function paramHeadersOf(req: IncomingMessage): Map<string, string> {
  const params = new Map<string, string>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith("mcp-param-") && typeof value === "string") params.set(name.slice(10), value);
  }
  return params;
}

/**
 * Whether a POST without a session follows the stateless revision: its MCP-Protocol-Version header
 * names a stateless revision, or its `_meta` carries a protocol version.
 */
export function isStateless(req: IncomingMessage, frame: ParsedFrame): boolean {
  if (isStatelessVersion(req.headers["mcp-protocol-version"])) return true;
  if (frame.kind !== "single" || frame.item.kind !== "request") return false;
  const meta = frame.item.message.params?._meta as Record<string, unknown> | undefined;
  return meta?.[META_KEYS.protocolVersion] !== undefined;
}

/**
 * SEP-2243: stateless requests repeat their method in Mcp-Method (and the tool, prompt or resource
 * in Mcp-Name) so intermediaries can route without reading bodies; both must agree with the body.
 */
export function checkRoutingHeaders(
  req: IncomingMessage,
  method: string,
  params: Record<string, unknown> | undefined,
  id: RequestId | null,
): void {
  const refuse = (text: string): HttpRefusal =>
    new HttpRefusal(400, text, {}, { code: ErrorCode.HeaderMismatch, id });
  const methodHeader = req.headers["mcp-method"];
  if (methodHeader === undefined)
    throw refuse(`Missing Mcp-Method header (it must repeat the body's method "${method}")`);
  if (methodHeader !== method) {
    throw refuse(`Mcp-Method header "${String(methodHeader)}" does not match the body's method "${method}"`);
  }
  const named =
    method === "tools/call" || method === "prompts/get"
      ? params?.name
      : method === "resources/read"
        ? params?.uri
        : undefined;
  if (named === undefined) return;
  const nameHeader = req.headers["mcp-name"];
  if (nameHeader === undefined) throw refuse(`Missing Mcp-Name header (it must repeat "${String(named)}")`);
  if (nameHeader !== named) {
    throw refuse(`Mcp-Name header "${String(nameHeader)}" does not match the body's "${String(named)}"`);
  }
}
