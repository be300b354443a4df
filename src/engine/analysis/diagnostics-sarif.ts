import { pathToFileURL } from "node:url";
import type { CodeDiagnostic, Severity } from "./code-diagnostic.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = {
  error: "error",
  warning: "warning",
  information: "note",
  hint: "note",
};

/**
 * Diagnostics (lint rules, external linters) as a SARIF 2.1.0 log: one run per source (`rune-lint`,
 * `eslint`, `tsc`, `ruff`), locations relative to the workspace root, UTF-16 columns as the run
 * declares. Rules are listed by id as they occur.
 */
export function diagnosticsToSarif(
  diagnostics: readonly CodeDiagnostic[],
  root: string,
  version: string,
): object {
  const bySource = new Map<string, CodeDiagnostic[]>();
  for (const d of diagnostics) {
    const list = bySource.get(d.source) ?? [];
    list.push(d);
    bySource.set(d.source, list);
  }
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [...bySource].map(([source, list]) => ({
      tool: {
        driver: {
          name: source,
          ...(source === "rune-lint" ? { version } : {}),
          rules: [...new Set(list.map((d) => d.ruleId))].map((id) => ({ id })),
        },
      },
      columnKind: "utf16CodeUnits",
      originalUriBaseIds: { WORKSPACE: { uri: `${pathToFileURL(root).href}/` } },
      results: list.map((d) => ({
        ruleId: d.ruleId,
        level: LEVEL[d.severity],
        message: { text: d.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: relativeUri(root, d.path), uriBaseId: "WORKSPACE" },
              region: {
                startLine: d.range.start.line,
                startColumn: d.range.start.column,
                endLine: d.range.end.line,
                endColumn: d.range.end.column,
              },
            },
          },
        ],
      })),
    })),
  };
}

function relativeUri(root: string, path: string): string {
  const rel = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  return rel.split("/").map(encodeURIComponent).join("/");
}
