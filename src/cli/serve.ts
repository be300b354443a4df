import { realpathSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Engine } from "../engine/index.js";
import { McpServer, StdioTransport } from "../protocol/index.js";
import { registerTools } from "../tools/index.js";
import type { ServeConfig } from "./config.js";
import { stderrLogger } from "./stderr-logger.js";
import { VERSION } from "./version.js";

const INSTRUCTIONS =
  "Rune gives fast, read-only-by-default access to the developer's workspace. Paths are confined to the workspace roots listed by workspace_info.";

/** `rune serve`: one engine, one MCP server, one stdio session; exits when stdin ends or on SIGTERM/SIGINT. */
export async function serve(config: ServeConfig): Promise<void> {
  const logger = stderrLogger(config.logLevel);
  const engine = new Engine({ roots: config.roots, allowWrites: config.allowWrites });
  const server = new McpServer({
    info: { name: "rune", title: "Rune", version: VERSION },
    instructions: INSTRUCTIONS,
    pageSize: config.pageSize,
    requestTimeoutMs: config.requestTimeoutMs,
    logger,
  });
  registerTools(server, engine);

  let stopping: Promise<void> | undefined;
  const stop = (why: string): Promise<void> => {
    stopping ??= (async () => {
      logger.debug(`stopping: ${why}`);
      await server.close();
      await engine.dispose();
    })();
    return stopping;
  };
  server.hooks.onSessionClosed = () => void stop("stdin closed").then(() => process.exit(0));
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => void stop(signal).then(() => process.exit(0)));
  }

  await server.connect(new StdioTransport({ maxMessageBytes: config.maxMessageBytes }));
  const roots = engine.roots.list().map((r) => r.path);
  const self = realpathSync(fileURLToPath(new URL("./main.js", import.meta.url)));
  logger.info(
    `Rune ${VERSION} serving ${roots.join(", ")} over stdio (writes ${config.allowWrites ? "enabled" : "disabled"})`,
  );
  logger.info(
    `connect a client, e.g.: claude mcp add rune -- node ${self} serve ${roots.map(quote).join(" ")}`,
  );
}

function quote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
