import { defineTool, WithText } from "../define-tool.js";
import { WALK_INPUT } from "../search/search.js";
import type { SessionScopes } from "../session-scopes.js";
import { RANGE } from "./analysis-schemas.js";

/** performance_profile: hotspots, functions both complex and often changed. */
export function performanceProfileTool(scopes: SessionScopes) {
  return defineTool({
    name: "performance_profile",
    title: "Hotspots",
    description:
      "Finds hotspots: functions that are both complex and in files that change often, where bugs and slow changes concentrate. Complexity is McCabe's cyclomatic complexity from tree-sitter syntax trees (1 + decision points: if/else if, loops, case, catch, &&, ||, ??, ternaries; nested functions counted separately); change frequency is the number of commits touching the file in `git log --numstat` over the newest maxCommits commits (default 1000), optionally only the last sinceDays days. score = complexity × (1 + ln(1 + commits)); without git every file has 0 commits and `churn.note` says so. Returns at most `limit` hotspots (default 20), best first, each with path, name (container/name path), range (1-based lines, 1-based UTF-16 columns), complexity, lines, commits and score.",
    input: {
      type: "object",
      properties: {
        paths: WALK_INPUT.paths,
        include: WALK_INPUT.include,
        exclude: WALK_INPUT.exclude,
        limit: { type: "integer", minimum: 1, maximum: 1000, description: "Default 20" },
        maxCommits: {
          type: "integer",
          minimum: 1,
          maximum: 100_000,
          description: "Commits of history read (default 1000)",
        },
        sinceDays: { type: "integer", minimum: 1, description: "Only commits of the last N days" },
        minComplexity: {
          type: "integer",
          minimum: 1,
          description: "Simpler functions are not ranked (default 2)",
        },
      },
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        hotspots: {
          type: "array",
          items: {
            type: "object",
            properties: {
              path: { type: "string" },
              name: { type: "string" },
              range: RANGE,
              complexity: { type: "integer" },
              lines: { type: "integer" },
              commits: { type: "integer" },
              score: { type: "number" },
            },
            required: ["path", "name", "range", "complexity", "lines", "commits", "score"],
            additionalProperties: false,
          },
        },
        scoring: { type: "string" },
        churn: {
          type: "object",
          properties: {
            available: { type: "boolean" },
            note: { type: "string" },
            commitsRead: { type: "integer" },
            maxCommits: { type: "integer" },
            sinceDays: { type: "integer" },
          },
          required: ["available", "commitsRead", "maxCommits"],
          additionalProperties: false,
        },
        stats: {
          type: "object",
          properties: {
            filesParsed: { type: "integer" },
            functions: { type: "integer" },
            elapsedMs: { type: "integer" },
          },
          required: ["filesParsed", "functions", "elapsedMs"],
          additionalProperties: false,
        },
        partial: { type: "boolean" },
        reason: { type: "string", enum: ["limit", "timeout", "cancelled"] },
      },
      required: ["hotspots", "scoring", "churn", "stats", "partial"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(request, context) {
      const scope = await scopes.of(context.session);
      const result = await scope.hotspots.profile({
        ...request,
        signal: context.signal,
        onProgress: (files) => context.progress(files, undefined, `${files} files measured`),
      });
      const lines = result.hotspots.map(
        (h) =>
          `${scope.files.display(h.path)}:${h.range.start.line}: ${h.name} score ${h.score} (complexity ${h.complexity}, ${h.lines} lines, ${h.commits} commits)`,
      );
      lines.push(
        result.churn.note ? `churn: ${result.churn.note}` : `churn: ${result.churn.commitsRead} commits read`,
      );
      return new WithText(result, [lines.join("\n")]);
    },
  });
}
