import { EngineError } from "../errors.js";
import type { LineStarts } from "./line-starts.js";

/** Replace the exact text `oldText` (which must occur once, or every time with `replaceAll`). */
export interface ReplaceEdit {
  oldText: string;
  newText: string;
  replaceAll?: boolean;
}

/**
 * Replace lines `startLine` to `endLine` (1-based, inclusive) with `newText`. `endLine` one less
 * than `startLine` inserts before `startLine`; `startLine` one past the last line appends.
 */
export interface LineRangeEdit {
  startLine: number;
  endLine: number;
  newText: string;
}

export type TextEdit = ReplaceEdit | LineRangeEdit;

/** One change of bytes, located in the original: replace `[start, end)` with `insert`. */
export interface ByteChange {
  start: number;
  end: number;
  insert: Buffer;
  /** Index of the edit it came from. */
  edit: number;
}

/** The text as the edits see it: bytes, line starts, BOM length and the lines people count. */
export interface EditTarget {
  bytes: Buffer;
  lines: LineStarts;
  bomLength: number;
  lineCount: number;
}

/**
 * Locates every edit in the original text and returns the byte changes, sorted and checked not
 * to overlap, so they apply all together or not at all. Every edit is located against the
 * original, never against the result of an earlier one, so the order of edits does not matter.
 * New text takes the file's line-break style (a model writes "\n" into a CRLF file); old text is
 * matched as given first, then in the file's style.
 */
export function planEdits(target: EditTarget, edits: readonly TextEdit[]): ByteChange[] {
  if (edits.length === 0) throw new EngineError("INVALID_ARGUMENT", "No edits were given");
  const eol = breakStyle(target);
  const changes: ByteChange[] = [];
  edits.forEach((edit, index) => {
    if ("oldText" in edit) changes.push(...locateReplace(target, edit, index, eol));
    else changes.push(locateLines(target, edit, index, eol));
  });
  changes.sort((a, b) => a.start - b.start || a.end - b.end || a.edit - b.edit);
  for (let i = 1; i < changes.length; i++) {
    const previous = changes[i - 1] as ByteChange;
    const current = changes[i] as ByteChange;
    if (current.start < previous.end) {
      const line = target.lines.lineAt(current.start) + 1;
      throw new EngineError(
        "EDIT_OVERLAP",
        `Edits ${previous.edit + 1} and ${current.edit + 1} overlap near line ${line}; merge them into one edit`,
      );
    }
  }
  return changes;
}

/** The bytes after `changes` (sorted, disjoint) are applied to `bytes`. */
export function applyChanges(bytes: Buffer, changes: readonly ByteChange[]): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (const change of changes) {
    parts.push(bytes.subarray(at, change.start), change.insert);
    at = change.end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

/** The changes that turn the edited bytes back into `original`: each change's inverse, relocated. */
export function invertChanges(original: Buffer, changes: readonly ByteChange[]): ByteChange[] {
  let shift = 0;
  return changes.map((change) => {
    const start = change.start + shift;
    shift += change.insert.length - (change.end - change.start);
    return {
      start,
      end: start + change.insert.length,
      insert: original.subarray(change.start, change.end),
      edit: change.edit,
    };
  });
}

function locateReplace(target: EditTarget, edit: ReplaceEdit, index: number, eol: string): ByteChange[] {
  if (typeof edit.oldText !== "string" || edit.oldText === "") {
    throw new EngineError("INVALID_ARGUMENT", `Edit ${index + 1}: oldText must not be empty`);
  }
  let needle = Buffer.from(edit.oldText);
  let found = occurrences(target, needle, edit.replaceAll === true);
  const adapted = withBreaks(edit.oldText, eol);
  if (found.length === 0 && adapted !== edit.oldText) {
    needle = Buffer.from(adapted);
    found = occurrences(target, needle, edit.replaceAll === true);
  }
  if (found.length === 0)
    throw new EngineError("NO_MATCH", `Edit ${index + 1}: ${noMatchHint(target, edit.oldText)}`);
  if (found.length > 1 && !edit.replaceAll) {
    const lines = found.map((offset) => target.lines.lineAt(offset) + 1);
    throw new EngineError(
      "AMBIGUOUS_MATCH",
      `Edit ${index + 1}: oldText occurs more than once (at lines ${lines.join(" and ")}, at least); include surrounding lines to make it unique, or set replaceAll`,
    );
  }
  const insert = Buffer.from(withBreaks(edit.newText, eol));
  return found.map((start) => ({ start, end: start + needle.length, insert, edit: index }));
}

/** Offsets of `needle`, non-overlapping; stops at the second when only uniqueness matters. */
function occurrences(target: EditTarget, needle: Buffer, all: boolean): number[] {
  const found: number[] = [];
  let at = target.bytes.indexOf(needle, target.bomLength);
  while (at !== -1) {
    found.push(at);
    if (!all && found.length === 2) break;
    at = target.bytes.indexOf(needle, at + needle.length);
  }
  return found;
}

function locateLines(target: EditTarget, edit: LineRangeEdit, index: number, eol: string): ByteChange {
  const { startLine, endLine } = edit;
  const count = target.lineCount;
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || startLine > count + 1) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      `Edit ${index + 1}: startLine must be 1 to ${count + 1} (the file has ${count} lines)`,
    );
  }
  if (endLine < startLine - 1 || endLine > count) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      `Edit ${index + 1}: endLine must be ${startLine - 1} (to insert) up to ${count}, not ${endLine}`,
    );
  }
  const size = target.bytes.length;
  const start =
    startLine - 1 === 0
      ? target.bomLength
      : startLine - 1 < target.lines.lineCount
        ? target.lines.start(startLine - 1)
        : size;
  const end = endLine >= startLine ? target.lines.end(endLine - 1) : start;
  let text = withBreaks(edit.newText, eol);
  const endsWithBreak = text.endsWith("\n") || text.endsWith("\r");
  const fileEndsInBreak = endsInBreak(target.bytes);
  if (text === "") {
    // Deleting lines, or inserting nothing: no break to add.
  } else if (start === size && size > target.bomLength && !fileEndsInBreak) {
    // Appending to a file whose last line has no break: the new lines start on a line of their own.
    text = eol + text;
  } else if (
    !endsWithBreak &&
    (end < size || endsInBreak(target.bytes.subarray(start, end)) || (start === size && fileEndsInBreak))
  ) {
    // Whole lines in, whole lines out: the new lines end with a break as the replaced ones did.
    text += eol;
  }
  return { start, end, insert: Buffer.from(text), edit: index };
}

function endsInBreak(bytes: Uint8Array): boolean {
  const last = bytes[bytes.length - 1];
  return last === 0x0a || last === 0x0d;
}

/** The break new text should use: the file's own, or LF when it has none or mixes them. */
function breakStyle(target: EditTarget): string {
  const eol = target.lines.eol;
  return eol === "\r\n" || eol === "\r" ? eol : "\n";
}

function withBreaks(text: string, eol: string): string {
  if (eol === "\n") return text;
  return text.replace(/\r\n|\r|\n/g, eol);
}

/** Why oldText was not found, with where its first line does occur, if anywhere. */
function noMatchHint(target: EditTarget, oldText: string): string {
  const first = oldText
    .split(/\r\n|\r|\n/)
    .find((line) => line.trim() !== "")
    ?.trim();
  if (first) {
    const at = target.bytes.indexOf(first, target.bomLength);
    if (at !== -1) {
      return `oldText was not found exactly, but its first line occurs at line ${target.lines.lineAt(at) + 1}; check whitespace and the lines after it`;
    }
  }
  return "oldText was not found in the file; read the file again and copy the text exactly";
}
