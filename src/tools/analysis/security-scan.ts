import { toSarif } from "../../engine/index.js";
import { defineTool, WithText } from "../define-tool.js";
import { WALK_INPUT } from "../search/search.js";
import type { SessionScopes } from "../session-scopes.js";

/** security_scan: secrets and dangerous sinks, as findings or SARIF. */
export function securityScanTool(scopes: SessionScopes, version: string) {
  return defineTool({
    name: "security_scan",
    title: "Security scan",
    description:
      "Scans the workspace for committed secrets (AWS, GitHub, GitLab, Slack, Stripe, Google, OpenAI/Anthropic and npm tokens, private keys, JWTs, high-entropy assignments to password/secret/token names, dotenv files not ignored by git) and dangerous sinks (eval/new Function, shell commands and SQL built from strings, unsafe deserialization, MD5/SHA-1). Findings have path, 1-based line and UTF-16 column ranges, severity (error, warning, note) and a snippet with secrets masked. Suppress a line with a `rune-ignore` or `rune-ignore[rule/id]` comment, or in .rune/security.json. format: sarif returns a SARIF 2.1.0 log.",
    input: {
      type: "object",
      properties: {
        paths: WALK_INPUT.paths,
        include: WALK_INPUT.include,
        exclude: WALK_INPUT.exclude,
        rules: {
          type: "array",
          items: { type: "string" },
          description: 'Rule ids or prefixes to run, e.g. ["secret/"] (default: all)',
        },
        minSeverity: { type: "string", enum: ["error", "warning", "note"] },
        maxFindings: { type: "integer", minimum: 1, maximum: 10_000, description: "Default 500" },
        format: { type: "string", enum: ["findings", "sarif"], description: "Default findings" },
      },
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        findings: {
          type: "array",
          items: {
            type: "object",
            properties: {
              ruleId: { type: "string" },
              severity: { type: "string", enum: ["error", "warning", "note"] },
              path: { type: "string" },
              line: { type: "integer" },
              column: { type: "integer" },
              endLine: { type: "integer" },
              endColumn: { type: "integer" },
              message: { type: "string" },
              snippet: { type: "string" },
            },
            required: [
              "ruleId",
              "severity",
              "path",
              "line",
              "column",
              "endLine",
              "endColumn",
              "message",
              "snippet",
            ],
            additionalProperties: false,
          },
        },
        partial: { type: "boolean" },
        reason: { type: "string", enum: ["limit", "timeout", "cancelled"] },
        suppressedByConfig: { type: "integer" },
        stats: {
          type: "object",
          properties: {
            scanned: { type: "integer" },
            bytes: { type: "integer" },
            skippedBinary: { type: "integer" },
            skippedLarge: { type: "integer" },
            elapsedMs: { type: "integer" },
          },
          required: ["scanned", "bytes", "skippedBinary", "skippedLarge", "elapsedMs"],
          additionalProperties: false,
        },
        sarif: { type: "object", description: "The SARIF 2.1.0 log, when format is sarif" },
      },
      required: ["findings", "partial", "suppressedByConfig", "stats"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ format, ...request }, context) {
      const scope = await scopes.of(context.session);
      const result = await scope.security.scan({
        ...request,
        signal: context.signal,
        onProgress: (scanned) => context.progress(scanned, undefined, `${scanned} files scanned`),
      });
      if (format === "sarif") {
        const root = scope.files.sandbox.roots.list()[0]?.path ?? "/";
        const sarif = toSarif(result.findings, root, version) as Record<string, unknown>;
        return new WithText({ ...result, sarif }, [JSON.stringify(sarif)]);
      }
      const lines = result.findings.map(
        (f) =>
          `${scope.files.display(f.path)}:${f.line}:${f.column}: ${f.severity} [${f.ruleId}] ${f.message}\n    ${f.snippet.trim()}`,
      );
      const summary = `${result.findings.length} finding${result.findings.length === 1 ? "" : "s"} in ${result.stats.scanned} files${result.partial ? ` (partial: ${result.reason})` : ""}`;
      return new WithText(result, [[...lines, summary].join("\n")]);
    },
  });
}
