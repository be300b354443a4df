import { printableName, SYMBOL_KINDS } from "../../engine/index.js";

const POSITION = {
  type: "object",
  properties: { line: { type: "integer" }, column: { type: "integer" } },
  required: ["line", "column"],
  additionalProperties: false,
} as const;

/** A range: 1-based lines, 1-based columns in UTF-16 code units, end exclusive. */
export const RANGE = {
  type: "object",
  properties: { start: POSITION, end: POSITION },
  required: ["start", "end"],
  additionalProperties: false,
} as const;

export const KIND = { type: "string", enum: SYMBOL_KINDS } as const;

/** The fields every symbol carries. */
export const SYMBOL_PROPERTIES = {
  name: { type: "string" },
  kind: KIND,
  container: { type: "string", description: 'Enclosing symbols\' names joined by "/"; "" at top level' },
  range: RANGE,
  selectionRange: RANGE,
} as const;

/** A symbol found in the workspace: its file and name path too. */
const FOUND_PROPERTIES = {
  ...SYMBOL_PROPERTIES,
  path: { type: "string" },
  relative: { type: "string" },
  namePath: { type: "string" },
} as const;

const FOUND_REQUIRED = [
  "name",
  "kind",
  "container",
  "range",
  "selectionRange",
  "path",
  "relative",
  "namePath",
] as const;

/** The schema of a list of found symbols, each with `extra` fields beyond FOUND_PROPERTIES. */
export function foundSymbols<P extends object, R extends readonly string[]>(extra: P, extraRequired: R) {
  return {
    type: "array",
    items: {
      type: "object",
      properties: { ...FOUND_PROPERTIES, ...extra },
      required: [...FOUND_REQUIRED, ...extraRequired],
      additionalProperties: false,
    },
  } as const;
}

/** One line per symbol for the text block: `relative:line kind namePath`. */
export function symbolLines(
  symbols: readonly {
    relative: string;
    kind: string;
    namePath: string;
    range: { start: { line: number } };
  }[],
): string {
  return symbols
    .map((s) => `${printableName(s.relative)}:${s.range.start.line} ${s.kind} ${s.namePath}`)
    .join("\n");
}
