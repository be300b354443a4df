import { defineTool, WithText } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";

const WALK_INPUT = {
  paths: {
    type: "array",
    items: { type: "string" },
    maxItems: 100,
    description: "Folders or files to search (default: every workspace root)",
  },
  include: {
    type: "array",
    items: { type: "string", maxLength: 1_000 },
    maxItems: 100,
    description:
      'Globs of files to include, e.g. "*.ts" or "src/**/*.py": one without "/" matches names at any depth, "!*.d.ts" leaves files out, "!vendor/" a folder',
  },
  exclude: {
    type: "array",
    items: { type: "string", maxLength: 1_000 },
    maxItems: 100,
    description: 'Globs of files or folders to leave out ("gen/": folders only)',
  },
  hidden: { type: "boolean", description: "Include dot-files and dot-folders" },
  noIgnore: { type: "boolean", description: "Do not honour .gitignore and .ignore files" },
} as const;

export { WALK_INPUT };

/** search: literal, multi-literal and regex search over the workspace, ripgrep-style. */
export function searchTool(scopes: SessionScopes) {
  return defineTool({
    name: "search",
    title: "Search",
    description:
      "Searches file contents in the workspace, honouring .gitignore and skipping binary and huge files. `pattern` is a literal by default; set regex for a JavaScript regular expression (with the u flag where valid, so \\p{Lu} works; matched within one line, as in ripgrep: ^ and $ at its ends, CR of CRLF left out), or give `patterns` to find lines containing any of several literals. Case is ignored unless the pattern has an upper-case letter (override with ignoreCase). Results are grouped by file, with 1-based line and column (UTF-16); maxResults caps matching lines across all files; context lines are shown once (a match's context stops at the next match); a result cut by the cap, the time limit, a cancellation or its size (2 million characters of text) says partial, with the reason.",
    input: {
      type: "object",
      properties: {
        pattern: {
          type: "string",
          minLength: 1,
          description: "Literal text or, with regex, a regular expression",
        },
        patterns: {
          type: "array",
          items: { type: "string", minLength: 1 },
          minItems: 1,
          maxItems: 1_000,
          description: "Several literals: a line matches if it contains any",
        },
        regex: { type: "boolean" },
        ignoreCase: { type: "boolean" },
        ...WALK_INPUT,
        contextLines: { type: "integer", minimum: 0, maximum: 20 },
        maxResults: {
          type: "integer",
          minimum: 1,
          maximum: 10_000,
          description: "Matching lines (default 200)",
        },
        timeoutMs: { type: "integer", minimum: 100, maximum: 120_000, description: "Default 10,000" },
      },
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
              matches: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    line: { type: "integer" },
                    column: { type: "integer" },
                    text: { type: "string" },
                    before: { type: "array", items: { type: "string" } },
                    after: { type: "array", items: { type: "string" } },
                  },
                  required: ["line", "column", "text"],
                  additionalProperties: false,
                },
              },
            },
            required: ["path", "matches"],
            additionalProperties: false,
          },
        },
        matches: { type: "integer" },
        partial: { type: "boolean" },
        reason: { type: "string", enum: ["limit", "timeout", "cancelled", "size"] },
        stats: {
          type: "object",
          properties: {
            searched: { type: "integer" },
            bytes: { type: "integer" },
            skippedBinary: { type: "integer" },
            skippedLarge: { type: "integer" },
            elapsedMs: { type: "integer" },
          },
          required: ["searched", "bytes", "skippedBinary", "skippedLarge", "elapsedMs"],
          additionalProperties: false,
        },
      },
      required: ["files", "matches", "partial", "stats"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args, context) {
      const { pattern, patterns, contextLines, ignoreCase, ...rest } = args;
      const scope = await scopes.of(context.session);
      const result = await scope.search.search({
        ...rest,
        patterns: [...(pattern !== undefined ? [pattern] : []), ...(patterns ?? [])],
        ignoreCase: ignoreCase ?? "smart",
        context: contextLines,
        signal: context.signal,
        onProgress: (searched) => context.progress(searched, undefined, `${searched} files searched`),
      });
      const lines: string[] = [];
      for (const file of result.files) {
        const name = scope.files.display(file.path);
        for (const m of file.matches) lines.push(`${name}:${m.line}:${m.column}:${m.text}`);
      }
      const summary = `${result.matches} matching line${result.matches === 1 ? "" : "s"} in ${result.files.length} file${result.files.length === 1 ? "" : "s"} (${result.stats.searched} searched${result.partial ? `; partial: ${result.reason}` : ""})`;
      return new WithText(result, [[...lines, summary].join("\n")]);
    },
  });
}
