import type { EditorState, SelectionSnapshot } from "../../engine/index.js";
import { reusableResult } from "../../protocol/jsonrpc/reusable-result.js";
import type { ToolDefinition } from "../../protocol/mcp/tool-registry.js";
import type { CallToolResult } from "../../protocol/mcp/types.js";
import { ideSchema, textResult } from "./ide-result.js";
import { ideSelection } from "./ide-selection.js";

/**
 * The answer for a selection as Claude Code expects it, built once per snapshot and marked
 * reusable: a 100 KB selection asked for a thousand times is escaped twice (into the text block,
 * then into the reply) once, not per call.
 */
const rendered = new WeakMap<SelectionSnapshot, CallToolResult>();

function render(snapshot: SelectionSnapshot): CallToolResult {
  let result = rendered.get(snapshot);
  if (result === undefined) {
    result = reusableResult(textResult(JSON.stringify({ success: true, ...ideSelection(snapshot) })));
    rendered.set(snapshot, result);
  }
  return result;
}

const NO_EDITOR = reusableResult(
  textResult(JSON.stringify({ success: false, message: "No active editor found" })),
);
const NO_SELECTION = reusableResult(
  textResult(JSON.stringify({ success: false, message: "No selection available" })),
);

/** getCurrentSelection: the active editor's selection (or cursor), from memory. */
export function getCurrentSelectionTool(state: EditorState): ToolDefinition {
  return {
    name: "getCurrentSelection",
    description: "Get the current text selection in the active editor",
    inputSchema: ideSchema({}),
    annotations: { readOnlyHint: true },
    handler() {
      const snapshot = state.selection();
      return snapshot ? render(snapshot) : NO_EDITOR;
    },
  };
}

/** getLatestSelection: the most recent non-empty selection, even in an editor no longer active. */
export function getLatestSelectionTool(state: EditorState): ToolDefinition {
  return {
    name: "getLatestSelection",
    description: "Get the most recent text selection (even if not in the active editor)",
    inputSchema: ideSchema({}),
    annotations: { readOnlyHint: true },
    handler() {
      const snapshot = state.latestSelection();
      return snapshot ? render(snapshot) : NO_SELECTION;
    },
  };
}
