import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { foundSymbols, KIND, symbolLines } from "./symbol-schemas.js";

/** workspace_symbols: fuzzy search over every symbol of the workspace. */
export function workspaceSymbolsTool(scopes: SessionScopes) {
  return defineTool({
    name: "workspace_symbols",
    title: "Workspace symbols",
    description:
      "Finds symbols across the workspace by a fuzzy query on their names, best first, like an editor's \"go to symbol in workspace\": the query's characters must appear in order; word starts and camelCase humps rank higher. The index is built on first use (in parallel; cached on disk, so later starts re-parse only changed files) and follows file changes. Honours .gitignore; files over 1 MiB are not indexed.",
    input: {
      type: "object",
      properties: {
        query: { type: "string", description: 'e.g. "getUsr" finds "getUserProfile"' },
        kind: { type: "array", items: KIND, description: "Only symbols of these kinds" },
        limit: { type: "integer", minimum: 1, maximum: 500, description: "Default 50" },
      },
      required: ["query"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        symbols: foundSymbols({ score: { type: "number" } } as const, ["score"] as const),
        indexed: {
          type: "object",
          properties: { files: { type: "integer" }, symbols: { type: "integer" } },
          required: ["files", "symbols"],
          additionalProperties: false,
        },
      },
      required: ["symbols", "indexed"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, context) {
      const scope = await scopes.of(context.session);
      const { symbols, indexed } = await scope.symbols.search({
        query: args.query,
        kinds: args.kind,
        limit: args.limit,
      });
      return { symbols, indexed: { files: indexed.files, symbols: indexed.symbols } };
    },
    text: (result) =>
      `${symbolLines(result.symbols)}\n(${result.symbols.length} shown; ${result.indexed.symbols} symbols in ${result.indexed.files} files)`,
  });
}
