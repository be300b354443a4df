import type { Position } from "../text/line-index.js";
import { LineStartChunks } from "./line-start-chunks.js";

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
 * Text a line index reads: a string, or a piece table's snapshot (no flat copy of a large document
 * is needed to answer positions and slices).
 */
export interface TextSource {
  readonly length: number;
  charCodeAt(offset: number): number;
  slice(start: number, end: number): string;
}

/**
 * Line starts of one version of a document's text, in UTF-16 code units (JavaScript string
 * indices), for LF, CRLF and lone CR breaks. Built once per version in one pass with indexOf, or
 * derived from the previous version's after an edit by rescanning only the lines the edit touched
 * ({@link TextLines.edited}) and sharing the rest (see LineStartChunks); every conversion is a
 * binary search, so a position query does not depend on the size of the document.
 */
export class TextLines {
  private flat: string | undefined;

  private constructor(
    private readonly source: TextSource,
    private readonly starts: LineStartChunks,
  ) {
    if (typeof source === "string") this.flat = source;
  }

  /** The line index of `text`; `chunkSize` (lines a chunk of starts holds) is for tests. */
  static of(text: string, chunkSize?: number): TextLines {
    const starts = new StartsBuilder(16);
    starts.push(0);
    scanBreaks(text, 0, starts);
    return new TextLines(text, LineStartChunks.from(starts.array, starts.count, chunkSize));
  }

  get lineCount(): number {
    return this.starts.count;
  }

  /**
   * The line index of `source`, which is this index's text with [start, end) replaced by
   * `insertedLength` code units. Only the lines from the one before the edit to the one it ends in
   * are scanned again; the starts after them shift by the length difference, chunk by chunk. Costs
   * O(edited text + √lines) or so, never O(text length).
   */
  edited(source: TextSource, start: number, end: number, insertedLength: number): TextLines {
    const delta = insertedLength - (end - start);
    // From the line before the edit: a lone CR ending it may now be followed by an inserted LF.
    const first = Math.max(0, this.lineAt(start) - 1);
    const last = this.lineAt(end);
    const regionStart = this.starts.at(first);
    const tailLine = last + 1;
    const count = this.starts.count;
    const regionEnd = tailLine < count ? this.starts.at(tailLine) + delta : source.length;
    const scanned = new StartsBuilder(16);
    scanned.push(regionStart);
    scanBreaks(source.slice(regionStart, regionEnd), regionStart, scanned);
    // The region ends just after a break (or at the end of the text): the tail's first start is
    // found by the scan too, and is kept once, from the shifted old starts.
    if (tailLine < count && scanned.count > 1 && scanned.last === regionEnd) scanned.count--;
    const replacement = Array.from(scanned.array.subarray(0, scanned.count));
    return new TextLines(source, this.starts.replaced(first, tailLine, replacement, delta));
  }

  /** The whole text, joined once if the source is a snapshot. */
  get text(): string {
    this.flat ??= this.source.slice(0, this.source.length);
    return this.flat;
  }

  get length(): number {
    return this.source.length;
  }

  /** The text in [start, end). */
  slice(start: number, end: number): string {
    return (this.flat ?? this.source).slice(start, end);
  }

  /** The line that contains `offset` (clamped to the text). */
  lineAt(offset: number): number {
    return this.starts.lineAt(Math.max(0, Math.min(offset, this.source.length)));
  }

  /** Offset of the first character of `line` (clamped to the document). */
  lineStart(line: number): number {
    if (line <= 0) return 0;
    if (line >= this.lineCount) return this.source.length;
    return this.starts.at(line);
  }

  /** Offset just past the last character of `line`, before its break. */
  lineEnd(line: number): number {
    if (line < 0) return 0;
    if (line >= this.lineCount) return this.source.length;
    if (line === this.lineCount - 1) return this.source.length;
    let end = this.starts.at(line + 1);
    if (this.source.charCodeAt(end - 1) === 10) end--;
    if (end > this.starts.at(line) && this.source.charCodeAt(end - 1) === 13) end--;
    return end;
  }

  /** The text of `line` without its break. */
  lineText(line: number): string {
    return this.slice(this.lineStart(line), this.lineEnd(line));
  }

  /**
   * The offset of `position`, clamped as LSP clamps: a line past the end is the end of the text, a
   * character past the line's end is the line's end, and a character inside a surrogate pair moves
   * to the pair's start.
   */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineCount) return this.source.length;
    const start = this.lineStart(position.line);
    const offset = Math.min(start + Math.max(0, position.character), this.lineEnd(position.line));
    return offset > start &&
      isLowSurrogate(this.source.charCodeAt(offset)) &&
      isHighSurrogate(this.source.charCodeAt(offset - 1))
      ? offset - 1
      : offset;
  }

  /** The position of `offset` (clamped to the text; inside a line break means the line's end). */
  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.source.length));
    const low = this.lineAt(clamped);
    const start = this.starts.at(low);
    return { line: low, character: Math.min(clamped, this.lineEnd(low)) - start };
  }
}

export function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

export function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** A growing array of line starts. */
class StartsBuilder {
  array: Uint32Array;
  count = 0;

  constructor(capacity: number) {
    this.array = new Uint32Array(Math.max(16, capacity));
  }

  get last(): number {
    return this.array[this.count - 1] as number;
  }

  push(offset: number): void {
    if (this.count === this.array.length) this.grow(this.count + 1);
    this.array[this.count++] = offset;
  }

  private grow(needed: number): void {
    const grown = new Uint32Array(Math.max(needed, this.array.length * 2));
    grown.set(this.array.subarray(0, this.count));
    this.array = grown;
  }
}

/**
 * Pushes the start of every line after a break in `text`, offset by `base`. Next LF and next CR are
 * each found once and reused until passed: linear even for CR-only text.
 */
function scanBreaks(text: string, base: number, starts: StartsBuilder): void {
  let lf = text.indexOf("\n");
  let cr = text.indexOf("\r");
  while (lf !== -1 || cr !== -1) {
    let end: number;
    if (cr !== -1 && (lf === -1 || cr < lf)) end = cr + 1 === lf ? lf : cr;
    else end = lf;
    starts.push(base + end + 1);
    if (lf !== -1 && lf <= end) lf = text.indexOf("\n", end + 1);
    if (cr !== -1 && cr <= end) cr = text.indexOf("\r", end + 1);
  }
}
