import {
  type EditorState,
  EngineError,
  type SelectionTransform,
  transformSelections,
} from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import { RANGE } from "./selection-schemas.js";

/** transform_selection: the edits a transform of the current selections would make. */
export function transformSelectionTool(state: EditorState) {
  return defineTool({
    name: "transform_selection",
    title: "Transform selection",
    description:
      "Computes the edits that transform every cursor's selection in a document (the active one by default): upper, lower or title case, sort or unique lines, indent, dedent, toggle-comment (by the document's language), trim trailing whitespace, or regex-replace. Nothing is changed: the edits (LSP ranges against the document's current version) are returned for the editor or edit tools to apply. Line transforms cover the whole lines each selection touches.",
    input: {
      type: "object",
      properties: {
        transform: {
          type: "string",
          enum: [
            "upper",
            "lower",
            "title",
            "sort",
            "unique",
            "indent",
            "dedent",
            "toggle-comment",
            "trim",
            "regex-replace",
          ],
        },
        filePath: { type: "string", description: "A document open in the editor (default: the active one)" },
        descending: { type: "boolean", description: "sort: largest first" },
        numeric: { type: "boolean", description: "sort: compare runs of digits as numbers" },
        caseInsensitive: { type: "boolean", description: "sort: ignore case" },
        unit: {
          type: "string",
          maxLength: 16,
          description: "indent/dedent: the indentation unit (default two spaces)",
        },
        pattern: {
          type: "string",
          maxLength: 10_000,
          description: "regex-replace: a JavaScript regular expression",
        },
        flags: { type: "string", pattern: "^[gimsuy]*$", description: "regex-replace: flags (default g)" },
        replacement: { type: "string", description: "regex-replace: replacement ($1 for groups)" },
      },
      required: ["transform"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        filePath: { type: "string" },
        documentVersion: { type: "integer", description: "The version the edits apply to" },
        edits: {
          type: "array",
          items: {
            type: "object",
            properties: { range: RANGE, newText: { type: "string" } },
            required: ["range", "newText"],
            additionalProperties: false,
          },
        },
      },
      required: ["filePath", "documentVersion", "edits"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run(args) {
      const document = args.filePath === undefined ? state.activeDocument : state.documentAt(args.filePath);
      if (!document) {
        throw new EngineError(
          "NOT_FOUND",
          args.filePath === undefined
            ? "no document is active in the editor"
            : `${args.filePath} is not open in the editor`,
        );
      }
      const snapshot = state.selection(document.uri);
      if (!snapshot)
        throw new EngineError("INVALID_ARGUMENT", `no cursor is known in ${document.path ?? document.uri}`);
      const edits = transformSelections(document, snapshot.selections, toTransform(args));
      return {
        filePath: document.path ?? document.uri,
        documentVersion: document.version,
        edits: edits.map((e) => ({ range: e.range, newText: e.text })),
      };
    },
  });
}

function toTransform(args: {
  transform: string;
  descending?: boolean;
  numeric?: boolean;
  caseInsensitive?: boolean;
  unit?: string;
  pattern?: string;
  flags?: string;
  replacement?: string;
}): SelectionTransform {
  switch (args.transform) {
    case "sort":
      return {
        kind: "sort",
        descending: args.descending,
        numeric: args.numeric,
        caseInsensitive: args.caseInsensitive,
      };
    case "indent":
    case "dedent":
      return { kind: args.transform, unit: args.unit };
    case "regex-replace":
      if (args.pattern === undefined || args.replacement === undefined) {
        throw new EngineError("INVALID_ARGUMENT", "regex-replace needs both pattern and replacement");
      }
      return {
        kind: "regex-replace",
        pattern: args.pattern,
        flags: args.flags,
        replacement: args.replacement,
      };
    default:
      return { kind: args.transform as "upper" | "lower" | "title" | "trim" | "unique" | "toggle-comment" };
  }
}
