import type { Engine } from "../engine/index.js";
import type { Logger } from "../protocol/logger.js";
import type { McpServer } from "../protocol/mcp/server.js";
import { getDiagnosticsTool } from "./analysis/get-diagnostics.js";
import { lintAnalysisTool } from "./analysis/lint-analysis.js";
import { performanceProfileTool } from "./analysis/performance-profile.js";
import { securityScanTool } from "./analysis/security-scan.js";
import { syntaxCheckTool } from "./analysis/syntax-check.js";
import { dependencyGraphTool } from "./dependency-graph.js";
import { registerEditorTools } from "./editor/index.js";
import { editFileTool } from "./files/edit-file.js";
import { fileInfoTool } from "./files/file-info.js";
import { registerFileResources } from "./files/file-resource.js";
import { readFileTool } from "./files/read-file.js";
import { readFilesTool } from "./files/read-files.js";
import { writeFileTool } from "./files/write-file.js";
import { findFilesTool } from "./search/find-files.js";
import { searchTool } from "./search/search.js";
import { SessionScopes } from "./session-scopes.js";
import { documentSymbolsTool } from "./symbols/document-symbols.js";
import { findSymbolTool } from "./symbols/find-symbol.js";
import { workspaceSymbolsTool } from "./symbols/workspace-symbols.js";
import { workspaceInfoTool } from "./workspace-info.js";

/**
 * Registers every Rune tool on a server, each bound to the engine. Tools that change files are
 * registered only when the engine allows writes, so a read-only server does not even offer them.
 */
export function registerTools(server: McpServer, engine: Engine, logger?: Logger): void {
  const scopes = new SessionScopes(engine, logger);
  scopes.attach(server);
  server.tools.register(workspaceInfoTool(engine));
  server.tools.register(readFileTool(scopes));
  server.tools.register(readFilesTool(scopes));
  server.tools.register(fileInfoTool(scopes));
  server.tools.register(searchTool(scopes));
  server.tools.register(findFilesTool(scopes));
  server.tools.register(documentSymbolsTool(scopes));
  server.tools.register(workspaceSymbolsTool(scopes));
  server.tools.register(findSymbolTool(scopes));
  server.tools.register(dependencyGraphTool(engine.roots, () => engine.dependencyGraph()));
  server.tools.register(securityScanTool(scopes, server.info.version));
  server.tools.register(syntaxCheckTool(scopes));
  server.tools.register(lintAnalysisTool(scopes, server.info.version));
  server.tools.register(performanceProfileTool(scopes));
  server.tools.register(getDiagnosticsTool(scopes));
  registerEditorTools(server, engine, scopes);
  if (engine.allowWrites) {
    server.tools.register(editFileTool(scopes));
    server.tools.register(writeFileTool(scopes));
  }
  registerFileResources(server, engine, scopes);
}
