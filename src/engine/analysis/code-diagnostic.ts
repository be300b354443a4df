import type { Node } from "web-tree-sitter";

/** Severities, most severe first, named as LSP names them. */
export type Severity = "error" | "warning" | "information" | "hint";

export const SEVERITY_RANK: Record<Severity, number> = { error: 4, warning: 3, information: 2, hint: 1 };

/** A position: 1-based line, 1-based column in UTF-16 code units (what editors show). */
export interface SourcePosition {
  line: number;
  column: number;
}

/** A range of source text; the end is exclusive. */
export interface SourceRange {
  start: SourcePosition;
  end: SourcePosition;
}

/**
 * One problem found in a file, in the one shape every analysis source is normalised to: Rune's
 * syntax check and lint rules, and external linters (eslint, tsc, ruff).
 */
export interface CodeDiagnostic {
  path: string;
  range: SourceRange;
  severity: Severity;
  /** The rule or error code (`function-length`, `syntax/missing`, `no-unused-vars`, `TS2322`). */
  ruleId: string;
  message: string;
  /** Who found it: `syntax`, `rune-lint`, `eslint`, `tsc`, `ruff`. */
  source: string;
}

/**
 * The range of a syntax node. For text given as a JavaScript string, tree-sitter counts rows from
 * 0 and columns in UTF-16 code units: one more on each is the 1-based line and column editors show.
 */
export function nodeRange(node: Node, endNode: Node = node): SourceRange {
  const start = node.startPosition;
  const end = endNode.endPosition;
  return {
    start: { line: start.row + 1, column: start.column + 1 },
    end: { line: end.row + 1, column: end.column + 1 },
  };
}

/** Orders diagnostics by path, then position. */
export function compareByPosition(a: CodeDiagnostic, b: CodeDiagnostic): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    a.range.start.line - b.range.start.line ||
    a.range.start.column - b.range.start.column
  );
}
