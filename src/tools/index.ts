import type { Engine } from "../engine/index.js";
import type { McpServer } from "../protocol/mcp/server.js";
import { workspaceInfoTool } from "./workspace-info.js";

/** Registers every Rune tool on a server, each bound to the engine. */
export function registerTools(server: McpServer, engine: Engine): void {
  server.tools.register(workspaceInfoTool(engine));
}
