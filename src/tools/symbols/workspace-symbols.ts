import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { foundSymbols, KIND, symbolLines } from "./symbol-schemas.js";

/** workspace_symbols: fuzzy search over every symbol of the workspace. */
export function workspaceSymbolsTool(scopes: SessionScopes) {
  return defineTool({
    name: "workspace_symbols",
    title: "Workspace symbols",
    description:
      'Finds symbols across the workspace by a fuzzy query on their names, best first, like an editor\'s "go to symbol in workspace": the query\'s characters must appear in order (words separated by spaces each match on their own, in any order; a query with "/" is matched against name paths, so "parser/pars" finds Parser\'s parse method); word starts and camelCase humps rank higher. The index is built on first use (in parallel; cached on disk, so later starts re-parse only changed files) and follows file changes. Honours .gitignore; files over 1 MiB, binary files and minified files (average line over 400 bytes) are not indexed, and are counted in indexed.skipped.',
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
          properties: {
            files: { type: "integer" },
            symbols: { type: "integer" },
            skipped: {
              type: "object",
              description:
                "Files of an indexed language left out: over 1 MiB, binary (a NUL byte near the start), minified (average line over 400 bytes)",
              properties: {
                large: { type: "integer" },
                binary: { type: "integer" },
                minified: { type: "integer" },
              },
              required: ["large", "binary", "minified"],
              additionalProperties: false,
            },
          },
          required: ["files", "symbols", "skipped"],
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
      return { symbols, indexed };
    },
    text: (result) => {
      const { files, symbols, skipped } = result.indexed;
      const left = Object.entries(skipped)
        .filter(([, n]) => n > 0)
        .map(([reason, n]) => `${n} ${reason}`);
      return `${symbolLines(result.symbols)}\n(${result.symbols.length} shown; ${symbols} symbols in ${files} files${left.length > 0 ? `; files left out: ${left.join(", ")}` : ""})`;
    },
  });
}
