import { randomUUID } from "node:crypto";
import {
  type ConnectionOptions,
  type IncomingRequestContext,
  JsonRpcConnection,
  RequestAborted,
} from "../jsonrpc/connection.js";
import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import type { JsonRpcNotification, JsonRpcRequest, RequestId } from "../jsonrpc/message.js";
import type { Transport } from "../transport.js";
import { answersOf, INPUT_CAPABLE_METHODS, InputRound } from "./input-round.js";
import { METHODS } from "./methods.js";
import { optionalObject } from "./params.js";
import type { ClientRequestOptions, RequestContext, SessionHandle } from "./request-context.js";
import type { RequestObserver, RequestRecord } from "./request-observer.js";
import type { McpServer } from "./server.js";
import { META_KEYS, readStatelessMeta } from "./stateless-meta.js";
import {
  type ClientCapabilities,
  type Implementation,
  type JsonObject,
  LOGGING_LEVELS,
  type LoggingLevel,
} from "./types.js";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Date.now() minus performance.now(), and when (performance.now()) it was last read. */
let clockOffset = Date.now() - performance.now();
let clockOffsetAt = performance.now();

/**
 * The epoch time of a performance.now() reading. The two clocks drift apart (the monotonic one
 * stops while the machine sleeps, the wall clock can be set), so their offset is read again when
 * it is more than a second old: one Date.now() a second rather than one a call.
 */
function epochOf(reading: number): number {
  if (reading - clockOffsetAt > 1_000 || reading < clockOffsetAt) {
    const now = performance.now();
    clockOffset = Date.now() - now;
    clockOffsetAt = now;
  }
  return reading + clockOffset;
}

import { featuresOf, isSupportedVersion, LATEST_PROTOCOL_VERSION, type ProtocolVersion } from "./versions.js";

const EMPTY: JsonObject = Object.freeze({}) as JsonObject;

/** subscriptions/listen filter flags and the notifications they admit. */
const LISTEN_FILTERS: [string, string][] = [
  ["toolsListChanged", "notifications/tools/list_changed"],
  ["promptsListChanged", "notifications/prompts/list_changed"],
  ["resourcesListChanged", "notifications/resources/list_changed"],
];

/** How long a server-to-client request may wait for the client by default. */
const CLIENT_REQUEST_TIMEOUT_MS = 60_000;

/**
 * One client's connection to an McpServer: negotiated revision, client capabilities, log level and
 * subscriptions, and the dispatch of its requests to the server's method table.
 */
export class McpSession implements SessionHandle {
  readonly id: string;
  protocolVersion: ProtocolVersion = LATEST_PROTOCOL_VERSION;
  clientInfo: Implementation | undefined;
  clientCapabilities: ClientCapabilities = {};
  /** Set once initialize has been answered. */
  initialized = false;
  /** Minimum level sent as notifications/message; unset means everything is sent. */
  logLevel: LoggingLevel | undefined;
  readonly subscriptions = new Set<string>();
  readonly connection: JsonRpcConnection;
  /** A stateless (2026-07-28) session: each request's `_meta` stands in for initialize. */
  readonly stateless: boolean;
  /** `Mcp-Param-*` headers of the one HTTP request a stateless session serves. */
  readonly paramHeaders: ReadonlyMap<string, string> | undefined;
  /** The transport's kind, for metrics and logs. */
  readonly transport: string;
  /** In a stateless session, logs go out only when the request asked for a level. */
  private logsWanted = true;
  /** The stateless request's dealings with its client: answers given, questions pending. */
  private inputRound: InputRound | undefined;
  /** A stateless subscriptions/listen stream: what it asked for and where it goes. */
  private listening: { requestId: RequestId; subscriptionId: string; wanted: Set<string> } | undefined;
  private initializeId: RequestId | undefined;
  /** The record this session's requests are reported in (see report). */
  private readonly record: Mutable<RequestRecord>;

  constructor(
    readonly server: McpServer,
    transport: Transport,
    options: ConnectionOptions,
  ) {
    this.id = transport.sessionId ?? randomUUID();
    this.stateless = transport.stateless === true;
    this.paramHeaders = transport.paramHeaders;
    this.transport = transport.kind ?? "other";
    this.record = {
      session: this.id,
      transport: this.transport,
      id: 0,
      method: "",
      tool: undefined,
      ms: 0,
      outcome: "ok",
      errorCode: undefined,
      at: 0,
    };
    this.connection = new JsonRpcConnection(
      transport,
      {
        onRequest: (request, incoming) => this.onRequest(request, incoming),
        ...(server.observer
          ? {
              onAnswered: (request, ms, result, error, ended) =>
                this.report(request, ms, result, error, ended),
            }
          : {}),
        onNotification: (notification) => this.onNotification(notification),
        batchRefusal: () => this.batchRefusal(),
        onError: (error) => server.logger.warn("session problem", { session: this.id, error: error.message }),
        onClose: () => server.detach(this),
      },
      options,
    );
  }

  /**
   * Tells the server's observer how a request ended, in one record object per session, refilled
   * each time: under bench/obs every allocation and clock read on this path cost the HTTP server
   * several times its own share of calls/s.
   */
  private report(
    request: JsonRpcRequest,
    ms: number,
    result: JsonObject | undefined,
    error: unknown,
    ended: number,
  ): void {
    const method = request.method;
    const name = method === "tools/call" ? request.params?.name : undefined;
    const record = this.record;
    record.id = request.id;
    record.method = method;
    record.tool = typeof name === "string" ? name : undefined;
    record.ms = ms;
    // A request the client cancelled (or whose connection closed) is no failure of the server's.
    const dropped = error instanceof RequestAborted && error.kind !== "timeout";
    record.outcome =
      result !== undefined
        ? result.isError === true
          ? "tool_error"
          : "ok"
        : dropped
          ? "cancelled"
          : "error";
    record.errorCode =
      result !== undefined || dropped
        ? undefined
        : error instanceof RequestAborted
          ? ErrorCode.RequestTimeout
          : error instanceof ProtocolError
            ? error.code
            : ErrorCode.InternalError;
    record.at = epochOf(ended);
    (this.server.observer as RequestObserver).requestDone(record);
  }

  private onRequest(
    request: JsonRpcRequest,
    incoming: IncomingRequestContext,
  ): Promise<JsonObject> | JsonObject {
    if (this.stateless) return this.onStatelessRequest(request, incoming);
    const definition = METHODS.get(request.method);
    if (!definition || definition.statelessOnly) throw ProtocolError.methodNotFound(request.method);
    if (!this.initialized && !definition.beforeInit) {
      throw ProtocolError.invalidRequest(
        `Received ${request.method} before initialize: send initialize first`,
      );
    }
    if (definition.feature && !this.server.offers(definition.feature)) {
      throw new ProtocolError(
        ErrorCode.MethodNotFound,
        `Method not found: ${request.method} (this server does not offer ${definition.feature})`,
      );
    }
    if (request.method === "initialize") this.initializeId = request.id;
    const params = request.params ?? EMPTY;
    return definition.handle(this, params, new HandlerContext(this, request.id, params, incoming));
  }

  /**
   * A stateless request: its `_meta` is checked and adopted (version, capabilities, client info,
   * log level), then it is dispatched like any other; results are tagged as complete and lists
   * and reads carry caching hints.
   */
  private async onStatelessRequest(
    request: JsonRpcRequest,
    incoming: IncomingRequestContext,
  ): Promise<JsonObject> {
    const params = request.params ?? EMPTY;
    const meta = readStatelessMeta(params);
    const definition = METHODS.get(request.method);
    if (!definition || definition.statefulOnly) {
      throw new ProtocolError(
        ErrorCode.MethodNotFound,
        `Method not found: ${request.method}${definition ? ` (not part of protocol revision ${meta.protocolVersion})` : ""}`,
      );
    }
    if (definition.feature && !this.server.offers(definition.feature))
      throw ProtocolError.methodNotFound(request.method);
    this.protocolVersion = meta.protocolVersion;
    this.clientCapabilities = meta.clientCapabilities;
    this.clientInfo = meta.clientInfo;
    this.logLevel = meta.logLevel;
    this.logsWanted = meta.logLevel !== undefined;
    this.initialized = true;
    const context = new HandlerContext(this, request.id, params, incoming);
    let result: JsonObject;
    if (INPUT_CAPABLE_METHODS.has(request.method)) {
      const round = new InputRound(answersOf(params, this.server.requestStates));
      this.inputRound = round;
      const stalled = round.stalled.then(() => undefined);
      const outcome = await Promise.race([definition.handle(this, params, context), stalled]);
      if (outcome === undefined) {
        // The handler waits on answers the client has not given: ask for them, and carry the ones
        // it did give in requestState. The waiting handler is simply dropped.
        return {
          resultType: "input_required",
          inputRequests: round.requests,
          requestState: this.server.requestStates.encode(round.answers),
        };
      }
      result = outcome;
    } else {
      result = await definition.handle(this, params, context);
    }
    // Caching hints: Rune's lists and reads follow the workspace, so they are not to be reused.
    return definition.cacheable
      ? { ...result, resultType: "complete", ttlMs: 0, cacheScope: "private" }
      : { ...result, resultType: "complete" };
  }

  /** Answers initialize: negotiates the revision and records what the client declared. */
  initialize(requested: string, capabilities: ClientCapabilities, clientInfo: Implementation): JsonObject {
    if (this.initialized)
      throw ProtocolError.invalidRequest("initialize was already received on this session");
    if (isSupportedVersion(requested)) {
      this.protocolVersion = requested;
    } else {
      this.server.logger.warn("client asked for an unsupported protocol version; offering the latest", {
        requested,
        offered: LATEST_PROTOCOL_VERSION,
      });
    }
    this.clientCapabilities = capabilities;
    this.clientInfo = clientInfo;
    this.initialized = true;
    const { info, instructions } = this.server;
    const result: JsonObject = {
      protocolVersion: this.protocolVersion,
      capabilities: this.server.capabilities(),
      serverInfo: info,
    };
    if (instructions) result.instructions = instructions;
    return result;
  }

  private onNotification(notification: JsonRpcNotification): void {
    const params = notification.params ?? EMPTY;
    switch (notification.method) {
      case "notifications/cancelled": {
        const id = params.requestId;
        // The spec forbids cancelling initialize; a cancel for an unknown or finished id is ignored.
        if ((typeof id === "string" || typeof id === "number") && id !== this.initializeId) {
          const reason = typeof params.reason === "string" ? params.reason : undefined;
          this.connection.abortIncoming(id, "cancelled", reason);
        }
        return;
      }
      case "notifications/roots/list_changed":
        this.server.hooks.onRootsChanged?.(this);
        return;
      case "notifications/initialized":
        this.server.hooks.onInitialized?.(this);
        return;
      default:
        // Unknown notifications are ignored, as JSON-RPC requires.
        return;
    }
  }

  private batchRefusal(): string | null {
    if (!this.initialized)
      return "JSON-RPC batches are not accepted before initialize: send initialize on its own";
    if (featuresOf(this.protocolVersion).batches) return null;
    return `JSON-RPC batches are not supported in protocol revision ${this.protocolVersion}: send one message per line`;
  }

  log(level: LoggingLevel, data: unknown, logger?: string): void {
    this.sendLog(level, data, logger, undefined);
  }

  /** @internal Sends notifications/message, tagged with the request it concerns. */
  sendLog(
    level: LoggingLevel,
    data: unknown,
    logger: string | undefined,
    related: RequestId | undefined,
  ): void {
    if (!this.initialized || !this.logsWanted) return;
    if (this.logLevel && LOGGING_LEVELS.indexOf(level) < LOGGING_LEVELS.indexOf(this.logLevel)) return;
    const params: JsonObject = { level, data };
    if (logger !== undefined) params.logger = logger;
    this.connection.notify("notifications/message", params, related);
  }

  /**
   * Sends a notification if the session is initialized. A stateless session sends only what its
   * subscriptions/listen stream asked for, tagged with the subscription id, on that stream.
   */
  notify(method: string, params?: JsonObject): void {
    if (!this.initialized) return;
    if (!this.stateless) {
      this.connection.notify(method, params);
      return;
    }
    const listening = this.listening;
    if (!listening?.wanted.has(method)) return;
    const tagged = { ...params, _meta: { [META_KEYS.subscriptionId]: listening.subscriptionId } };
    this.connection.notify(method, tagged, listening.requestId);
  }

  /**
   * subscriptions/listen (2026-07-28): acknowledges, then streams the list changes the client
   * asked for until it goes away. The request never completes on its own.
   */
  listen(params: JsonObject, context: RequestContext): Promise<JsonObject> {
    const filter = optionalObject("subscriptions/listen", params, "notifications") ?? {};
    const wanted = new Set<string>();
    for (const [flag, method] of LISTEN_FILTERS) if (filter[flag] === true) wanted.add(method);
    const subscriptionId = randomUUID();
    this.listening = { requestId: context.requestId, subscriptionId, wanted };
    this.connection.notify(
      "notifications/subscriptions/acknowledged",
      { _meta: { [META_KEYS.subscriptionId]: subscriptionId } },
      context.requestId,
    );
    return new Promise((resolve) => {
      context.signal.addEventListener("abort", () => resolve({}), { once: true });
    });
  }

  async listRoots(options: ClientRequestOptions = {}): Promise<{ uri: string; name?: string }[]> {
    const result = await this.ask("roots", "roots/list", {}, options);
    if (!Array.isArray(result.roots))
      throw ProtocolError.internal("roots/list: the client's result has no roots array");
    return result.roots.filter(
      (r): r is { uri: string; name?: string } =>
        typeof r === "object" && r !== null && typeof r.uri === "string",
    );
  }

  createMessage(params: JsonObject, options: ClientRequestOptions = {}): Promise<JsonObject> {
    return this.ask("sampling", "sampling/createMessage", params, options);
  }

  elicit(params: JsonObject, options: ClientRequestOptions = {}): Promise<JsonObject> {
    if (
      params.mode === "url" &&
      this.clientCapabilities.elicitation &&
      !this.clientCapabilities.elicitation.url
    ) {
      throw new ProtocolError(
        ErrorCode.InvalidRequest,
        "The client did not declare URL-mode elicitation (capabilities.elicitation.url)",
      );
    }
    return this.ask("elicitation", "elicitation/create", params, options);
  }

  /**
   * A request to the client: sent as a JSON-RPC request in a stateful session; in a stateless one
   * answered from the request's inputResponses, or else made part of an input-required result.
   */
  private ask(
    capability: keyof ClientCapabilities,
    method: string,
    params: JsonObject,
    options: ClientRequestOptions,
  ): Promise<JsonObject> {
    this.requireCapability(capability, method);
    if (!this.stateless) return this.clientRequest(method, params, options.signal);
    if (!this.inputRound) {
      throw ProtocolError.invalidRequest(
        `${method} cannot be asked of the client while answering this request`,
      );
    }
    return this.inputRound.ask(method, params, options.inputKey);
  }

  private requireCapability(capability: keyof ClientCapabilities, method: string): void {
    if (this.clientCapabilities[capability]) return;
    if (this.stateless) {
      throw new ProtocolError(
        ErrorCode.MissingRequiredClientCapability,
        `This request needs the client capability "${String(capability)}", which the request's _meta does not declare`,
        { requiredCapabilities: { [capability]: {} } },
      );
    }
    throw new ProtocolError(
      ErrorCode.InvalidRequest,
      `Cannot send ${method}: the client did not declare the "${String(capability)}" capability`,
    );
  }

  private clientRequest(
    method: string,
    params: JsonObject | undefined,
    signal?: AbortSignal,
  ): Promise<JsonObject> {
    return this.connection.request(method, params, {
      ...(signal ? { signal } : {}),
      timeoutMs: CLIENT_REQUEST_TIMEOUT_MS,
    });
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}

/** The RequestContext of one request; a class, so the hot path allocates no closures. */
class HandlerContext implements RequestContext {
  readonly meta: JsonObject | undefined;

  constructor(
    readonly session: McpSession,
    readonly requestId: RequestId,
    params: JsonObject,
    private readonly incoming: IncomingRequestContext,
  ) {
    this.meta = params._meta as JsonObject | undefined;
  }

  /** The last progress value sent. */
  private lastProgress = Number.NEGATIVE_INFINITY;

  get signal(): AbortSignal {
    return this.incoming.signal;
  }

  progress(progress: number, total?: number, message?: string): void {
    const token = this.meta?.progressToken;
    if ((typeof token !== "string" && typeof token !== "number") || this.signal.aborted) return;
    // The spec requires each value to exceed the last: a report that did not grow is dropped.
    if (progress <= this.lastProgress) return;
    this.lastProgress = progress;
    const params: JsonObject = { progressToken: token, progress };
    if (total !== undefined) params.total = total;
    if (message !== undefined) params.message = message;
    this.session.connection.notify("notifications/progress", params, this.requestId);
  }

  log(level: LoggingLevel, data: unknown, logger?: string): void {
    this.session.sendLog(level, data, logger, this.requestId);
  }
}
