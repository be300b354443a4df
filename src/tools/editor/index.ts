import type { Engine } from "../../engine/index.js";
import type { McpServer } from "../../protocol/mcp/server.js";
import type { SessionScopes } from "../session-scopes.js";
import { editorContextTool } from "./editor-context.js";
import {
  checkDocumentDirtyTool,
  getDiagnosticsTool,
  getOpenEditorsTool,
  getWorkspaceFoldersTool,
  saveDocumentTool,
} from "./ide-document-tools.js";
import { closeAllDiffTabsTool, closeTabTool, openDiffTool, openFileTool } from "./ide-editor-actions.js";
import { getCurrentSelectionTool, getLatestSelectionTool } from "./ide-selection-tools.js";
import { selectionHistoryTool } from "./selection-history.js";
import { setSelectionsTool } from "./set-selections.js";
import { transformSelectionTool } from "./transform-selection.js";

/**
 * Registers the editor tools: Claude Code's IDE tools under their exact names and shapes, and
 * Rune's own snake_case selection and context tools. All answer from the engine's editor state;
 * those that act in the editor refuse clearly when none is attached.
 */
export function registerEditorTools(server: McpServer, engine: Engine, scopes: SessionScopes): void {
  const state = engine.editor;
  server.tools.register(getCurrentSelectionTool(state));
  server.tools.register(getLatestSelectionTool(state));
  server.tools.register(getOpenEditorsTool(state));
  server.tools.register(getWorkspaceFoldersTool(engine.roots));
  server.tools.register(getDiagnosticsTool(state));
  server.tools.register(checkDocumentDirtyTool(state));
  server.tools.register(saveDocumentTool(state));
  server.tools.register(openFileTool(state, scopes));
  server.tools.register(openDiffTool(state, scopes));
  server.tools.register(closeTabTool(state));
  server.tools.register(closeAllDiffTabsTool(state));
  server.tools.register(selectionHistoryTool(state));
  server.tools.register(setSelectionsTool(state));
  server.tools.register(transformSelectionTool(state));
  server.tools.register(editorContextTool(state));
}
