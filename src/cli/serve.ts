import { realpathSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../engine/index.js";
import { RuneLogger } from "../ops/log.js";
import { Operations } from "../ops/operations.js";
import { Redactor } from "../ops/redact.js";
import type { Logger } from "../protocol/logger.js";
import { McpServer } from "../protocol/mcp/server.js";
import type { StreamableHttpServer } from "../protocol/transports/http/streamable-http-server.js";
import { StdioTransport } from "../protocol/transports/stdio-transport.js";
import type { IdeWebSocketServer } from "../protocol/transports/websocket/ide-websocket-server.js";
import { broadcastMentions } from "../tools/editor/mention-broadcast.js";
import { broadcastSelections } from "../tools/editor/selection-broadcast.js";
import { registerTools } from "../tools/index.js";
import { ConfigError, type ServeConfig } from "./config.js";
import { VERSION } from "./version.js";

const INSTRUCTIONS =
  "Rune gives fast, read-only-by-default access to the developer's workspace. Paths are confined to the workspace roots listed by workspace_info.";

/** What `serve` started, so it can be stopped in order. */
interface Running {
  server: McpServer;
  engine: Engine;
  http?: StreamableHttpServer;
  ide?: IdeWebSocketServer;
  nvim?: { close(): Promise<void> };
}

/**
 * `rune serve`: one engine and one MCP server, reachable over any mix of stdio, Streamable HTTP
 * and the Claude Code IDE WebSocket. Stops on SIGTERM/SIGINT, and when stdin ends if it serves stdio.
 */
export async function serve(config: ServeConfig): Promise<void> {
  const redactor = new Redactor();
  redactor.add(config.token);
  const logger = new RuneLogger({
    level: config.logLevel,
    file: config.logFile,
    format: config.logFormat,
    redactor,
  });
  const engine = new Engine({
    roots: config.roots,
    allowWrites: config.allowWrites,
    allowExec: config.allowExec,
    workers: config.workers,
    cache: { budgetBytes: config.cacheBytes },
    symbolCache: {
      ...(config.cacheDir ? { folder: join(config.cacheDir, "symbols") } : {}),
      onWarning: (message) => logger.warn(message),
    },
  });
  const ops: Operations | undefined = config.metrics
    ? new Operations(logger, redactor, {
        status: () => engine.status(),
        sessions: () => server.sessionList(),
        config: () => ({ ...config }),
        editorExpected: config.nvim !== undefined,
        version: VERSION,
      })
    : undefined;
  const server: McpServer = new McpServer({
    info: { name: "rune", title: "Rune", version: VERSION },
    instructions: INSTRUCTIONS,
    pageSize: config.pageSize,
    requestTimeoutMs: config.requestTimeoutMs,
    logger,
    ...(ops ? { observer: ops.metrics } : {}),
  });
  // The MCP log bridge: a client that set a level with logging/setLevel hears what the log gets.
  logger.onEvent((event, level) =>
    server.broadcastLog(level, { message: event.msg, ...event.fields }, "rune"),
  );
  registerTools(server, engine, logger);
  let nvim: { close(): Promise<void> } | undefined;
  if (config.nvim !== undefined) {
    // Before anything starts serving: an address that leads nowhere ends the command cleanly.
    const { NeovimAdapter } = await import("../editors/neovim/neovim-adapter.js");
    try {
      nvim = await NeovimAdapter.connect({
        socket: config.nvim,
        state: engine.editor,
        logger,
        // Rune keeps serving without its editor: tools that need one say so.
        onDisconnect: () => logger.warn(`Neovim at ${config.nvim} went away; serving headless`),
      });
    } catch (error) {
      await engine.dispose();
      throw new ConfigError((error as Error).message);
    }
    logger.info(`attached to ${engine.editor.host?.name} at ${config.nvim}`);
  }
  if (config.watch) {
    // In the background: a large tree takes a moment to watch, and serving need not wait for it.
    engine
      .watch((error) => logger.warn(`file watcher: ${error.message}`))
      .catch((error: Error) => {
        logger.warn(
          `cannot watch the workspace (${error.message}); caches will check each file's stat instead`,
        );
      });
  }
  if (config.warmIndex) {
    engine.symbols.ready().then(
      (stats) =>
        logger.info("symbol index built", {
          files: stats.files,
          symbols: stats.symbols,
          ms: Math.round(stats.elapsedMs),
        }),
      (error: Error) => logger.warn(`symbol index build failed: ${error.message}`),
    );
  }
  const running: Running = { server, engine, ...(nvim ? { nvim } : {}) };
  const roots = engine.roots.list().map((r) => r.path);

  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      logger.debug(`stopping: ${why}`);
      await Promise.all([running.http?.close(), running.ide?.close(), running.nvim?.close()]);
      await server.close();
      ops?.close();
      logger.flush();
      await engine.dispose();
    })();
    return stopping.then(() => process.exit(0));
  };
  for (const signal of ["SIGTERM", "SIGINT"] as const) process.once(signal, () => void stop(signal));
  // Whatever ends the process, the lock file (which holds a token) must not outlive it.
  process.once("exit", () => running.ide?.removeLockFileSync());

  if (config.httpPort !== undefined) {
    running.http = await startHttp(config, server, logger, ops);
    redactor.add(running.http.token);
  }
  if (config.ide) {
    // Loaded only when asked for: a stdio-only server does not carry ws and the HTTP stack in memory.
    const { IdeWebSocketServer } = await import("../protocol/transports/websocket/ide-websocket-server.js");
    running.ide = new IdeWebSocketServer((t) => server.connect(t), {
      workspaceFolders: roots,
      logger,
      perMessageDeflate: config.wsDeflate,
    });
    redactor.add(running.ide.authToken);
    const port = await running.ide.listen();
    broadcastSelections(engine.editor, running.ide);
    broadcastMentions(engine.editor, running.ide, server);
    logger.info(`Claude Code IDE endpoint on ws://127.0.0.1:${port} (lock file ${running.ide.lockFile})`);
    logger.info(
      `run \`claude\` in ${roots[0]} and pick Rune with /ide, or start it with CLAUDE_CODE_SSE_PORT=${port}`,
    );
  }
  if (config.stdio) {
    server.hooks.onSessionClosed = (session) => {
      if (session.connection.transport instanceof StdioTransport) void stop("stdin closed");
    };
    await server.connect(new StdioTransport({ maxMessageBytes: config.maxMessageBytes }));
    const self = realpathSync(fileURLToPath(new URL("./main.js", import.meta.url)));
    logger.info(
      `Rune ${VERSION} serving ${roots.join(", ")} over stdio (writes ${config.allowWrites ? "enabled" : "disabled"})`,
    );
    logger.info(
      `connect a client, e.g.: claude mcp add rune -- node ${self} serve ${roots.map(quote).join(" ")}`,
    );
  }
}

async function startHttp(
  config: ServeConfig,
  server: McpServer,
  logger: Logger,
  ops: Operations | undefined,
): Promise<StreamableHttpServer> {
  const { StreamableHttpServer } = await import("../protocol/transports/http/streamable-http-server.js");
  let check: (token: string) => boolean = () => false;
  const http = new StreamableHttpServer((t) => server.connect(t), {
    compressMinBytes: config.compressMinBytes,
    ...(ops ? { routes: ops.routes((token) => check(token), config.auth) } : {}),
    host: config.httpHost,
    port: config.httpPort,
    auth: config.auth,
    jsonResponse: config.jsonResponse,
    maxBodyBytes: config.maxMessageBytes,
    logger,
    ...(config.token ? { token: config.token } : {}),
    ...(config.authServers.length > 0 ? { oauth: { authorizationServers: config.authServers } } : {}),
  });
  check = (token) => http.tokenMatches(token);
  const url = await http.listen();
  logger.info(`Streamable HTTP on ${url.href}`);
  if (http.token && !config.token) {
    // Shown once, here, and never logged again: it is the key to the workspace.
    process.stderr.write(`rune: bearer token for this run: ${http.token}\n`);
    process.stderr.write(
      `rune: connect with: claude mcp add --transport http rune ${url.href} --header "Authorization: Bearer <token>"\n`,
    );
  }
  return http;
}

function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
