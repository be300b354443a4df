import { randomBytes } from "node:crypto";
import type { ConnectionOptions } from "../jsonrpc/connection.js";
import { type Logger, silentLogger } from "../logger.js";
import type { Transport } from "../transport.js";
import { RequestStateCodec } from "./input-round.js";
import type { Feature } from "./methods.js";
import { PromptRegistry } from "./prompt-registry.js";
import type { RequestObserver } from "./request-observer.js";
import { ResourceRegistry } from "./resource-registry.js";
import { SchemaCompiler } from "./schema-validator.js";
import { McpSession } from "./session.js";
import { ToolRegistry } from "./tool-registry.js";
import type { Implementation, JsonObject, LoggingLevel } from "./types.js";

export interface McpServerHooks {
  /** After the client's notifications/initialized. */
  onInitialized?(session: McpSession): void;
  /** The client said its roots changed (notifications/roots/list_changed). */
  onRootsChanged?(session: McpSession): void;
  /** A session ended (its transport closed). */
  onSessionClosed?(session: McpSession): void;
}

export interface McpServerOptions {
  info: Implementation;
  instructions?: string;
  /** Items per page on every list (default 100). */
  pageSize?: number;
  /** Deadline for each incoming request in milliseconds (default 120,000; 0 disables). */
  requestTimeoutMs?: number;
  /** Features to offer even while nothing is registered in them (lists may fill later). */
  offer?: Feature[];
  logger?: Logger;
  hooks?: McpServerHooks;
  /** Hears of every answered request and every session opened or closed (metrics, request logs). */
  observer?: RequestObserver;
  /**
   * Key that signs `requestState` in input-required results (2026-07-28). Random per process by
   * default; give the same key to every instance behind a load balancer.
   */
  requestStateSecret?: Buffer;
}

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_REQUEST_TIMEOUT_MS = 120_000;

/**
 * An MCP server, usable as a library on its own: register tools, resources and prompts, then
 * `connect` any number of transports. Each connection is an McpSession; changes to the registries
 * are announced to every session with list_changed.
 */
export class McpServer {
  readonly info: Implementation;
  readonly instructions: string | undefined;
  readonly pageSize: number;
  readonly logger: Logger;
  readonly hooks: McpServerHooks;
  readonly observer: RequestObserver | undefined;
  readonly tools: ToolRegistry;
  readonly resources: ResourceRegistry;
  readonly prompts: PromptRegistry;
  readonly requestStates: RequestStateCodec;
  private readonly sessions = new Set<McpSession>();
  private readonly connectionOptions: ConnectionOptions;
  private readonly offered: Set<Feature>;
  private readonly changed = new Set<"tools" | "resources" | "prompts">();

  constructor(options: McpServerOptions) {
    this.info = options.info;
    this.instructions = options.instructions;
    this.pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
    this.logger = options.logger ?? silentLogger;
    this.hooks = options.hooks ?? {};
    this.observer = options.observer;
    this.offered = new Set(options.offer ?? []);
    this.connectionOptions = { requestTimeoutMs: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS };
    this.requestStates = new RequestStateCodec(options.requestStateSecret ?? randomBytes(32));
    const compiler = new SchemaCompiler();
    this.tools = new ToolRegistry(compiler, () => this.listChanged("tools"));
    this.resources = new ResourceRegistry(() => this.listChanged("resources"));
    this.prompts = new PromptRegistry(() => this.listChanged("prompts"));
  }

  /** Whether a feature is offered: configured so, or something is registered in it. */
  offers(feature: Feature): boolean {
    switch (feature) {
      case "logging":
        return true;
      case "tools":
        return this.offered.has("tools") || this.tools.size > 0;
      case "resources":
        return this.offered.has("resources") || this.resources.size > 0;
      case "prompts":
        return this.offered.has("prompts") || this.prompts.size > 0;
      case "completions":
        return this.offered.has("completions") || this.prompts.size > 0 || this.resources.size > 0;
    }
  }

  /** The capabilities object sent in the initialize result. */
  capabilities(): JsonObject {
    const capabilities: JsonObject = { logging: {} };
    if (this.offers("tools")) capabilities.tools = { listChanged: true };
    if (this.offers("resources")) capabilities.resources = { subscribe: true, listChanged: true };
    if (this.offers("prompts")) capabilities.prompts = { listChanged: true };
    if (this.offers("completions")) capabilities.completions = {};
    return capabilities;
  }

  /** Serves one transport; resolves once it is reading. */
  async connect(transport: Transport): Promise<McpSession> {
    const session = new McpSession(this, transport, this.connectionOptions);
    this.sessions.add(session);
    if (!session.stateless) this.observer?.sessionOpened?.(session);
    await session.connection.start();
    return session;
  }

  /** Called by a session when its transport closes. */
  detach(session: McpSession): void {
    if (!this.sessions.delete(session)) return;
    if (!session.stateless) this.observer?.sessionClosed?.(session);
    this.hooks.onSessionClosed?.(session);
  }

  /** Live sessions, for adapters that broadcast (and for tests). */
  get sessionCount(): number {
    return this.sessions.size;
  }

  /** Live sessions: id, transport, client and revision, for operations views. */
  sessionList(): {
    id: string;
    transport: string;
    client: string | undefined;
    protocolVersion: string;
    stateless: boolean;
  }[] {
    return [...this.sessions].map((s) => ({
      id: s.id,
      transport: s.transport,
      client: s.clientInfo ? `${s.clientInfo.name} ${s.clientInfo.version}` : undefined,
      protocolVersion: s.protocolVersion,
      stateless: s.stateless,
    }));
  }

  /**
   * Sends a server log event as notifications/message to every stateful session whose client set a
   * level with logging/setLevel (and whose level admits it): the bridge from the server's own log
   * to MCP clients. Sessions that never asked hear nothing.
   */
  broadcastLog(level: LoggingLevel, data: unknown, logger?: string): void {
    for (const session of this.sessions) {
      if (!session.stateless && session.logLevel !== undefined) session.log(level, data, logger);
    }
  }

  /** Tells every session subscribed to `uri` that it changed. */
  notifyResourceUpdated(uri: string): void {
    for (const session of this.sessions) {
      if (session.subscriptions.has(uri)) session.notify("notifications/resources/updated", { uri });
    }
  }

  /** Announces registry changes once per tick, however many registrations the tick made. */
  private listChanged(list: "tools" | "resources" | "prompts"): void {
    if (this.sessions.size === 0) return;
    if (this.changed.size === 0) queueMicrotask(() => this.flushListChanged());
    this.changed.add(list);
  }

  private flushListChanged(): void {
    for (const list of this.changed) {
      for (const session of this.sessions) session.notify(`notifications/${list}/list_changed`);
    }
    this.changed.clear();
  }

  /** Closes every session. */
  async close(): Promise<void> {
    await Promise.all([...this.sessions].map((s) => s.close()));
  }
}
