import { diagnosticsToSarif } from "../../engine/index.js";
import { defineTool, WithText } from "../define-tool.js";
import { WALK_INPUT } from "../search/search.js";
import type { SessionScopes } from "../session-scopes.js";
import { CODE_DIAGNOSTIC, diagnosticLine, SEVERITY } from "./analysis-schemas.js";

const RULES = [
  "function-length",
  "nesting-depth",
  "parameter-count",
  "unreachable-code",
  "empty-catch",
  "duplicate-import",
  "todo-comment",
] as const;

/** lint_analysis: built-in structural rules over syntax trees, plus eslint, tsc and ruff on request. */
export function lintAnalysisTool(scopes: SessionScopes, version: string) {
  return defineTool({
    name: "lint_analysis",
    title: "Lint analysis",
    description:
      "Lints the workspace (or `paths`) with built-in rules over tree-sitter syntax trees: function-length (lines), nesting-depth, parameter-count, unreachable-code (after return/throw/break/continue in the same block), empty-catch, duplicate-import (the same module imported twice in a file) for TypeScript, JavaScript, Python and Go (and, where the grammar allows, Java, C#, Rust, C/C++, Ruby), and a TODO/FIXME/XXX/HACK inventory from comments in every language. Thresholds come from `thresholds`, else `.rune/lint.json` ({thresholds, disable, ignorePaths}), else defaults (80 lines, depth 4, 5 parameters). `external` also runs eslint (--format json), tsc (--noEmit) or ruff (check --output-format json) if installed in the project's node_modules/.bin or on PATH, only when the server was started with --allow-exec (they are the project's own executables and configs; otherwise each is reported as refused); a missing linter is noted in `external`, not an error; .rune/lint.json may name them in `external` too. Diagnostics have path, range (1-based lines, 1-based UTF-16 columns, end exclusive), severity, ruleId, message and source, most severe first, at most maxDiagnostics (`truncated` says when more were found). Binary files, files over 1 MiB and minified files are skipped (counted in stats). Sends progress as files are linted. format: sarif adds a SARIF 2.1.0 log (one run per source).",
    input: {
      type: "object",
      properties: {
        paths: {
          ...WALK_INPUT.paths,
          description: "Folders or files to lint (default: every workspace root)",
        },
        include: WALK_INPUT.include,
        exclude: WALK_INPUT.exclude,
        rules: {
          type: "array",
          items: { type: "string", enum: RULES },
          description: "Built-in rules to run (default: all)",
        },
        thresholds: {
          type: "object",
          properties: {
            functionLines: { type: "integer", minimum: 1 },
            nestingDepth: { type: "integer", minimum: 1 },
            parameters: { type: "integer", minimum: 0 },
          },
          additionalProperties: false,
        },
        external: {
          type: "array",
          items: { type: "string", enum: ["eslint", "tsc", "ruff"] },
          uniqueItems: true,
        },
        minSeverity: SEVERITY,
        maxDiagnostics: { type: "integer", minimum: 1, maximum: 10_000, description: "Default 500" },
        format: { type: "string", enum: ["diagnostics", "sarif"], description: "Default diagnostics" },
      },
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        diagnostics: { type: "array", items: CODE_DIAGNOSTIC },
        total: { type: "integer" },
        truncated: { type: "boolean" },
        counts: {
          type: "object",
          additionalProperties: { type: "integer" },
          description: "Diagnostics found per rule",
        },
        external: {
          type: "array",
          items: {
            type: "object",
            properties: {
              linter: { type: "string" },
              status: { type: "string", enum: ["ran", "missing", "timeout", "failed", "refused"] },
              note: { type: "string" },
              command: { type: "string" },
              elapsedMs: { type: "integer" },
            },
            required: ["linter", "status", "elapsedMs"],
            additionalProperties: false,
          },
        },
        settings: {
          type: "object",
          properties: {
            rules: { type: "array", items: { type: "string" } },
            thresholds: {
              type: "object",
              properties: {
                functionLines: { type: "integer" },
                nestingDepth: { type: "integer" },
                parameters: { type: "integer" },
              },
              required: ["functionLines", "nestingDepth", "parameters"],
              additionalProperties: false,
            },
          },
          required: ["rules", "thresholds"],
          additionalProperties: false,
        },
        partial: { type: "boolean" },
        reason: { type: "string", enum: ["timeout", "cancelled"] },
        sarif: {
          type: "object",
          description: "The SARIF 2.1.0 log (one run per source), when format is sarif",
        },
        stats: {
          type: "object",
          properties: {
            files: { type: "integer" },
            parsed: { type: "integer" },
            bytes: { type: "integer" },
            skippedBinary: { type: "integer" },
            skippedLarge: { type: "integer" },
            skippedMinified: { type: "integer" },
            elapsedMs: { type: "integer" },
          },
          required: [
            "files",
            "parsed",
            "bytes",
            "skippedBinary",
            "skippedLarge",
            "skippedMinified",
            "elapsedMs",
          ],
          additionalProperties: false,
        },
      },
      required: ["diagnostics", "total", "truncated", "counts", "external", "settings", "partial", "stats"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ format, ...request }, context) {
      const scope = await scopes.of(context.session);
      const result = await scope.lint.lint({
        ...request,
        signal: context.signal,
        onProgress: (files) => context.progress(files, undefined, `${files} files linted`),
      });
      if (format === "sarif") {
        const root = scope.files.sandbox.roots.list()[0]?.path ?? "/";
        const sarif = diagnosticsToSarif(result.diagnostics, root, version) as Record<string, unknown>;
        return new WithText({ ...result, sarif }, [JSON.stringify(sarif)]);
      }
      const lines = result.diagnostics.map((d) => diagnosticLine(scope.files.display(d.path), d));
      for (const run of result.external)
        if (run.status !== "ran") lines.push(`${run.linter}: ${run.status}: ${run.note}`);
      lines.push(
        `${result.total} diagnostic${result.total === 1 ? "" : "s"} in ${result.stats.files} files${result.truncated ? ` (first ${result.diagnostics.length} shown)` : ""}${result.partial ? ` (partial: ${result.reason})` : ""}`,
      );
      return new WithText(result, [lines.join("\n")]);
    },
  });
}
