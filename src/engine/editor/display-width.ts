import { isHighSurrogate, isLowSurrogate } from "./text-lines.js";

/**
 * Code point ranges a terminal editor draws two cells wide (East Asian Wide and Fullwidth, and the
 * emoji blocks Neovim treats as wide), sorted, as [first, last] pairs. Not the whole of Unicode's
 * EastAsianWidth.txt: the blocks that occur in source code and comments.
 */
const WIDE: readonly number[] = [
  0x1100, 0x115f, 0x231a, 0x231b, 0x2329, 0x232a, 0x23e9, 0x23ec, 0x23f0, 0x23f0, 0x23f3, 0x23f3, 0x25fd,
  0x25fe, 0x2614, 0x2615, 0x2648, 0x2653, 0x267f, 0x267f, 0x2693, 0x2693, 0x26a1, 0x26a1, 0x26aa, 0x26ab,
  0x26bd, 0x26be, 0x26c4, 0x26c5, 0x26ce, 0x26ce, 0x26d4, 0x26d4, 0x26ea, 0x26ea, 0x26f2, 0x26f3, 0x26f5,
  0x26f5, 0x26fa, 0x26fa, 0x26fd, 0x26fd, 0x2705, 0x2705, 0x270a, 0x270b, 0x2728, 0x2728, 0x274c, 0x274c,
  0x274e, 0x274e, 0x2753, 0x2755, 0x2757, 0x2757, 0x2795, 0x2797, 0x27b0, 0x27b0, 0x27bf, 0x27bf, 0x2b1b,
  0x2b1c, 0x2b50, 0x2b50, 0x2b55, 0x2b55, 0x2e80, 0x303e, 0x3041, 0x33ff, 0x3400, 0x4dbf, 0x4e00, 0x9fff,
  0xa000, 0xa4cf, 0xa960, 0xa97f, 0xac00, 0xd7a3, 0xf900, 0xfaff, 0xfe10, 0xfe19, 0xfe30, 0xfe6f, 0xff00,
  0xff60, 0xffe0, 0xffe6, 0x16fe0, 0x18aff, 0x1b000, 0x1b16f, 0x1f004, 0x1f004, 0x1f0cf, 0x1f0cf, 0x1f18e,
  0x1f18e, 0x1f191, 0x1f19a, 0x1f200, 0x1f251, 0x1f300, 0x1f64f, 0x1f680, 0x1f6ff, 0x1f7e0, 0x1f7eb, 0x1f90c,
  0x1f9ff, 0x1fa70, 0x1faff, 0x20000, 0x2fffd, 0x30000, 0x3fffd,
];

/** Combining marks and other code points drawn in no cell of their own. */
const ZERO: readonly number[] = [
  0x0300, 0x036f, 0x0483, 0x0489, 0x0591, 0x05bd, 0x0610, 0x061a, 0x064b, 0x065f, 0x0e31, 0x0e31, 0x0e34,
  0x0e3a, 0x0e47, 0x0e4e, 0x1ab0, 0x1aff, 0x1dc0, 0x1dff, 0x200b, 0x200f, 0x20d0, 0x20ff, 0xfe00, 0xfe0f,
  0xfe20, 0xfe2f, 0xe0100, 0xe01ef,
];

function inRanges(table: readonly number[], cp: number): boolean {
  let low = 0;
  let high = table.length / 2 - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (cp < (table[middle * 2] as number)) high = middle - 1;
    else if (cp > (table[middle * 2 + 1] as number)) low = middle + 1;
    else return true;
  }
  return false;
}

/** Cells a code point takes on screen, tabs aside: 0, 1 or 2. */
export function codePointWidth(cp: number): number {
  if (cp < 0x300) return 1;
  if (inRanges(ZERO, cp)) return 0;
  return inRanges(WIDE, cp) ? 2 : 1;
}

/** One character of a line as a terminal editor lays it out. */
export interface Cell {
  /** UTF-16 offset of the character in the line. */
  start: number;
  /** UTF-16 offset just past it. */
  end: number;
  /** First display column (0-based). */
  column: number;
  /** Display columns it covers: a tab up to the next tab stop, a wide character 2. */
  width: number;
}

/**
 * Lays out one line: each character's display column and width, with tabs expanding to the next
 * multiple of `tabSize` and wide characters taking two columns, as Neovim draws them. This is what
 * block (column) selections are measured in.
 */
export function* layoutLine(line: string, tabSize: number): Generator<Cell> {
  let column = 0;
  let i = 0;
  while (i < line.length) {
    const code = line.charCodeAt(i);
    let end = i + 1;
    let cp = code;
    if (isHighSurrogate(code) && isLowSurrogate(line.charCodeAt(i + 1))) {
      cp = line.codePointAt(i) as number;
      end = i + 2;
    }
    const width = code === 9 ? tabSize - (column % tabSize) : codePointWidth(cp);
    yield { start: i, end, column, width };
    column += width;
    i = end;
  }
}

/** The display column where the character at UTF-16 offset `offset` of `line` starts. */
export function displayColumn(line: string, offset: number, tabSize: number): number {
  let column = 0;
  for (const cell of layoutLine(line, tabSize)) {
    if (cell.start >= offset) return cell.column;
    column = cell.column + cell.width;
  }
  return column;
}

/** Display width of a whole line. */
export function displayWidth(line: string, tabSize: number): number {
  return displayColumn(line, line.length, tabSize);
}
