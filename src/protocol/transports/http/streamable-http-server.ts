import { randomBytes, randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCode } from "../../jsonrpc/errors.js";
import { type ParsedFrame, parseFrame, type RequestId } from "../../jsonrpc/message.js";
import { type Logger, silentLogger } from "../../logger.js";
import { META_KEYS } from "../../mcp/stateless-meta.js";
import { isSupportedVersion } from "../../mcp/versions.js";
import type { Transport } from "../../transport.js";
import { HttpSession, type SessionSettings } from "./http-session.js";
import { checkRoutingHeaders, isStateless, paramHeadersOf, requestsOf } from "./post-routing.js";
import {
  type GuardOptions,
  guardRequest,
  HttpRefusal,
  isLoopbackAddress,
  loopbackHosts,
  readBody,
  Secret,
} from "./request-guard.js";

export interface OAuthResourceOptions {
  /** Authorization servers that issue tokens for this resource (RFC 9728 authorization_servers). */
  authorizationServers: string[];
  scopes?: string[];
}

export interface StreamableHttpOptions {
  /** Address to bind; loopback by default. */
  host?: string;
  /** Port to bind; 0 picks a free one. */
  port?: number;
  /** The MCP endpoint's path. */
  path?: string;
  /**
   * Bearer token required on every request. A random one is generated unless a token is given or
   * `auth` is false; turning auth off is only accepted on a loopback address.
   */
  token?: string;
  auth?: boolean;
  /**
   * Answer with one JSON body instead of an SSE stream. Requests that carry a progressToken still
   * get a stream; other messages sent during such a call go to the session's GET stream.
   */
  jsonResponse?: boolean;
  /** Extra Host names accepted besides loopback ones (for example behind a reverse proxy). */
  allowedHosts?: string[];
  /** Browser origins accepted; by default only loopback origins. */
  allowedOrigins?: string[];
  maxBodyBytes?: number;
  /** A session idle this long (no request, no open stream) is closed. */
  sessionTtlMs?: number;
  maxSessions?: number;
  keepAliveMs?: number;
  /** The SSE retry hint sent with every priming event. */
  retryMs?: number;
  /** Events kept per session for resumption. */
  maxEvents?: number;
  /** What may queue for one slow SSE reader before its connection is dropped. */
  maxBufferedBytes?: number;
  oauth?: OAuthResourceOptions;
  logger?: Logger;
  /**
   * Compress JSON answers of at least this many bytes with the best coding the client accepts
   * (gzip, br, zstd where Node has it), and SSE streams with this much ready within 100 ms (gzip or
   * br, flushed per event; see SseWriter); default 1024. false: never compress.
   */
  compressMinBytes?: number | false;
  /** More endpoints on the same listener (metrics, health...), by exact path. */
  routes?: Record<string, HttpRoute>;
}

/** An extra endpoint served beside MCP, behind the same Host and Origin checks. */
export interface HttpRoute {
  /**
   * "token": the bearer token is required as on the MCP endpoint. "open": no token is asked for
   * (the route decides, e.g. a liveness probe that reveals nothing or a page with its own cookie).
   */
  access: "token" | "open";
  handle(req: IncomingMessage, res: ServerResponse, url: URL): void | Promise<void>;
}

/** Connects a new session's transport to whatever serves it (an McpServer, usually). */
export type SessionConnector = (transport: Transport) => Promise<unknown>;

const JSON_HEADERS = { "content-type": "application/json" };

function refusalBody(message: string, code: number, id: RequestId | null): string {
  return JSON.stringify({ jsonrpc: "2.0", id, error: { code, message } });
}

function accepts(req: IncomingMessage, type: string): boolean {
  const accept = req.headers.accept;
  return accept === undefined || accept.includes(type) || accept.includes("*/*");
}

/**
 * MCP's Streamable HTTP transport (revision 2025-11-25) on one endpoint: POST carries client
 * messages and answers with JSON or an SSE stream, GET opens the session's own stream, DELETE ends
 * the session. Loopback-only, Host- and Origin-checked and token-protected unless told otherwise.
 */
export class StreamableHttpServer {
  readonly path: string;
  readonly token: string | undefined;
  private readonly http: Server;
  private readonly sessions = new Map<string, HttpSession>();
  private readonly settings: SessionSettings;
  private readonly options: StreamableHttpOptions;
  private readonly logger: Logger;
  private readonly allowedHosts: Set<string>;
  private sweeper: NodeJS.Timeout | undefined;
  /** Request checks, settled once (the metadata URL needs the bound port). */
  private guard: GuardOptions;
  private boundUrl: URL | undefined;

  constructor(
    private readonly connect: SessionConnector,
    options: StreamableHttpOptions = {},
  ) {
    this.options = options;
    this.path = options.path ?? "/mcp";
    this.logger = options.logger ?? silentLogger;
    const host = options.host ?? "127.0.0.1";
    if (options.auth === false && !isLoopbackAddress(host)) {
      throw new Error(
        `Refusing to serve ${host} without authentication: only loopback addresses may run without a token`,
      );
    }
    this.token =
      options.auth === false ? undefined : (options.token ?? randomBytes(32).toString("base64url"));
    this.allowedHosts = loopbackHosts();
    for (const h of options.allowedHosts ?? []) this.allowedHosts.add(h.toLowerCase());
    if (!isLoopbackAddress(host) && host !== "0.0.0.0" && host !== "::")
      this.allowedHosts.add(host.toLowerCase());
    this.settings = {
      keepAliveMs: options.keepAliveMs ?? 15_000,
      retryMs: options.retryMs ?? 1_000,
      maxEvents: options.maxEvents ?? 1_000,
      maxBufferedBytes: options.maxBufferedBytes ?? 8 * 1024 * 1024,
      maxPending: options.maxEvents ?? 1_000,
      compressMinBytes:
        options.compressMinBytes === false ? Number.POSITIVE_INFINITY : (options.compressMinBytes ?? 1024),
    };
    this.guard = {
      allowedHosts: this.allowedHosts,
      allowedOrigins: options.allowedOrigins ? new Set(options.allowedOrigins) : "loopback",
      token: this.token === undefined ? undefined : new Secret(this.token),
      resourceMetadataUrl: undefined,
    };
    this.http = createServer((req, res) => this.handle(req, res));
    this.http.keepAliveTimeout = 65_000;
  }

  /** Starts listening; resolves with the endpoint URL. */
  async listen(): Promise<URL> {
    const host = this.options.host ?? "127.0.0.1";
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.options.port ?? 0, host, () => {
        this.http.off("error", reject);
        resolve();
      });
    });
    const { port } = this.http.address() as AddressInfo;
    const shown = host.includes(":") ? `[${host}]` : host;
    this.boundUrl = new URL(`http://${shown}:${port}${this.path}`);
    this.guard.resourceMetadataUrl = this.resourceMetadataUrl();
    const ttl = this.options.sessionTtlMs ?? 30 * 60_000;
    this.sweeper = setInterval(() => this.sweep(ttl), Math.min(ttl / 4, 60_000));
    this.sweeper.unref();
    return this.boundUrl;
  }

  get url(): URL | undefined {
    return this.boundUrl;
  }

  get sessionCount(): number {
    return this.sessions.size;
  }

  private resourceMetadataUrl(): string | undefined {
    if (!this.options.oauth || !this.boundUrl) return undefined;
    return new URL(`/.well-known/oauth-protected-resource${this.path}`, this.boundUrl).href;
  }

  /**
   * Handles one HTTP request; usable from an existing node:http server too. Synchronous up to the
   * body and from the body to the answer: a POST that continues a session makes no promise and
   * takes no microtask hop of its own (bench/http-calls runs ~20k of them a second on one core).
   * Only steps that wait on something (a new session, DELETE) return a promise.
   */
  handle(req: IncomingMessage, res: ServerResponse): void {
    try {
      this.route(req, res)?.catch((error: unknown) => this.fail(res, error));
    } catch (error) {
      this.fail(res, error);
    }
  }

  private fail(res: ServerResponse, error: unknown): void {
    if (error instanceof HttpRefusal) {
      this.refuse(res, error);
      return;
    }
    this.logger.error("HTTP request failed", { error: (error as Error).message });
    this.refuse(res, new HttpRefusal(500, "Internal server error"));
  }

  private route(req: IncomingMessage, res: ServerResponse): Promise<void> | undefined {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const pathname = q === -1 ? url : url.slice(0, q);
    if (this.options.oauth && pathname.startsWith("/.well-known/oauth-protected-resource")) {
      this.serveResourceMetadata(req, res);
      return undefined;
    }
    if (pathname !== this.path) return this.routeExtra(req, res, pathname);
    guardRequest(req, this.guard);
    switch (req.method) {
      case "POST":
        this.post(req, res);
        return undefined;
      case "GET":
        return this.get(req, res);
      case "DELETE":
        return this.delete(req, res);
      default:
        throw new HttpRefusal(405, `Method Not Allowed: use POST, GET or DELETE on ${this.path}`, {
          allow: "POST, GET, DELETE",
        });
    }
  }

  private routeExtra(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> | undefined {
    const route = this.options.routes?.[pathname];
    if (!route) throw new HttpRefusal(404, `Not Found: the MCP endpoint is ${this.path}`);
    guardRequest(req, route.access === "token" ? this.guard : { ...this.guard, token: undefined });
    const result = route.handle(req, res, new URL(req.url ?? "/", "http://localhost"));
    return result instanceof Promise ? result : undefined;
  }

  /** Whether `given` is this listener's bearer token (compared in constant time); true without auth. */
  tokenMatches(given: string): boolean {
    return this.guard.token === undefined || this.guard.token.matches(given);
  }

  private post(req: IncomingMessage, res: ServerResponse): void {
    const contentType = req.headers["content-type"];
    if (!contentType?.startsWith("application/json")) {
      throw new HttpRefusal(415, "Unsupported Media Type: POST bodies must be application/json");
    }
    if (!accepts(req, "application/json") || !accepts(req, "text/event-stream")) {
      throw new HttpRefusal(
        406,
        "Not Acceptable: the Accept header must list application/json and text/event-stream",
      );
    }
    readBody(req, this.options.maxBodyBytes ?? 4 * 1024 * 1024, (error, body) => {
      if (error !== undefined) return this.fail(res, error);
      try {
        this.postBody(req, res, body)?.catch((error: unknown) => this.fail(res, error));
      } catch (error) {
        this.fail(res, error);
      }
    });
  }

  /** A POST whose body has arrived; returns a promise only when a session must be made for it. */
  private postBody(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> | undefined {
    const frame = parseFrame(body);
    if (frame.kind === "unparsable") throw new HttpRefusal(400, frame.error.message);
    const { ids, initialize, progress } = requestsOf(frame);
    // A stateless client's initialize goes this way too: it is answered "method not found".
    if (req.headers["mcp-session-id"] === undefined && isStateless(req, frame)) {
      return this.postStateless(req, res, frame, ids, progress);
    }
    if (initialize) {
      if (frame.kind === "batch")
        throw new HttpRefusal(400, "Invalid Request: initialize must not be part of a batch");
      return this.openSession().then((session) =>
        this.deliver(session, res, frame, ids, progress, true, req.headers["accept-encoding"]),
      );
    }
    const session = this.sessionOf(req);
    this.checkVersionHeader(req);
    this.deliver(session, res, frame, ids, progress, false, req.headers["accept-encoding"]);
    return undefined;
  }

  /** Hands a frame to its session: 202 when it holds no requests, else an exchange for the answers. */
  private deliver(
    session: HttpSession,
    res: ServerResponse,
    frame: ParsedFrame,
    ids: RequestId[],
    progress: boolean,
    initialize: boolean,
    acceptEncoding: string | undefined,
  ): void {
    if (ids.length === 0) {
      session.deliver(frame);
      res.writeHead(202, session.headers).end();
      return;
    }
    // JSON answers are cheaper; a request that asked for progress gets a stream so progress can reach it.
    const json = this.options.jsonResponse === true && !progress;
    const exchange = session.newExchange(res, json, frame.kind === "batch", acceptEncoding);
    if (initialize) {
      // A refused initialize leaves no session behind to count against the cap.
      exchange.onDone = () => {
        if (exchange.failed) void this.endSession(session);
      };
    }
    session.deliverWithExchange(frame, exchange, ids);
  }

  private async endSession(session: HttpSession): Promise<void> {
    this.sessions.delete(session.id);
    await session.close();
  }

  /**
   * One stateless (2026-07-28) request: checked against its headers, served by a session that
   * lives as long as the request, answered with JSON (or SSE when it asked for progress).
   */
  private async postStateless(
    req: IncomingMessage,
    res: ServerResponse,
    frame: ParsedFrame,
    ids: RequestId[],
    progress: boolean,
  ): Promise<void> {
    if (frame.kind !== "single")
      throw new HttpRefusal(400, "Invalid Request: stateless requests cannot be batched");
    const id = ids[0] ?? null;
    const item = frame.item;
    const message = item.kind === "request" || item.kind === "notification" ? item.message : undefined;
    const metaVersion = (message?.params?._meta as Record<string, unknown> | undefined)?.[
      META_KEYS.protocolVersion
    ];
    const header = req.headers["mcp-protocol-version"];
    const mismatch = (text: string): HttpRefusal =>
      new HttpRefusal(400, text, {}, { code: ErrorCode.HeaderMismatch, id });
    if (typeof header !== "string") throw mismatch("Missing MCP-Protocol-Version header");
    if (metaVersion !== undefined && metaVersion !== header) {
      throw mismatch("MCP-Protocol-Version header does not match _meta protocolVersion");
    }
    if (item.kind === "request") checkRoutingHeaders(req, item.message.method, item.message.params, id);
    if (ids.length === 0) {
      res.writeHead(202).end();
      return;
    }
    const session = new HttpSession(randomUUID(), this.settings, true, paramHeadersOf(req));
    await this.connect(session);
    // A listen stream is a stream by nature; anything else is JSON unless it asked for progress.
    const stream = progress || message?.method === "subscriptions/listen";
    const exchange = session.newExchange(res, !stream, false, req.headers["accept-encoding"]);
    exchange.onDone = () => void session.close();
    // The session lives as long as its request: a client that goes away ends it (and its work).
    res.once("close", () => void session.close());
    session.deliverWithExchange(frame, exchange, ids);
  }

  private async get(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!accepts(req, "text/event-stream")) {
      throw new HttpRefusal(406, "Not Acceptable: GET opens an SSE stream; accept text/event-stream");
    }
    const session = this.sessionOf(req);
    this.checkVersionHeader(req);
    const lastEventId = req.headers["last-event-id"];
    if (typeof lastEventId === "string" && lastEventId !== "") {
      if (!session.resume(lastEventId, res)) {
        throw new HttpRefusal(
          404,
          `Not Found: event ${lastEventId} is no longer held; start a new stream without Last-Event-ID`,
        );
      }
      return;
    }
    if (session.hasStandalone) {
      throw new HttpRefusal(409, "Conflict: this session already has an open GET stream");
    }
    session.openStandalone(res);
  }

  private async delete(req: IncomingMessage, res: ServerResponse): Promise<void> {
    await this.endSession(this.sessionOf(req));
    res.writeHead(200, JSON_HEADERS).end();
  }

  private async openSession(): Promise<HttpSession> {
    const cap = this.options.maxSessions ?? 256;
    if (this.sessions.size >= cap) {
      throw new HttpRefusal(
        503,
        `Service Unavailable: the limit of ${cap} sessions is reached; close one with DELETE`,
        {
          "retry-after": "5",
        },
      );
    }
    const session = new HttpSession(randomUUID(), this.settings);
    this.sessions.set(session.id, session);
    await this.connect(session);
    const notifyConnection = session.onclose;
    session.onclose = () => {
      this.sessions.delete(session.id);
      notifyConnection?.();
    };
    return session;
  }

  private sessionOf(req: IncomingMessage): HttpSession {
    const id = req.headers["mcp-session-id"];
    if (typeof id !== "string" || id === "") {
      throw new HttpRefusal(
        400,
        "Bad Request: the Mcp-Session-Id header is required (send initialize first)",
      );
    }
    const session = this.sessions.get(id);
    if (!session)
      throw new HttpRefusal(404, "Not Found: no such session (it ended or expired); initialize a new one");
    return session;
  }

  private checkVersionHeader(req: IncomingMessage): void {
    const version = req.headers["mcp-protocol-version"];
    if (typeof version === "string" && !isSupportedVersion(version)) {
      throw new HttpRefusal(400, `Bad Request: unsupported MCP-Protocol-Version ${JSON.stringify(version)}`);
    }
  }

  private serveResourceMetadata(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== "GET") throw new HttpRefusal(405, "Method Not Allowed", { allow: "GET" });
    const oauth = this.options.oauth as OAuthResourceOptions;
    const body: Record<string, unknown> = {
      resource: this.boundUrl?.href,
      authorization_servers: oauth.authorizationServers,
      bearer_methods_supported: ["header"],
    };
    if (oauth.scopes) body.scopes_supported = oauth.scopes;
    res.writeHead(200, JSON_HEADERS).end(JSON.stringify(body));
  }

  private refuse(res: ServerResponse, refusal: HttpRefusal): void {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    const code =
      refusal.rpc?.code ??
      (refusal.status === 400 && refusal.message.startsWith("Parse error")
        ? ErrorCode.ParseError
        : ErrorCode.InvalidRequest);
    res
      .writeHead(refusal.status, { ...JSON_HEADERS, ...refusal.headers })
      .end(refusalBody(refusal.message, code, refusal.rpc?.id ?? null));
  }

  private sweep(ttlMs: number): void {
    const now = Date.now();
    for (const session of this.sessions.values()) {
      if (!session.busy && now - session.lastActive > ttlMs) {
        this.logger.debug("closing idle session", { session: session.id });
        this.sessions.delete(session.id);
        void session.close();
      }
    }
  }

  /** Stops listening and closes every session. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.all([...this.sessions.values()].map((s) => s.close()));
    this.sessions.clear();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }
}
