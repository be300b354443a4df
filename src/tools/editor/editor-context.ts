import { type EditorState, packContext } from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import { POSITION, RANGE } from "./selection-schemas.js";

/** editor_context: the editor's most relevant context, packed into the caller's token budget. */
export function editorContextTool(state: EditorState) {
  return defineTool({
    name: "editor_context",
    title: "Editor context",
    description:
      "Packs what the developer is looking at into a token budget you give, most relevant first: the selection, files and lines the user sent from the editor (mentions), the lines around the cursor, diagnostics (the active file's first, errors before warnings), then the open files. Parts that do not fit are shortened or cut and listed in `omitted`. Tokens are estimated at four characters each.",
    input: {
      type: "object",
      properties: {
        budgetTokens: {
          type: "integer",
          minimum: 100,
          maximum: 100_000,
          description: "Most tokens to spend",
        },
        linesAround: {
          type: "integer",
          minimum: 0,
          maximum: 500,
          description: "Lines above and below the cursor (default 20)",
        },
      },
      required: ["budgetTokens"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        activeFile: { type: ["string", "null"] },
        languageId: { type: ["string", "null"] },
        mode: { type: "string", description: "The editor's mode (Neovim: n, i, v, V, ...)" },
        cursor: { oneOf: [POSITION, { type: "null" }] },
        selection: {
          oneOf: [
            {
              type: "object",
              properties: { text: { type: "string" }, range: RANGE, truncated: { type: "boolean" } },
              required: ["text", "range", "truncated"],
              additionalProperties: false,
            },
            { type: "null" },
          ],
        },
        mentions: {
          type: "array",
          description: "Files and lines the user sent from the editor (:RuneSend), newest first",
          items: {
            type: "object",
            properties: {
              filePath: { type: "string" },
              startLine: { type: "integer", description: "1-based; absent for a whole file" },
              endLine: { type: "integer", description: "1-based, included" },
              text: { type: "string", description: "The lines, when the file is open in the editor" },
              truncated: { type: "boolean" },
            },
            required: ["filePath"],
            additionalProperties: false,
          },
        },
        around: {
          oneOf: [
            {
              type: "object",
              properties: {
                startLine: { type: "integer" },
                endLine: { type: "integer" },
                text: { type: "string" },
                truncated: { type: "boolean" },
              },
              required: ["startLine", "endLine", "text", "truncated"],
              additionalProperties: false,
            },
            { type: "null" },
          ],
        },
        diagnostics: {
          type: "array",
          items: {
            type: "object",
            properties: {
              filePath: { type: "string" },
              line: { type: "integer", description: "1-based" },
              character: { type: "integer", description: "1-based" },
              severity: { type: "string" },
              message: { type: "string" },
              source: { type: "string" },
            },
            required: ["filePath", "line", "character", "severity", "message"],
            additionalProperties: false,
          },
        },
        openFiles: {
          type: "array",
          items: {
            type: "object",
            properties: {
              filePath: { type: "string" },
              languageId: { type: "string" },
              isDirty: { type: "boolean" },
              isActive: { type: "boolean" },
            },
            required: ["filePath", "languageId", "isDirty", "isActive"],
            additionalProperties: false,
          },
        },
        omitted: { type: "array", items: { type: "string" } },
        tokens: {
          type: "object",
          properties: { budget: { type: "integer" }, used: { type: "integer" } },
          required: ["budget", "used"],
          additionalProperties: false,
        },
      },
      required: [
        "activeFile",
        "languageId",
        "mode",
        "cursor",
        "selection",
        "mentions",
        "around",
        "diagnostics",
        "openFiles",
        "omitted",
        "tokens",
      ],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    run: ({ budgetTokens, linesAround }) =>
      packContext(state, { budgetTokens, ...(linesAround !== undefined ? { linesAround } : {}) }),
  });
}
