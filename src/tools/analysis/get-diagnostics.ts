import { defineTool, WithText } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { diagnosticLine, RANGE, SEVERITY } from "./analysis-schemas.js";

/** get_diagnostics: the editor's diagnostics and Rune's own, merged, each with its freshness. */
export function getDiagnosticsTool(scopes: SessionScopes) {
  return defineTool({
    name: "get_diagnostics",
    title: "Diagnostics",
    description:
      "Merges the diagnostics the editor reports (LSP, linters, via Neovim or the IDE bridge) with Rune's own: tree-sitter syntax errors (computed on demand from the kept, incrementally re-parsed tree) and the last lint_analysis results (re-run for a file whose content changed since). Filter by `paths` (paths or file:// URIs; default: every file with diagnostics or open in the editor), `minSeverity` and `sources`. Each file lists its diagnostics (range: 1-based lines, 1-based UTF-16 columns, end exclusive; severity; message; source: editor, syntax, rune-lint, eslint, tsc, ruff) most severe first, and each source's freshness: editor {updatedAt, ageMs, documentVersion}, syntax {computedFor: content hash, stale}, lint {computedFor, computedAt, stale, recomputed}. At most maxResults diagnostics over all files; `truncated` says when more exist.",
    input: {
      type: "object",
      properties: {
        paths: {
          type: "array",
          items: { type: "string" },
          maxItems: 500,
          description: "Files: paths or file:// URIs",
        },
        minSeverity: SEVERITY,
        sources: {
          type: "array",
          items: { type: "string", enum: ["editor", "syntax", "lint"] },
          uniqueItems: true,
        },
        maxResults: { type: "integer", minimum: 1, maximum: 10_000, description: "Default 500" },
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
              uri: { type: "string" },
              diagnostics: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    range: RANGE,
                    severity: SEVERITY,
                    message: { type: "string" },
                    source: { type: "string" },
                    origin: {
                      type: "string",
                      description: "The editor's own source (eslint, ts, pyright, ...)",
                    },
                    ruleId: { type: "string" },
                  },
                  required: ["range", "severity", "message", "source"],
                  additionalProperties: false,
                },
              },
              freshness: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    source: { type: "string", enum: ["editor", "syntax", "lint"] },
                    updatedAt: { type: "string" },
                    ageMs: { type: "integer" },
                    documentVersion: { type: "integer" },
                    open: { type: "boolean" },
                    computedFor: { type: "string" },
                    computedAt: { type: "string" },
                    stale: { type: "boolean" },
                    recomputed: { type: "boolean" },
                    parse: { type: "string" },
                    note: { type: "string" },
                  },
                  required: ["source"],
                  additionalProperties: false,
                },
              },
            },
            required: ["uri", "diagnostics", "freshness"],
            additionalProperties: false,
          },
        },
        total: { type: "integer" },
        returned: { type: "integer" },
        truncated: { type: "boolean" },
      },
      required: ["files", "total", "returned", "truncated"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, openWorldHint: false },
    async run(request, context) {
      const scope = await scopes.of(context.session);
      const result = await scope.diagnostics.get(request);
      const lines: string[] = [];
      for (const file of result.files) {
        const name = file.path ? scope.files.display(file.path) : file.uri;
        for (const d of file.diagnostics)
          lines.push(`${diagnosticLine(name, d)} (${d.source}${d.origin ? `/${d.origin}` : ""})`);
      }
      lines.push(
        `${result.returned} of ${result.total} diagnostics${result.truncated ? " (truncated)" : ""}`,
      );
      return new WithText(result, [lines.join("\n")]);
    },
  });
}
