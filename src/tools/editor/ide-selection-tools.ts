import type { EditorState, SelectionSnapshot } from "../../engine/index.js";
import type { ToolDefinition } from "../../protocol/mcp/tool-registry.js";
import { ideSchema, textResult } from "./ide-result.js";
import { ideSelection } from "./ide-selection.js";

/**
 * The JSON text of a selection as Claude Code expects it, built once per snapshot: a 100 KB
 * selection asked for a thousand times is escaped once.
 */
const rendered = new WeakMap<SelectionSnapshot, string>();

function render(snapshot: SelectionSnapshot): string {
  let json = rendered.get(snapshot);
  if (json === undefined) {
    json = JSON.stringify({ success: true, ...ideSelection(snapshot) });
    rendered.set(snapshot, json);
  }
  return json;
}

const NO_EDITOR = JSON.stringify({ success: false, message: "No active editor found" });
const NO_SELECTION = JSON.stringify({ success: false, message: "No selection available" });

/** getCurrentSelection: the active editor's selection (or cursor), from memory. */
export function getCurrentSelectionTool(state: EditorState): ToolDefinition {
  return {
    name: "getCurrentSelection",
    description: "Get the current text selection in the active editor",
    inputSchema: ideSchema({}),
    annotations: { readOnlyHint: true },
    handler() {
      const snapshot = state.selection();
      return textResult(snapshot ? render(snapshot) : NO_EDITOR);
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
      return textResult(snapshot ? render(snapshot) : NO_SELECTION);
    },
  };
}
