import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import { paginate } from "./pagination.js";
import { optionalObject, requireObject, requireString } from "./params.js";
import type { RequestContext } from "./request-context.js";
import type { Completer } from "./resource-registry.js";
import { resourceNotFound } from "./resource-registry.js";
import type { McpSession } from "./session.js";
import type { HeaderParam } from "./tool-registry.js";
import {
  type ClientCapabilities,
  type Implementation,
  type JsonObject,
  LOGGING_LEVELS,
  type LoggingLevel,
} from "./types.js";
import { ALL_PROTOCOL_VERSIONS, featuresOf } from "./versions.js";

/** The server features a method belongs to; a method is answered only if its feature is offered. */
export type Feature = "tools" | "resources" | "prompts" | "logging" | "completions";

/** One MCP request method: its name, what gates it, and its handler. */
export interface MethodDefinition {
  readonly method: string;
  /** Allowed before initialize (only ping and initialize itself). */
  readonly beforeInit?: boolean;
  readonly feature?: Feature;
  /** Gone from the stateless revision (2026-07-28): answered there with -32601. */
  readonly statefulOnly?: boolean;
  /** Exists only in the stateless revision. */
  readonly statelessOnly?: boolean;
  /** Its results carry caching hints (ttlMs, cacheScope) in the stateless revision. */
  readonly cacheable?: boolean;
  handle(session: McpSession, params: JsonObject, context: RequestContext): Promise<JsonObject> | JsonObject;
}

const MAX_COMPLETIONS = 100;

function define(definition: MethodDefinition): [string, MethodDefinition] {
  return [definition.method, definition];
}

/** A paginated list method: every list answers the same way, with the same cursor rules. */
function listMethod(
  method: string,
  feature: Feature,
  key: string,
  items: (session: McpSession) => readonly JsonObject[],
): [string, MethodDefinition] {
  return define({
    method,
    feature,
    cacheable: true,
    handle(session, params) {
      const page = paginate(method, items(session), params.cursor, session.server.pageSize);
      return page.nextCursor ? { [key]: page.items, nextCursor: page.nextCursor } : { [key]: page.items };
    },
  });
}

const definitions: [string, MethodDefinition][] = [
  define({
    method: "initialize",
    beforeInit: true,
    statefulOnly: true,
    handle(session, params) {
      const m = "initialize";
      const requested = requireString(m, params, "protocolVersion");
      const capabilities = requireObject(m, params, "capabilities") as ClientCapabilities;
      const clientInfo = requireObject(m, params, "clientInfo");
      requireString(m, clientInfo, "name");
      return session.initialize(requested, capabilities, clientInfo as unknown as Implementation);
    },
  }),
  define({ method: "ping", beforeInit: true, statefulOnly: true, handle: () => ({}) }),
  define({
    method: "server/discover",
    statelessOnly: true,
    cacheable: true,
    // serverInfo goes under _meta, as the 2026-07-28 schema has it, and at the top level too, as
    // its prose does; clients read one or the other.
    handle: (session) => ({
      supportedVersions: [...ALL_PROTOCOL_VERSIONS],
      capabilities: session.server.capabilities(),
      serverInfo: session.server.info,
      ...(session.server.instructions ? { instructions: session.server.instructions } : {}),
      _meta: { "io.modelcontextprotocol/serverInfo": session.server.info },
    }),
  }),
  define({
    method: "subscriptions/listen",
    statelessOnly: true,
    handle: (session, params, context) => session.listen(params, context),
  }),
  define({
    method: "logging/setLevel",
    feature: "logging",
    statefulOnly: true,
    handle(session, params) {
      const level = requireString("logging/setLevel", params, "level");
      if (!(LOGGING_LEVELS as readonly string[]).includes(level)) {
        throw ProtocolError.invalidParams(
          `logging/setLevel: unknown level "${level}"; use one of ${LOGGING_LEVELS.join(", ")}`,
        );
      }
      session.logLevel = level as LoggingLevel;
      return {};
    },
  }),
  listMethod("tools/list", "tools", "tools", (session) => session.server.tools.list()),
  define({
    method: "tools/call",
    feature: "tools",
    handle(session, params, context) {
      const name = requireString("tools/call", params, "name");
      const args = optionalObject("tools/call", params, "arguments") ?? {};
      if (session.paramHeaders)
        checkParamHeaders(session.server.tools.headerParams(name), args, session.paramHeaders);
      const features = featuresOf(session.protocolVersion);
      // Returned as it comes: a synchronous tool stays synchronous all the way to the wire.
      return session.server.tools.call(name, args, context, features.inputErrorsAsToolResults) as unknown as
        | JsonObject
        | Promise<JsonObject>;
    },
  }),
  listMethod("resources/list", "resources", "resources", (session) => session.server.resources.list()),
  listMethod("resources/templates/list", "resources", "resourceTemplates", (session) =>
    session.server.resources.listTemplates(),
  ),
  define({
    method: "resources/read",
    feature: "resources",
    cacheable: true,
    async handle(session, params, context) {
      const uri = requireString("resources/read", params, "uri");
      try {
        return (await session.server.resources.read(uri, context)) as unknown as JsonObject;
      } catch (error) {
        // SEP-2164: the stateless revision answers an unknown resource with -32602, not -32002.
        if (
          error instanceof ProtocolError &&
          error.code === ErrorCode.ResourceNotFound &&
          featuresOf(session.protocolVersion).stateless
        ) {
          throw ProtocolError.invalidParams(error.message, { uri });
        }
        throw error;
      }
    },
  }),
  define({
    method: "resources/subscribe",
    feature: "resources",
    statefulOnly: true,
    handle(session, params) {
      const uri = requireString("resources/subscribe", params, "uri");
      if (!session.server.resources.has(uri)) throw resourceNotFound(uri);
      session.subscriptions.add(uri);
      return {};
    },
  }),
  define({
    method: "resources/unsubscribe",
    feature: "resources",
    statefulOnly: true,
    handle(session, params) {
      session.subscriptions.delete(requireString("resources/unsubscribe", params, "uri"));
      return {};
    },
  }),
  listMethod("prompts/list", "prompts", "prompts", (session) => session.server.prompts.list()),
  define({
    method: "prompts/get",
    feature: "prompts",
    async handle(session, params, context) {
      const name = requireString("prompts/get", params, "name");
      return (await session.server.prompts.get(name, params.arguments, context)) as unknown as JsonObject;
    },
  }),
  define({
    method: "completion/complete",
    feature: "completions",
    async handle(session, params) {
      const m = "completion/complete";
      const ref = requireObject(m, params, "ref");
      const argument = requireObject(m, params, "argument");
      const argName = requireString(m, argument, "name");
      const value = requireString(m, argument, "value");
      const contextArgs = optionalObject(m, params, "context")?.arguments as
        | Record<string, string>
        | undefined;
      let completer: Completer | undefined;
      if (ref.type === "ref/prompt") {
        completer = session.server.prompts.completer(requireString(m, ref, "name"), argName);
      } else if (ref.type === "ref/resource") {
        completer = session.server.resources.completer(requireString(m, ref, "uri"), argName);
      } else {
        throw ProtocolError.invalidParams(`${m}: ref.type must be "ref/prompt" or "ref/resource"`);
      }
      const values = completer ? await completer(value, contextArgs ? { arguments: contextArgs } : {}) : [];
      return {
        completion: {
          values: values.slice(0, MAX_COMPLETIONS),
          total: values.length,
          hasMore: values.length > MAX_COMPLETIONS,
        },
      };
    },
  }),
];

/**
 * SEP-2243: each argument a tool marks `x-mcp-header` travels in an `Mcp-Param-<name>` header
 * too, so intermediaries can route on it; the header must be there and say the same as the body.
 * Values are plain, or Base64 inside `=?base64?...?=` (strictly checked).
 */
function checkParamHeaders(
  params: readonly HeaderParam[],
  args: JsonObject,
  headers: ReadonlyMap<string, string>,
): void {
  for (const { property, header } of params) {
    const value = args[property];
    if (value === undefined || value === null) continue;
    const raw = headers.get(header);
    const name = `Mcp-Param-${header}`;
    if (raw === undefined) {
      throw new ProtocolError(ErrorCode.HeaderMismatch, `Missing ${name} header for argument "${property}"`);
    }
    const decoded = decodeParamHeader(raw);
    if (decoded === null) throw new ProtocolError(ErrorCode.HeaderMismatch, `${name} is not valid Base64`);
    if (decoded !== String(value)) {
      throw new ProtocolError(ErrorCode.HeaderMismatch, `${name} does not match argument "${property}"`);
    }
  }
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

function decodeParamHeader(raw: string): string | null {
  if (!(raw.startsWith("=?base64?") && raw.endsWith("?=") && raw.length >= 11)) return raw;
  const body = raw.slice(9, -2);
  return BASE64.test(body) ? Buffer.from(body, "base64").toString("utf8") : null;
}

/** Every request method the server core answers, by name. */
export const METHODS: ReadonlyMap<string, MethodDefinition> = new Map(definitions);
