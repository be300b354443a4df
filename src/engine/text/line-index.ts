import { LineStarts } from "./line-starts.js";
import { hasUtf8Bom, offsetAfterUnits, type PositionEncoding, unitsBetween } from "./utf8.js";

/** A 0-based line and a column counted in the units of a PositionEncoding, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

/**
 * One version of a document's bytes with its line index: converts between byte offsets and
 * line/character positions in bytes, UTF-16 code units (what LSP and Claude Code send) or code
 * points. Correct for LF, CRLF and lone CR, a leading BOM (not part of line 0's text, as editors
 * show it), surrogate pairs and invalid UTF-8 (each ill-formed run counts as the one U+FFFD a
 * decoder makes of it). Build once per version; every query is O(log lines + line length).
 */
export class LineIndex {
  /** Bytes of the leading byte-order mark: 3 or 0. */
  readonly bomLength: number;

  private constructor(
    readonly bytes: Uint8Array,
    readonly lines: LineStarts,
  ) {
    this.bomLength = hasUtf8Bom(bytes) ? 3 : 0;
  }

  static of(bytes: Uint8Array): LineIndex {
    return new LineIndex(bytes, LineStarts.of(bytes));
  }

  get lineCount(): number {
    return this.lines.lineCount;
  }

  /** Byte offset of the first character of `line` (after the BOM on line 0). */
  lineStart(line: number): number {
    return line === 0 ? this.bomLength : this.lines.start(line);
  }

  /** Byte offset just past the last character of `line`, before its line break. */
  lineContentEnd(line: number): number {
    return Math.max(this.lineStart(line), this.lines.contentEnd(line, this.bytes));
  }

  /**
   * The position of byte `offset`. An offset inside a line break maps to the end of that line's
   * content; one inside a multi-byte character maps to that character's start; offsets are clamped
   * to the text.
   */
  positionAt(offset: number, encoding: PositionEncoding = "utf-16"): Position {
    const clamped = Math.max(0, Math.min(offset, this.bytes.length));
    const line = this.lines.lineAt(clamped);
    const start = this.lineStart(line);
    const contentEnd = this.lineContentEnd(line);
    const inLine = Math.max(start, Math.min(clamped, contentEnd));
    return {
      line,
      character: unitsBetween(this.bytes, start, this.snap(start, inLine, contentEnd), encoding),
    };
  }

  /**
   * The byte offset of `position`. A line past the end clamps to the end of the text, a character
   * past the line's end clamps to the line's end (LSP's rule), and a character that falls inside a
   * surrogate pair or a multi-byte sequence resolves to the start of that character.
   */
  offsetAt(position: Position, encoding: PositionEncoding = "utf-16"): number {
    if (position.line < 0) return this.bomLength;
    if (position.line >= this.lineCount) return this.bytes.length;
    const start = this.lineStart(position.line);
    const end = this.lineContentEnd(position.line);
    return offsetAfterUnits(this.bytes, start, end, Math.max(0, position.character), encoding);
  }

  /** Converts a character count between encodings on one line. */
  convert(position: Position, from: PositionEncoding, to: PositionEncoding): Position {
    if (from === to) return position;
    return this.positionAt(this.offsetAt(position, from), to);
  }

  /** The start of the character that contains byte `offset` on a line `[start, end)`. */
  private snap(start: number, offset: number, end: number): number {
    return offset >= end ? end : offsetAfterUnits(this.bytes, start, end, offset - start, "utf-8");
  }
}
