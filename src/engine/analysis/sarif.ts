import { pathToFileURL } from "node:url";
import { SECURITY_RULES } from "./security-rules.js";
import type { Finding } from "./security-task.js";

/**
 * Findings as a SARIF 2.1.0 log, the format code-scanning services and editors read. Locations
 * are relative to the workspace root (given as the run's original URI base); columns are UTF-16,
 * which the run declares.
 */
export function toSarif(findings: readonly Finding[], root: string, version: string): object {
  const used = new Set(findings.map((f) => f.ruleId));
  const rules = [
    ...SECURITY_RULES,
    {
      id: "secret/dotenv-file",
      name: "Dotenv file",
      message: "A dotenv file with values is in the workspace",
      help: "Keep .env files out of version control; commit a .env.example instead.",
      severity: "error",
    },
  ].filter((r) => used.has(r.id));
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "rune",
            version,
            informationUri: "https://modelcontextprotocol.io",
            rules: rules.map((r) => ({
              id: r.id,
              name: r.name.replace(/[^A-Za-z0-9]+/g, ""),
              shortDescription: { text: r.name },
              fullDescription: { text: r.message },
              help: { text: r.help },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        originalUriBaseIds: { WORKSPACE: { uri: `${pathToFileURL(root).href}/` } },
        results: findings.map((f) => ({
          ruleId: f.ruleId,
          level: f.severity,
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: relativeUri(root, f.path), uriBaseId: "WORKSPACE" },
                region: {
                  startLine: f.line,
                  startColumn: f.column,
                  endLine: f.endLine,
                  endColumn: f.endColumn,
                  snippet: { text: f.snippet },
                },
              },
            },
          ],
        })),
      },
    ],
  };
}

function relativeUri(root: string, path: string): string {
  const rel = path.startsWith(`${root}/`) ? path.slice(root.length + 1) : path;
  return rel.split("/").map(encodeURIComponent).join("/");
}
