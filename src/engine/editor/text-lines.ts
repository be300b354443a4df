import type { Position } from "../text/line-index.js";

export type { Position };

/** A range from `start` to `end` (exclusive), `start` never after `end`. */
export interface Range {
  start: Position;
  end: Position;
}

/** Orders positions: negative if `a` comes first, 0 if equal, positive if `b` does. */
export function comparePositions(a: Position, b: Position): number {
  return a.line - b.line || a.character - b.character;
}

/**
 * Line starts of one version of a document's text, in UTF-16 code units (JavaScript string
 * indices), for LF, CRLF and lone CR breaks. Built once per version in one pass with indexOf;
 * every conversion after that is a binary search, so a position query does not depend on the size
 * of the document.
 */
export class TextLines {
  private constructor(
    readonly text: string,
    /** Offset of each line's first character; starts[0] is 0. */
    private readonly starts: Uint32Array | Float64Array,
    readonly lineCount: number,
  ) {}

  static of(text: string): TextLines {
    let starts: Uint32Array | Float64Array = new Uint32Array(16);
    let count = 1;
    const push = (offset: number): void => {
      if (count === starts.length) {
        const grown = new Uint32Array(starts.length * 2);
        grown.set(starts);
        starts = grown;
      }
      starts[count++] = offset;
    };
    // Next LF and next CR, each found once and reused until passed: linear even for CR-only text.
    let lf = text.indexOf("\n");
    let cr = text.indexOf("\r");
    while (lf !== -1 || cr !== -1) {
      let end: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) end = cr + 1 === lf ? lf : cr;
      else end = lf;
      push(end + 1);
      if (lf !== -1 && lf <= end) lf = text.indexOf("\n", end + 1);
      if (cr !== -1 && cr <= end) cr = text.indexOf("\r", end + 1);
    }
    return new TextLines(text, starts, count);
  }

  /** Offset of the first character of `line` (clamped to the document). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lineCount) return this.text.length;
    return this.starts[line] as number;
  }

  /** Offset just past the last character of `line`, before its break. */
  lineEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineCount) return this.text.length;
    if (line === this.lineCount - 1) return this.text.length;
    let end = this.starts[line + 1] as number;
    if (this.text.charCodeAt(end - 1) === 10) end--;
    if (end > (this.starts[line] as number) && this.text.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text in [start, end). */
  slice(start: number, end: number): string {
    return this.text.slice(start, end);
  }

  /** The text of `line` without its break. */
  lineText(line: number): string {
    return this.text.slice(this.lineStart(line), this.lineEnd(line));
  }

  /**
   * The offset of `position`, clamped as LSP clamps: a line past the end is the end of the text, a
   * character past the line's end is the line's end, and a character inside a surrogate pair moves
   * to the pair's start.
   */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.text.length;
    const start = this.lineStart(position.line);
    const offset = Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
    return offset > start &&
      isLowSurrogate(this.text.charCodeAt(offset)) &&
      isHighSurrogate(this.text.charCodeAt(offset - 1))
      ? offset - 1
      : offset;
  }

  /** The position of `offset` (clamped to the text; inside a line break means the line's end). */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineCount - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if ((this.starts[middle] as number) <= clamped) low = middle;
      else high = middle - 1;
    }
    const start = this.starts[low] as number;
    return { line: low, character: Math.min(clamped, this.lineEnd(low)) - start };
  }
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
