import type { Range } from "./text-lines.js";

/** Severities in LSP's order (1 = error), named as Claude Code's IDE tools name them. */
export type DiagnosticSeverity = "Error" | "Warning" | "Information" | "Hint";

/** One problem an editor reports in a document (from LSP, linters, Neovim's vim.diagnostic). */
export interface Diagnostic {
  range: Range;
  severity: DiagnosticSeverity;
  message: string;
  source?: string;
  code?: string;
}

const RANK: Record<DiagnosticSeverity, number> = { Error: 0, Warning: 1, Information: 2, Hint: 3 };

/** Orders diagnostics most severe first, then by position: the order a reader wants them. */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return (
    RANK[a.severity] - RANK[b.severity] ||
    a.range.start.line - b.range.start.line ||
    a.range.start.character - b.range.start.character
  );
}

/** The severity of an LSP / vim.diagnostic number (1..4); anything else counts as Information. */
export function severityOf(value: number): DiagnosticSeverity {
  return (["Error", "Warning", "Information", "Hint"] as const)[value - 1] ?? "Information";
}
