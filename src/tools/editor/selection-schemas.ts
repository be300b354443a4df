import type { SelectedText } from "../../engine/index.js";

/** A position as LSP and Claude Code write it: 0-based line, UTF-16 character. */
export const POSITION = {
  type: "object",
  properties: {
    line: { type: "integer", minimum: 0, description: "0-based line" },
    character: { type: "integer", minimum: 0, description: "0-based UTF-16 code unit in the line" },
  },
  required: ["line", "character"],
  additionalProperties: false,
} as const;

export const RANGE = {
  type: "object",
  properties: { start: POSITION, end: POSITION },
  required: ["start", "end"],
  additionalProperties: false,
} as const;

/** One cursor of a batch update. */
export const SELECTION_INPUT = {
  type: "object",
  properties: {
    anchor: POSITION,
    active: POSITION,
    mode: {
      type: "string",
      enum: ["char", "line", "block"],
      description:
        "char (default): anchor to active, end exclusive; line: whole lines; block: a rectangle of display columns, both corners included",
    },
    toLineEnd: { type: "boolean", description: "block mode: extend each line to its end (Vim's $)" },
  },
  required: ["anchor", "active"],
  additionalProperties: false,
} as const;

/** Per-line ranges of a block selection a result carries at most. */
const MAX_RANGES = 1_000;

/** A selected text in results, cut to a bound so one huge selection cannot overflow a result. */
export const SELECTED_OUTPUT = {
  type: "object",
  properties: {
    text: { type: "string" },
    range: RANGE,
    isEmpty: { type: "boolean" },
    mode: { type: "string", enum: ["char", "line", "block"] },
    truncated: { type: "boolean", description: "text was cut to maxChars; the range still covers it all" },
    ranges: {
      type: "array",
      items: RANGE,
      description: `block mode: each line's covered characters, top to bottom (the first ${MAX_RANGES})`,
    },
  },
  required: ["text", "range", "isEmpty", "mode", "truncated"],
  additionalProperties: false,
} as const;

/** Characters of selected text a result carries by default (about 5,000 tokens). */
export const DEFAULT_MAX_CHARS = 20_000;

export function boundedSelection(selected: SelectedText, maxChars: number) {
  const truncated = selected.text.length > maxChars;
  return {
    text: truncated ? selected.text.slice(0, maxChars) : selected.text,
    range: selected.range,
    isEmpty: selected.isEmpty,
    mode: selected.mode,
    truncated,
    ...(selected.ranges ? { ranges: selected.ranges.slice(0, MAX_RANGES) } : {}),
  };
}
