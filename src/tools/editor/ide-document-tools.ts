import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import type { Diagnostic, EditorDocument, EditorState, WorkspaceRoots } from "../../engine/index.js";
import type { ToolDefinition } from "../../protocol/mcp/tool-registry.js";
import { toolError } from "../../protocol/mcp/tool-registry.js";
import { ideSchema, isResult, jsonResult, requireHost } from "./ide-result.js";

const FILE_PATH = { type: "string", description: "Path to the file" };

/** getOpenEditors: the open documents as tabs, in the shape Claude Code's IDE servers report. */
export function getOpenEditorsTool(state: EditorState): ToolDefinition {
  return {
    name: "getOpenEditors",
    description: "Get information about currently open editors",
    inputSchema: ideSchema({}),
    annotations: { readOnlyHint: true },
    handler() {
      const tabs = state.documents().map((d) => {
        const isActive = d.uri === state.activeUri;
        const fileName = d.path ?? d.uri;
        const tab: Record<string, unknown> = {
          uri: d.uri,
          isActive,
          isPinned: false,
          isPreview: false,
          isDirty: d.dirty,
          label: basename(fileName),
          groupIndex: 0,
          viewColumn: 1,
          isGroupActive: true,
          fileName,
          languageId: d.languageId,
          lineCount: d.lines.lineCount,
          isUntitled: d.isUntitled,
        };
        const cursor = state.selection(d.uri)?.selections[0];
        if (isActive && cursor) {
          const [start, end] = [cursor.anchor, cursor.active].sort(
            (a, b) => a.line - b.line || a.character - b.character,
          );
          tab.selection = { start, end, isReversed: cursor.active !== end };
        }
        return tab;
      });
      return jsonResult({ tabs });
    },
  };
}

/** getWorkspaceFolders: the folders Rune serves. */
export function getWorkspaceFoldersTool(roots: WorkspaceRoots): ToolDefinition {
  return {
    name: "getWorkspaceFolders",
    description: "Get all workspace folders currently open in the IDE",
    inputSchema: ideSchema({}),
    annotations: { readOnlyHint: true },
    handler() {
      const folders = roots.list().map((r) => ({ name: r.name, uri: r.uri, path: r.path }));
      return jsonResult({ success: true, folders, rootPath: folders[0]?.path ?? "" });
    },
  };
}

/** getDiagnostics: what the editor reports, per file, as VS Code's extension reports it. */
export function getDiagnosticsTool(state: EditorState): ToolDefinition<{ uri?: string }> {
  return {
    name: "getDiagnostics",
    description: "Get language diagnostics from the editor",
    inputSchema: ideSchema({
      uri: {
        type: "string",
        description:
          "Optional file URI to get diagnostics for. If not provided, gets diagnostics for all files.",
      },
    }),
    annotations: { readOnlyHint: true },
    handler({ uri }) {
      const entries =
        uri === undefined
          ? state.allDiagnostics()
          : [[normalizeUri(state, uri), state.diagnostics(normalizeUri(state, uri))] as const];
      return jsonResult(
        entries.map(([fileUri, list]) => ({ uri: fileUri, diagnostics: list.map(diagnosticJson) })),
      );
    },
  };
}

/** checkDocumentDirty: whether an open document has unsaved changes. */
export function checkDocumentDirtyTool(state: EditorState): ToolDefinition<{ filePath: string }> {
  return {
    name: "checkDocumentDirty",
    description: "Check if a document has unsaved changes (is dirty)",
    inputSchema: ideSchema({ filePath: { ...FILE_PATH, description: "Path to the file to check" } }, [
      "filePath",
    ]),
    annotations: { readOnlyHint: true },
    handler({ filePath }) {
      const document = state.documentAt(filePath);
      if (!document) return jsonResult({ success: false, message: `Document not open: ${filePath}` });
      return jsonResult({
        success: true,
        filePath,
        isDirty: document.dirty,
        isUntitled: document.isUntitled,
      });
    },
  };
}

/** saveDocument: asks the editor to save an open document. */
export function saveDocumentTool(state: EditorState): ToolDefinition<{ filePath: string }> {
  return {
    name: "saveDocument",
    description: "Save a document with unsaved changes",
    inputSchema: ideSchema({ filePath: { ...FILE_PATH, description: "Path to the file to save" } }, [
      "filePath",
    ]),
    async handler({ filePath }) {
      const host = requireHost(state, "saveDocument");
      if (isResult(host)) return host;
      const document: EditorDocument | undefined = state.documentAt(filePath);
      if (!document) return jsonResult({ success: false, message: `Document not open: ${filePath}` });
      if (!(await host.save(document.path ?? filePath))) {
        return toolError(`${host.name} could not save ${filePath}`);
      }
      return jsonResult({ success: true, filePath, saved: true, message: "Document saved successfully" });
    },
  };
}

function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return {
    message: d.message,
    severity: d.severity,
    range: d.range,
    ...(d.source ? { source: d.source } : {}),
    ...(d.code ? { code: d.code } : {}),
  };
}

/** Accepts a file URI or a bare path, as clients send either. */
function normalizeUri(state: EditorState, uri: string): string {
  if (state.document(uri)) return uri;
  let path = uri;
  if (uri.startsWith("file:")) {
    try {
      path = fileURLToPath(uri);
    } catch {
      return uri;
    }
  }
  return state.documentAt(path)?.uri ?? uri;
}
