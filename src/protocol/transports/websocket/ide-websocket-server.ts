import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Duplex } from "node:stream";
import type { WebSocketServer } from "ws";
import { type Logger, silentLogger } from "../../logger.js";
import type { JsonObject } from "../../mcp/types.js";
import type { Transport } from "../../transport.js";
import { isLoopbackAddress, Secret } from "../http/request-guard.js";
import { ideLockDirectory, removeIdeLockFile, writeIdeLockFile } from "./ide-lock-file.js";
import { WebSocketTransport } from "./websocket-transport.js";

export interface IdeWebSocketOptions {
  /** Folders announced in the lock file; Claude Code matches them against its working directory. */
  workspaceFolders: string[];
  ideName?: string;
  /** Port to bind on 127.0.0.1; 0 (the default) picks a free one, as IDE servers do. */
  port?: number;
  /** The token clients must present; a random UUID unless given. */
  authToken?: string;
  /** Where the lock file goes; `$CLAUDE_CONFIG_DIR/ide` or `~/.claude/ide` by default. */
  lockDirectory?: string;
  /** Write the lock file (default true); tests and embedders may turn it off. */
  writeLockFile?: boolean;
  maxMessageBytes?: number;
  /** Interval of WebSocket pings; a client that misses one is dropped. */
  pingIntervalMs?: number;
  /**
   * Offer permessage-deflate (RFC 7692). Off by default: on loopback it costs more CPU than the
   * bytes it saves, except for large selections and diagnostics sent to slow clients.
   */
  perMessageDeflate?: boolean;
  logger?: Logger;
}

export const IDE_AUTH_HEADER = "x-claude-code-ide-authorization";

/**
 * The WebSocket endpoint of the Claude Code IDE protocol: loopback only, token in the
 * `x-claude-code-ide-authorization` header (compared in constant time), browser origins other
 * than loopback refused (CVE-2025-52882 was an unauthenticated localhost WebSocket any page could
 * open), discovery through a lock file. Each connection is one MCP session.
 */
export class IdeWebSocketServer {
  readonly authToken: string;
  private readonly secret: Secret;
  private readonly http: Server;
  /** Created in listen(): `ws` is loaded only by servers that serve the IDE endpoint. */
  private wss: WebSocketServer | undefined;
  private readonly transports = new Set<WebSocketTransport>();
  private readonly logger: Logger;
  private lockPath: string | undefined;
  private pinger: NodeJS.Timeout | undefined;
  private boundPort = 0;

  constructor(
    private readonly connect: (transport: Transport) => Promise<unknown>,
    private readonly options: IdeWebSocketOptions,
  ) {
    this.authToken = options.authToken ?? randomUUID();
    this.secret = new Secret(this.authToken);
    this.logger = options.logger ?? silentLogger;
    this.http = createServer((_req, res) => {
      res
        .writeHead(426, { "content-type": "text/plain" })
        .end("Upgrade Required: this is a WebSocket endpoint\n");
    });
    this.http.on("upgrade", (req, socket, head) => this.upgrade(req, socket, head));
  }

  get port(): number {
    return this.boundPort;
  }

  get lockFile(): string | undefined {
    return this.lockPath;
  }

  get clientCount(): number {
    return this.transports.size;
  }

  /** Binds 127.0.0.1, writes the lock file, and resolves with the port. */
  async listen(): Promise<number> {
    const { WebSocketServer } = await import("ws");
    this.wss = new WebSocketServer({
      noServer: true,
      maxPayload: this.options.maxMessageBytes ?? 4 * 1024 * 1024,
      perMessageDeflate: this.options.perMessageDeflate === true ? { threshold: 1024 } : false,
      // Claude Code offers the "mcp" subprotocol; agree to it when offered, accept plain clients too.
      handleProtocols: (protocols) => (protocols.has("mcp") ? "mcp" : false),
    });
    await new Promise<void>((resolve, reject) => {
      this.http.once("error", reject);
      this.http.listen(this.options.port ?? 0, "127.0.0.1", () => resolve());
    });
    this.boundPort = (this.http.address() as AddressInfo).port;
    if (this.options.writeLockFile !== false) {
      this.lockPath = writeIdeLockFile(this.options.lockDirectory ?? ideLockDirectory(), this.boundPort, {
        pid: process.pid,
        workspaceFolders: this.options.workspaceFolders,
        ideName: this.options.ideName ?? "Rune",
        transport: "ws",
        authToken: this.authToken,
      });
    }
    const interval = this.options.pingIntervalMs ?? 30_000;
    if (interval > 0) {
      this.pinger = setInterval(() => this.ping(), interval);
      this.pinger.unref();
    }
    return this.boundPort;
  }

  /** Why an upgrade must be refused, as an HTTP status and reason; null when it may proceed. */
  private refusal(req: IncomingMessage): [number, string] | null {
    if (!isLoopbackAddress(req.socket.remoteAddress?.replace(/^::ffff:/, "") ?? ""))
      return [403, "Forbidden"];
    const origin = req.headers.origin;
    if (origin !== undefined && !loopbackOrigin(origin)) return [403, "Forbidden"];
    const token = req.headers[IDE_AUTH_HEADER];
    if (typeof token !== "string" || !this.secret.matches(token)) return [401, "Unauthorized"];
    return null;
  }

  private upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const refused = this.refusal(req);
    if (refused) {
      const [status, reason] = refused;
      this.logger.warn("IDE WebSocket connection refused", { status, origin: req.headers.origin });
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    this.wss?.handleUpgrade(req, socket, head, (ws) => {
      const transport = new WebSocketTransport(ws, () => this.transports.delete(transport));
      this.transports.add(transport);
      void this.connect(transport);
    });
  }

  private ping(): void {
    for (const transport of this.transports) transport.heartbeat();
  }

  /**
   * Sends a notification to every connected client: how the editor layer reports
   * `selection_changed` and `at_mentioned` (see src/tools/editor) to Claude Code.
   */
  broadcast(method: string, params: JsonObject): void {
    for (const transport of this.transports) transport.send({ jsonrpc: "2.0", method, params });
  }

  /** Closes every connection, stops listening and removes the lock file. */
  async close(): Promise<void> {
    if (this.pinger) clearInterval(this.pinger);
    if (this.lockPath) removeIdeLockFile(this.lockPath);
    await Promise.all([...this.transports].map((t) => t.close()));
    this.wss?.close();
    await new Promise<void>((resolve) => {
      this.http.close(() => resolve());
      this.http.closeAllConnections();
    });
  }

  /** Synchronous cleanup for process exit handlers: only the lock file must not outlive us. */
  removeLockFileSync(): void {
    if (this.lockPath) removeIdeLockFile(this.lockPath);
  }
}

function loopbackOrigin(origin: string): boolean {
  try {
    return isLoopbackAddress(new URL(origin).hostname);
  } catch {
    return false;
  }
}
