import { randomBytes } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { EngineStatus } from "../engine/engine.js";
import type { RequestRecord } from "../protocol/mcp/request-observer.js";
import { sendNegotiated } from "../protocol/transports/http/compression.js";
import type { HttpRoute } from "../protocol/transports/http/streamable-http-server.js";
import { DASHBOARD_CSS, DASHBOARD_HTML, DASHBOARD_JS } from "./dashboard-page.js";
import { LiveStats } from "./live-stats.js";
import type { LogEvent, RuneLogger } from "./log.js";
import { RuneMetrics } from "./metrics.js";
import type { Redactor } from "./redact.js";

/** A live session as operations views show it. */
export interface SessionInfo {
  id: string;
  transport: string;
  client: string | undefined;
  protocolVersion: string;
}

/** What operations read from the running server; filled in by `rune serve`. */
export interface OpsSources {
  status(): EngineStatus;
  sessions(): SessionInfo[];
  /** The configuration, secrets included: the dump redacts it. */
  config(): Record<string, unknown>;
  /** Whether an editor was asked for (--nvim): readiness then waits for it. */
  editorExpected: boolean;
  version: string;
}

export interface Readiness {
  status: "ok" | "starting" | "degraded";
  live: true;
  ready: boolean;
  checks: Record<string, { ok: boolean; detail: string }>;
}

const COOKIE = "rune_dashboard";
const COOKIE_TTL_MS = 12 * 60 * 60 * 1000;
const MAX_COOKIES = 64;

const PAGE_HEADERS = [
  "cache-control",
  "no-store",
  "referrer-policy",
  "no-referrer",
  "x-content-type-options",
  "nosniff",
  "x-frame-options",
  "DENY",
  "content-security-policy",
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
];

/**
 * Everything Rune reports about itself: the logger, metrics, the dashboard's live history, health,
 * and the debug snapshot, with the HTTP endpoints that serve them. One object per server.
 */
export class Operations {
  readonly metrics: RuneMetrics;
  readonly live = new LiveStats();
  private readonly started = Date.now();
  /** Dashboard browser sessions: cookie value → expiry. The bearer token itself never reaches the browser's storage. */
  private readonly cookies = new Map<string, number>();
  private readonly memory: { t: number; rss: number; heapUsed: number }[] = [];
  private readonly sampler: NodeJS.Timeout;

  constructor(
    readonly logger: RuneLogger,
    readonly redactor: Redactor,
    private readonly sources: OpsSources,
  ) {
    this.metrics = new RuneMetrics({
      cache: () => sources.status().cache,
      workers: () => sources.status().workers,
      index: () => sources.status().index,
    });
    this.metrics.tap((record) => this.live.add(record));
    this.metrics.tap((record) => this.logRequest(record));
    this.sampleMemory();
    this.sampler = setInterval(() => this.sampleMemory(), 2_000);
    this.sampler.unref();
  }

  /** Request logs carry the JSON-RPC id and the session: debug for every call, warn for internal errors. */
  private logRequest(record: RequestRecord): void {
    const internal = record.outcome === "error" && record.errorCode === -32603;
    if (!internal && !this.logger.enabled("debug")) return;
    const fields = {
      session: record.session,
      id: record.id,
      transport: record.transport,
      method: record.method,
      ...(record.tool ? { tool: record.tool } : {}),
      ms: Math.round(record.ms * 1000) / 1000,
      outcome: record.outcome,
      ...(record.errorCode !== undefined ? { code: record.errorCode } : {}),
    };
    if (internal) this.logger.warn("request failed", fields);
    else this.logger.debug("request", fields);
  }

  private sampleMemory(): void {
    const { rss, heapUsed } = process.memoryUsage();
    this.memory.push({ t: Date.now(), rss, heapUsed });
    if (this.memory.length > 150) this.memory.shift();
  }

  close(): void {
    clearInterval(this.sampler);
  }

  readiness(): Readiness {
    const status = this.sources.status();
    const index = status.index.state;
    const checks: Readiness["checks"] = {
      index: {
        ok: index !== "building" && index !== "failed",
        detail:
          index === "idle"
            ? "built on first use"
            : `${index} (${status.index.files} files, ${status.index.symbols} symbols)`,
      },
      editor: {
        ok: !this.sources.editorExpected || status.editor.attached,
        detail: status.editor.attached ? `attached: ${status.editor.name}` : "headless",
      },
    };
    const ready = Object.values(checks).every((c) => c.ok);
    return { status: ready ? "ok" : index === "failed" ? "degraded" : "starting", live: true, ready, checks };
  }

  /** What the dashboard polls. */
  dashboardData(): Record<string, unknown> {
    const status = this.sources.status();
    let hits = 0;
    let misses = 0;
    for (const kind of Object.values(status.cache.kinds)) {
      hits += kind.hits;
      misses += kind.misses;
    }
    const { rss, heapUsed, heapTotal } = process.memoryUsage();
    return {
      now: Date.now(),
      version: this.sources.version,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      sessions: this.sources.sessions(),
      series: this.live.series(120, 2),
      slowest: this.live.slowestCalls(),
      cache: { hits, misses, hitRate: hits + misses === 0 ? null : hits / (hits + misses), ...status.cache },
      index: status.index,
      editor: status.editor,
      workers: status.workers,
      readiness: this.readiness(),
      memory: { rss, heapUsed, heapTotal, series: this.memory },
    };
  }

  /** The debug dump: configuration, sessions, index, recent errors and metrics, secrets removed. */
  async snapshot(): Promise<Record<string, unknown>> {
    const metrics = await this.metrics.registry.getMetricsAsJSON();
    const dump = {
      kind: "rune-debug-dump",
      createdAt: new Date().toISOString(),
      version: this.sources.version,
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      pid: process.pid,
      uptimeSeconds: Math.round((Date.now() - this.started) / 1000),
      config: this.sources.config(),
      sessions: this.sources.sessions(),
      status: this.sources.status(),
      readiness: this.readiness(),
      recentErrors: this.logger.recentErrors() as LogEvent[],
      slowest: this.live.slowestCalls(),
      memory: process.memoryUsage(),
      metrics,
    };
    return this.redactor.value(dump) as Record<string, unknown>;
  }

  /**
   * The endpoints served beside /mcp. `tokenMatches` checks a bearer token the way the MCP
   * endpoint does. Liveness answers without a token: it says only "ok". Everything else needs the
   * token; the dashboard also takes the cookie that `/dashboard?token=` hands out.
   */
  routes(tokenMatches: (token: string) => boolean, authEnabled: boolean): Record<string, HttpRoute> {
    const json = (req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void =>
      sendNegotiated(
        req,
        res,
        status,
        ["content-type", "application/json", "cache-control", "no-store"],
        JSON.stringify(body),
      );
    const browserAllowed = (req: IncomingMessage): boolean => {
      if (!authEnabled) return true;
      const header = req.headers.authorization;
      if (header?.startsWith("Bearer ") && tokenMatches(header.slice(7).trim())) return true;
      const cookie = cookieValue(req.headers.cookie, COOKIE);
      const expiry = cookie === undefined ? undefined : this.cookies.get(cookie);
      return expiry !== undefined && expiry > Date.now();
    };
    const refuse = (res: ServerResponse): void => {
      res
        .writeHead(401, {
          "content-type": "text/plain; charset=utf-8",
          "cache-control": "no-store",
          "www-authenticate": 'Bearer realm="rune"',
        })
        .end(
          "Unauthorized: open /dashboard?token=<token> once (the token is exchanged for a cookie), or send Authorization: Bearer <token>\n",
        );
    };
    const page = (body: string, type: string) => (req: IncomingMessage, res: ServerResponse) => {
      if (req.method !== "GET") {
        res.writeHead(405, { allow: "GET" }).end();
        return;
      }
      if (!browserAllowed(req)) return refuse(res);
      sendNegotiated(req, res, 200, ["content-type", type, ...PAGE_HEADERS], body);
    };
    return {
      "/metrics": {
        access: "token",
        handle: async (req, res) => {
          const { contentType, body } = await this.metrics.expose();
          sendNegotiated(req, res, 200, ["content-type", contentType, "cache-control", "no-store"], body);
        },
      },
      "/health/live": {
        access: "open",
        handle: (_req, res) => {
          res
            .writeHead(200, { "content-type": "application/json", "cache-control": "no-store" })
            .end('{"status":"ok"}');
        },
      },
      "/health": {
        access: "token",
        handle: (req, res) => {
          const readiness = this.readiness();
          json(req, res, 200, readiness);
        },
      },
      "/health/ready": {
        access: "token",
        handle: (req, res) => {
          const readiness = this.readiness();
          json(req, res, readiness.ready ? 200 : 503, readiness);
        },
      },
      "/debug/dump": {
        access: "token",
        handle: async (req, res) => json(req, res, 200, await this.snapshot()),
      },
      "/dashboard": {
        access: "open",
        handle: (req, res, url) => {
          const given = url.searchParams.get("token");
          if (given !== null) {
            // Exchanged once for a random cookie, then redirected so the token leaves the address bar and history.
            if (!authEnabled || !tokenMatches(given)) return refuse(res);
            const value = this.newCookie();
            res
              .writeHead(303, {
                location: "/dashboard",
                "set-cookie": `${COOKIE}=${value}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${COOKIE_TTL_MS / 1000}`,
                "cache-control": "no-store",
                "referrer-policy": "no-referrer",
              })
              .end();
            return;
          }
          page(DASHBOARD_HTML, "text/html; charset=utf-8")(req, res);
        },
      },
      "/dashboard/app.js": { access: "open", handle: page(DASHBOARD_JS, "text/javascript; charset=utf-8") },
      "/dashboard/app.css": { access: "open", handle: page(DASHBOARD_CSS, "text/css; charset=utf-8") },
      "/dashboard/data": {
        access: "open",
        handle: (req, res) => {
          if (!browserAllowed(req)) return refuse(res);
          json(req, res, 200, this.dashboardData());
        },
      },
    };
  }

  private newCookie(): string {
    const now = Date.now();
    for (const [value, expiry] of this.cookies) if (expiry <= now) this.cookies.delete(value);
    if (this.cookies.size >= MAX_COOKIES) {
      const oldest = this.cookies.keys().next().value;
      if (oldest !== undefined) this.cookies.delete(oldest);
    }
    const value = randomBytes(32).toString("base64url");
    this.cookies.set(value, now + COOKIE_TTL_MS);
    return value;
  }
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
