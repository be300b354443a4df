import { layoutLine } from "./display-width.js";
import { comparePositions, type Position, type Range, type TextLines } from "./text-lines.js";

/**
 * How a selection covers text: `char` from anchor to active (end exclusive, as in VS Code and
 * LSP); `line` whole lines; `block` a rectangle of display columns, both corner characters
 * included (Vim's CTRL-V), measured with tabs expanded and wide characters two columns wide.
 */
export type SelectionMode = "char" | "line" | "block";

/** One cursor: where the selection started (anchor) and where the cursor is (active). */
export interface Selection {
  anchor: Position;
  active: Position;
  /** Default `char`. */
  mode?: SelectionMode;
  /** Block mode only: the right edge follows each line's end (Vim's `$`). */
  toLineEnd?: boolean;
}

/** What a selection covers in one version of a document. */
export interface SelectedText {
  text: string;
  /** From the first selected character to just past the last (whole lines for `line`). */
  range: Range;
  isEmpty: boolean;
  mode: SelectionMode;
  /**
   * Block mode only: each line's part of the block, top to bottom, as a range of the characters it
   * covers (empty at the line's end for a line too short to reach the block): the cursors a
   * multi-cursor editor would show for it.
   */
  ranges?: Range[];
}

/**
 * The text a selection covers. Char mode is one slice of the document (V8 shares the storage of
 * large slices, so this does not copy); line and block modes visit only the lines they span.
 */
export function selectText(lines: TextLines, selection: Selection, tabSize = 8): SelectedText {
  const mode = selection.mode ?? "char";
  const [first, last] = ordered(clamp(lines, selection.anchor), clamp(lines, selection.active));
  if (mode === "line") {
    const start = lines.lineStart(first.line);
    const end = lines.lineEnd(last.line);
    return {
      text: lines.slice(start, end),
      range: {
        start: { line: first.line, character: 0 },
        end: { line: last.line, character: end - lines.lineStart(last.line) },
      },
      isEmpty: false,
      mode,
    };
  }
  if (mode === "block") return selectBlock(lines, selection, first.line, last.line, tabSize);
  const start = lines.offsetAt(first);
  const end = lines.offsetAt(last);
  return {
    text: lines.slice(start, end),
    range: { start: lines.positionAt(start), end: lines.positionAt(end) },
    isEmpty: start === end,
    mode,
  };
}

/**
 * A block selection, line by line. Its columns run from the leftmost to the rightmost display
 * column either corner character covers. A tab or wide character that the block only partly
 * covers contributes a space for each covered column, as Vim yanks it, so every line of a block
 * is as wide on screen as the block.
 */
function selectBlock(
  lines: TextLines,
  selection: Selection,
  firstLine: number,
  lastLine: number,
  tabSize: number,
): SelectedText {
  const [left, right] = blockColumns(lines, selection, tabSize);
  const parts: string[] = [];
  let startCharacter = 0;
  let endCharacter = 0;
  const ranges: Range[] = [];
  for (let line = firstLine; line <= lastLine; line++) {
    const text = lines.lineText(line);
    let piece = "";
    let run = -1; // start of the run of wholly covered characters not yet copied
    let runEnd = -1;
    let firstCovered = -1;
    let lastCovered = -1;
    for (const cell of layoutLine(text, tabSize)) {
      if (cell.width === 0) {
        // A combining mark belongs to the character before it.
        if (run !== -1 && runEnd === cell.start) runEnd = lastCovered = cell.end;
        continue;
      }
      const cellEnd = cell.column + cell.width;
      if (cellEnd <= left) continue;
      if (cell.column >= right) break;
      if (firstCovered === -1) firstCovered = cell.start;
      lastCovered = cell.end;
      if (cell.column >= left && cellEnd <= right) {
        if (run === -1) run = cell.start;
        runEnd = cell.end;
        continue;
      }
      if (run !== -1) piece += text.slice(run, runEnd);
      run = -1;
      piece += " ".repeat(Math.min(cellEnd, right) - Math.max(cell.column, left));
    }
    if (run !== -1) piece += text.slice(run, runEnd);
    const from = firstCovered === -1 ? text.length : firstCovered;
    const to = lastCovered === -1 ? text.length : lastCovered;
    if (line === firstLine) startCharacter = from;
    if (line === lastLine) endCharacter = to;
    ranges.push({ start: { line, character: from }, end: { line, character: to } });
    parts.push(piece);
  }
  return {
    text: parts.join("\n"),
    range: {
      start: { line: firstLine, character: startCharacter },
      end: { line: lastLine, character: endCharacter },
    },
    isEmpty: false,
    mode: "block",
    ranges,
  };
}

/** The display columns [left, right) a block selection covers. */
function blockColumns(lines: TextLines, selection: Selection, tabSize: number): [number, number] {
  const a = cellSpan(lines, clamp(lines, selection.anchor), tabSize);
  const b = cellSpan(lines, clamp(lines, selection.active), tabSize);
  return [Math.min(a.from, b.from), selection.toLineEnd ? Number.POSITIVE_INFINITY : Math.max(a.to, b.to)];
}

/**
 * For each line of a block selection, the UTF-16 span of the characters wholly inside its columns
 * (what an edit of the block may replace; partly covered tabs and wide characters stay).
 */
export function blockSpans(
  lines: TextLines,
  selection: Selection,
  tabSize = 8,
): { line: number; start: number; end: number }[] {
  const [left, right] = blockColumns(lines, selection, tabSize);
  const first = Math.min(clamp(lines, selection.anchor).line, clamp(lines, selection.active).line);
  const last = Math.max(clamp(lines, selection.anchor).line, clamp(lines, selection.active).line);
  const spans: { line: number; start: number; end: number }[] = [];
  for (let line = first; line <= last; line++) {
    let start = -1;
    let end = -1;
    for (const cell of layoutLine(lines.lineText(line), tabSize)) {
      if (cell.width === 0) {
        if (end === cell.start) end = cell.end;
        continue;
      }
      if (cell.column < left) continue;
      if (cell.column + cell.width > right) break;
      if (start === -1) start = cell.start;
      end = cell.end;
    }
    if (start !== -1) spans.push({ line, start, end });
  }
  return spans;
}

/** The display columns [from, to) the character at `position` covers (one column past a line's end). */
function cellSpan(lines: TextLines, position: Position, tabSize: number): { from: number; to: number } {
  const text = lines.lineText(position.line);
  let column = 0;
  for (const cell of layoutLine(text, tabSize)) {
    if (cell.end > position.character)
      return { from: cell.column, to: cell.column + Math.max(cell.width, 1) };
    column = cell.column + cell.width;
  }
  return { from: column, to: column + 1 };
}

function clamp(lines: TextLines, position: Position): Position {
  return lines.positionAt(lines.offsetAt(position));
}

function ordered(a: Position, b: Position): [Position, Position] {
  return comparePositions(a, b) <= 0 ? [a, b] : [b, a];
}
