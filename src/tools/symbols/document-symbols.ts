import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { SYMBOL_PROPERTIES } from "./symbol-schemas.js";

/** document_symbols: the outline of one file. */
export function documentSymbolsTool(scopes: SessionScopes) {
  return defineTool({
    name: "document_symbols",
    title: "Document symbols",
    description:
      "Lists the symbols defined in one file (classes, functions, methods, fields, types, top-level variables...) in document order, each with its kind, container path and range (1-based lines and UTF-16 columns), parsed now with tree-sitter. Languages: TypeScript, TSX, JavaScript, Python, Go, Rust, Java, C, C++, C#, Ruby.",
    input: {
      type: "object",
      properties: {
        path: { type: "string", description: "File path, absolute or relative to the first root" },
      },
      required: ["path"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        path: { type: "string" },
        language: { type: "string" },
        symbols: {
          type: "array",
          items: {
            type: "object",
            properties: SYMBOL_PROPERTIES,
            required: ["name", "kind", "container", "range", "selectionRange"],
            additionalProperties: false,
          },
        },
      },
      required: ["path", "language", "symbols"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, context) {
      return (await scopes.of(context.session)).symbols.documentSymbols(args.path);
    },
    text: (result) =>
      result.symbols
        .map((s) => `${s.range.start.line} ${s.kind} ${s.container ? `${s.container}/` : ""}${s.name}`)
        .join("\n") || "(no symbols)",
  });
}
