import type { EditorState } from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import { boundedSelection, DEFAULT_MAX_CHARS, SELECTED_OUTPUT } from "./selection-schemas.js";

/** selection_history: the latest non-empty selections, newest first. */
export function selectionHistoryTool(state: EditorState) {
  return defineTool({
    name: "selection_history",
    title: "Selection history",
    description:
      "Lists the developer's most recent non-empty selections in the editor, newest first (each with file, text, range and every cursor), optionally for one file. Text is cut to maxChars per selection.",
    input: {
      type: "object",
      properties: {
        limit: { type: "integer", minimum: 1, maximum: 50, description: "Entries to return (default 10)" },
        filePath: { type: "string", description: "Only selections in this file" },
        maxChars: {
          type: "integer",
          minimum: 1,
          maximum: 200_000,
          description: "Bound on each entry's text",
        },
      },
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        entries: {
          type: "array",
          items: {
            type: "object",
            properties: {
              filePath: { type: "string" },
              primary: SELECTED_OUTPUT,
              cursors: { type: "integer", description: "How many cursors the selection had" },
              documentVersion: { type: "integer" },
              stateVersion: { type: "integer" },
              at: { type: "string", description: "When it was made (ISO 8601)" },
            },
            required: ["filePath", "primary", "cursors", "documentVersion", "stateVersion", "at"],
            additionalProperties: false,
          },
        },
        stateVersion: { type: "integer", description: "The editor state's version now" },
      },
      required: ["entries", "stateVersion"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run({ limit, filePath, maxChars }) {
      const uri = filePath === undefined ? undefined : (state.documentAt(filePath)?.uri ?? filePath);
      const entries = state.history.list(limit ?? 10, uri).map((s) => ({
        filePath: s.path ?? s.uri,
        primary: boundedSelection(s.primary, maxChars ?? DEFAULT_MAX_CHARS),
        cursors: s.selections.length,
        documentVersion: s.documentVersion,
        stateVersion: s.stateVersion,
        at: new Date(s.at).toISOString(),
      }));
      return { entries, stateVersion: state.version };
    },
  });
}
