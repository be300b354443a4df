import type { EditorState } from "../../engine/index.js";
import type { ToolDefinition } from "../../protocol/mcp/tool-registry.js";
import type { SessionScopes } from "../session-scopes.js";
import { ideSchema, isResult, jsonResult, requireHost, textResult } from "./ide-result.js";

interface OpenFileArgs {
  filePath: string;
  preview?: boolean;
  startLine?: number;
  endLine?: number;
  startText?: string;
  endText?: string;
  selectToEndOfLine?: boolean;
  makeFrontmost?: boolean;
}

/** openFile: opens a file in the editor, optionally selecting lines or text. */
export function openFileTool(state: EditorState, scopes: SessionScopes): ToolDefinition<OpenFileArgs> {
  return {
    name: "openFile",
    description: "Open a file in the editor and optionally select a range of text",
    inputSchema: ideSchema(
      {
        filePath: { type: "string", description: "Path to the file to open" },
        preview: { type: "boolean", description: "Whether to open the file in preview mode", default: false },
        startLine: { type: "integer", description: "Optional: Line number to start selection" },
        endLine: { type: "integer", description: "Optional: Line number to end selection" },
        startText: { type: "string", description: "Text pattern to find the start of the selection" },
        endText: { type: "string", description: "Text pattern to find the end of the selection" },
        selectToEndOfLine: {
          type: "boolean",
          description: "If true, selection will extend to the end of the line containing endText",
          default: false,
        },
        makeFrontmost: {
          type: "boolean",
          description:
            "Whether to make the file the active editor tab. If false, the file will be opened in the background without changing focus.",
          default: true,
        },
      },
      ["filePath"],
    ),
    async handler(args, context) {
      const host = requireHost(state, "openFile");
      if (isResult(host)) return host;
      // Confined to the workspace like every other path a client gives.
      const path = (await scopes.of(context.session)).files.info(args.filePath).path;
      const background = args.makeFrontmost === false;
      await host.openFile({
        path,
        background,
        ...(args.startLine !== undefined ? { startLine: args.startLine } : {}),
        ...(args.endLine !== undefined ? { endLine: args.endLine } : {}),
        ...(args.startText !== undefined ? { startText: args.startText } : {}),
        ...(args.endText !== undefined ? { endText: args.endText } : {}),
        ...(args.selectToEndOfLine !== undefined ? { selectToEndOfLine: args.selectToEndOfLine } : {}),
      });
      if (!background) return textResult(`Opened file: ${path}`);
      const document = state.documentAt(path);
      return jsonResult({
        success: true,
        filePath: path,
        languageId: document?.languageId ?? "plaintext",
        lineCount: document?.lines.lineCount ?? 0,
      });
    },
  };
}

interface OpenDiffArgs {
  old_file_path: string;
  new_file_path: string;
  new_file_contents: string;
  tab_name: string;
}

/** openDiff: shows a proposed change and waits until the user accepts (saves) or rejects it. */
export function openDiffTool(state: EditorState, scopes: SessionScopes): ToolDefinition<OpenDiffArgs> {
  return {
    name: "openDiff",
    description: "Open a diff view comparing old file content with new file content",
    inputSchema: ideSchema(
      {
        old_file_path: { type: "string", description: "Path to the old file to compare" },
        new_file_path: { type: "string", description: "Path to the new file to compare" },
        new_file_contents: { type: "string", description: "Contents for the new file version" },
        tab_name: { type: "string", description: "Name for the diff tab/view" },
      },
      ["old_file_path", "new_file_path", "new_file_contents", "tab_name"],
    ),
    async handler(args, context) {
      const host = requireHost(state, "openDiff");
      if (isResult(host)) return host;
      const files = (await scopes.of(context.session)).files;
      const oldPath = files.info(args.old_file_path).path;
      const newPath =
        args.new_file_path === args.old_file_path ? oldPath : files.info(args.new_file_path).path;
      const outcome = await host.openDiff({
        oldPath,
        newPath,
        newContents: args.new_file_contents,
        tabName: args.tab_name,
      });
      return outcome.accepted
        ? {
            content: [
              { type: "text", text: "FILE_SAVED" },
              { type: "text", text: outcome.contents },
            ],
          }
        : {
            content: [
              { type: "text", text: "DIFF_REJECTED" },
              { type: "text", text: args.tab_name },
            ],
          };
    },
  };
}

/** close_tab: closes the tab or window of a diff or file by its name. */
export function closeTabTool(state: EditorState): ToolDefinition<{ tab_name: string }> {
  return {
    name: "close_tab",
    description: "Close a tab by name",
    inputSchema: ideSchema({ tab_name: { type: "string", description: "Name of the tab to close" } }, [
      "tab_name",
    ]),
    async handler({ tab_name }) {
      const host = requireHost(state, "close_tab");
      if (isResult(host)) return host;
      await host.closeTab(tab_name);
      return textResult("TAB_CLOSED");
    },
  };
}

/** closeAllDiffTabs: closes every diff the editor shows for Rune. */
export function closeAllDiffTabsTool(state: EditorState): ToolDefinition {
  return {
    name: "closeAllDiffTabs",
    description: "Close all diff tabs in the editor",
    inputSchema: ideSchema({}),
    async handler() {
      const host = requireHost(state, "closeAllDiffTabs");
      if (isResult(host)) return host;
      return textResult(`CLOSED_${await host.closeAllDiffTabs()}_DIFF_TABS`);
    },
  };
}
