import type { Diagnostic, Selection, TextChange } from "../../engine/index.js";
import { severityOf } from "../../engine/index.js";

/** A buffer as nvim/lua/rune/attach.lua describes it. */
export interface NvimBuffer {
  buf: number;
  path: string;
  filetype: string;
  tabstop: number;
  modified: boolean;
}

/** The debounced cursor report: mode always; buffer and selection when a file buffer is current. */
export interface NvimState {
  buf?: number;
  mode: string;
  modified?: boolean;
  selection?: {
    anchor: [number, number];
    active: [number, number];
    mode: "char" | "line" | "block";
    toLineEnd?: boolean;
  };
}

export interface NvimDiagnostic {
  lnum: number;
  col: number;
  end_lnum: number;
  end_col: number;
  severity: number;
  message: string;
  source?: string;
  code?: string;
}

/** Lines [first, last) of the text Rune has became `lines`; last -1 means the whole buffer. */
export interface NvimLines {
  buf: number;
  tick: number;
  first: number;
  last: number;
  lines: string[];
}

export interface NvimDiffOutcome {
  tab: string;
  outcome: "accepted" | "rejected";
  contents?: string;
}

/** Neovim's filetype as a language id: the same names for most languages, plaintext for none. */
export function languageOf(filetype: string): string {
  return filetype === "" ? "plaintext" : filetype;
}

/** A buffer's lines as one text: every line ends with a newline, as Neovim writes the file. */
export function joinLines(lines: readonly string[]): string {
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}

/**
 * An `nvim_buf_lines_event` as a change to the document: lines [first, last) replaced by `lines`.
 * With every line ending in a newline, line starts are valid positions up to the end of the text.
 */
export function linesChange(first: number, last: number, lines: readonly string[]): TextChange {
  return {
    range: { start: { line: first, character: 0 }, end: { line: last, character: 0 } },
    text: joinLines(lines),
  };
}

export function selectionOf(state: NvimState["selection"] & object): Selection {
  const [aLine, aChar] = state.anchor;
  const [line, character] = state.active;
  return {
    anchor: { line: aLine, character: aChar },
    active: { line, character },
    mode: state.mode,
    ...(state.toLineEnd ? { toLineEnd: true } : {}),
  };
}

export function diagnosticOf(d: NvimDiagnostic): Diagnostic {
  return {
    range: {
      start: { line: d.lnum, character: d.col },
      end: { line: d.end_lnum, character: d.end_col },
    },
    severity: severityOf(d.severity),
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
    ...(d.code ? { code: d.code } : {}),
  };
}
