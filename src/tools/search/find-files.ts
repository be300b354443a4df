import { printableName } from "../../engine/index.js";
import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { WALK_INPUT } from "./search.js";

/** find_files: fuzzy file finding, like an editor's "go to file". */
export function findFilesTool(scopes: SessionScopes) {
  return defineTool({
    name: "find_files",
    title: "Find files",
    description:
      'Finds files by a fuzzy query on their path, best match first, like an editor\'s "go to file": the query\'s characters must appear in order (words separated by spaces each match on their own, in any order: "walker test" finds "test/walker.test.ts"); matches at word starts, after separators, on camelCase humps and in the file name rank higher. An empty query lists the files the globs select. Honours .gitignore.',
    input: {
      type: "object",
      properties: {
        query: {
          type: "string",
          maxLength: 1_000,
          description:
            'e.g. "srvcfg" finds "src/server/config.ts"; an upper-case letter makes the match case-sensitive, unless nothing then matches',
        },
        ...WALK_INPUT,
        limit: { type: "integer", minimum: 1, maximum: 1_000, description: "Default 50" },
      },
      required: ["query"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        files: {
          type: "array",
          items: {
            type: "object",
            properties: {
              path: { type: "string" },
              relative: { type: "string" },
              score: { type: "number" },
              positions: { type: "array", items: { type: "integer" } },
            },
            required: ["path", "relative", "score", "positions"],
            additionalProperties: false,
          },
        },
        scanned: { type: "integer" },
        partial: { type: "boolean" },
      },
      required: ["files", "scanned", "partial"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, context) {
      return (await scopes.of(context.session)).search.findFiles({ ...args, signal: context.signal });
    },
    text: (result) => {
      // Two roots may hold the same relative path: those are shown whole, so each line names one file.
      const seen = new Map<string, number>();
      for (const f of result.files) seen.set(f.relative, (seen.get(f.relative) ?? 0) + 1);
      const lines = result.files.map((f) =>
        printableName((seen.get(f.relative) ?? 0) > 1 ? f.path : f.relative),
      );
      return `${lines.join("\n")}\n(${result.files.length} of ${result.scanned} files${result.partial ? ", partial" : ""})`;
    },
  });
}
