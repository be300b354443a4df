import { type EditorState, EngineError, type Selection } from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import {
  boundedSelection,
  DEFAULT_MAX_CHARS,
  SELECTED_OUTPUT,
  SELECTION_INPUT,
} from "./selection-schemas.js";

/** set_selections: replaces the cursors of one or more open documents in one batch. */
export function setSelectionsTool(state: EditorState) {
  return defineTool({
    name: "set_selections",
    title: "Set selections",
    description:
      "Sets the cursors (multi-cursor) of one or more documents open in the editor, as one batch: every file is checked first, so a bad entry changes nothing. Returns what each cursor now selects. Positions are 0-based lines and UTF-16 characters. With an editor attached, the last document's primary cursor is shown there too (Neovim has one cursor).",
    input: {
      type: "object",
      properties: {
        updates: {
          type: "array",
          minItems: 1,
          maxItems: 100,
          items: {
            type: "object",
            properties: {
              filePath: { type: "string", description: "A document open in the editor" },
              selections: { type: "array", minItems: 1, maxItems: 1000, items: SELECTION_INPUT },
            },
            required: ["filePath", "selections"],
            additionalProperties: false,
          },
        },
        maxChars: {
          type: "integer",
          minimum: 0,
          maximum: 200_000,
          description: "Bound on each cursor's returned text",
        },
      },
      required: ["updates"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        documents: {
          type: "array",
          items: {
            type: "object",
            properties: {
              filePath: { type: "string" },
              selections: { type: "array", items: SELECTED_OUTPUT },
            },
            required: ["filePath", "selections"],
            additionalProperties: false,
          },
        },
        stateVersion: { type: "integer" },
      },
      required: ["documents", "stateVersion"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: true, openWorldHint: false },
    async run({ updates, maxChars }) {
      const resolved = updates.map((u) => {
        const document = state.documentAt(u.filePath);
        if (!document) throw new EngineError("NOT_FOUND", `${u.filePath} is not open in the editor`);
        return { uri: document.uri, selections: u.selections as Selection[] };
      });
      const snapshots = state.setSelectionsBatch(resolved);
      // The editor then reports the selection back, which agrees with what was set.
      const shown = snapshots.at(-1);
      if (shown?.path !== undefined && state.host?.select) {
        await state.host.select({ path: shown.path, selection: shown.selections[0] as Selection });
      }
      return {
        documents: snapshots.map((s) => ({
          filePath: s.path ?? s.uri,
          selections: s.all.map((sel) => boundedSelection(sel, maxChars ?? DEFAULT_MAX_CHARS)),
        })),
        stateVersion: state.version,
      };
    },
  });
}
