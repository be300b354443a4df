import { printableName } from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { foundSymbols, KIND, symbolLines } from "./symbol-schemas.js";

/** find_symbol: definitions by name path, optionally with their source. */
export function findSymbolTool(scopes: SessionScopes) {
  return defineTool({
    name: "find_symbol",
    title: "Find symbol",
    description:
      'Finds definitions by name path: "Class/method" matches a method under any container ending in Class, "method" any symbol so named, "/Class" only a top-level one ("::" works as "/"). Exact case first, else case-insensitive. With includeBody, the source of the first 5 definitions (at most maxBodyLines lines each).',
    input: {
      type: "object",
      properties: {
        namePath: { type: "string", minLength: 1 },
        kind: { type: "array", items: KIND, description: "Only symbols of these kinds" },
        includeBody: { type: "boolean", description: "Default false" },
        maxBodyLines: { type: "integer", minimum: 1, maximum: 2_000, description: "Default 200" },
        limit: { type: "integer", minimum: 1, maximum: 200, description: "Default 20" },
      },
      required: ["namePath"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        symbols: foundSymbols({ body: { type: "string" }, bodyTruncated: { type: "boolean" } } as const, []),
      },
      required: ["symbols"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, context) {
      const scope = await scopes.of(context.session);
      return scope.symbols.find({
        namePath: args.namePath,
        kinds: args.kind,
        includeBody: args.includeBody,
        maxBodyLines: args.maxBodyLines,
        limit: args.limit,
      });
    },
    text: (result) => {
      if (result.symbols.length === 0) return "(no symbol at that name path)";
      const bodies = result.symbols.filter((s) => s.body !== undefined);
      return [
        symbolLines(result.symbols),
        ...bodies.map(
          (s) => `--- ${printableName(s.relative)}:${s.range.start.line} ${s.namePath}\n${s.body}`,
        ),
      ].join("\n");
    },
  });
}
