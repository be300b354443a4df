/** JSON Schemas shared by the analysis tools. */

const POSITION = {
  type: "object",
  properties: {
    line: { type: "integer", description: "1-based line" },
    column: { type: "integer", description: "1-based column in UTF-16 code units" },
  },
  required: ["line", "column"],
  additionalProperties: false,
} as const;

/** A range of source text; the end is exclusive. */
export const RANGE = {
  type: "object",
  properties: { start: POSITION, end: POSITION },
  required: ["start", "end"],
  additionalProperties: false,
} as const;

export const SEVERITY = { type: "string", enum: ["error", "warning", "information", "hint"] } as const;

/** One diagnostic in the shape every analysis source is normalised to. */
export const CODE_DIAGNOSTIC = {
  type: "object",
  properties: {
    path: { type: "string" },
    range: RANGE,
    severity: SEVERITY,
    ruleId: { type: "string" },
    message: { type: "string" },
    source: { type: "string", description: "syntax, rune-lint, eslint, tsc or ruff" },
  },
  required: ["path", "range", "severity", "ruleId", "message", "source"],
  additionalProperties: false,
} as const;

/** `path:line:column: severity [rule] message`, the line a compiler prints. */
export function diagnosticLine(
  display: string,
  d: {
    range: { start: { line: number; column: number } };
    severity: string;
    ruleId?: string;
    message: string;
  },
): string {
  const rule = d.ruleId ? ` [${d.ruleId}]` : "";
  return `${display}:${d.range.start.line}:${d.range.start.column}: ${d.severity}${rule} ${d.message}`;
}
