import { holdShape } from "../hold-shape.js";
import type { SymbolPosition } from "./symbol.js";

/**
 * A text without some of its ranges (or whole, when none is left out), for the parser, and the
 * way back: an offset in the shortened text is mapped to one in the original, and that to a
 * 1-based line and column (UTF-16 code units, as tree-sitter counts them in a JavaScript string). The parser sees exactly the tokens
 * it would see through tree-sitter's included ranges, which keep original positions by
 * themselves, but ranges cost it a scan from the first range each time it moves to a position,
 * so they had to be capped at a thousand a file. On the benchmark corpus's JavaScript and
 * TypeScript, in one thread, parsing the joined text took 720-790 ms against 900-990 through
 * ranges, and the whole symbol pass (tokenizer, parse, symbols) 1,190-1,250 ms against
 * 1,350-1,390, with every skip kept; the symbols of 9,900 files are the same.
 */
export class ShortenedText {
  /** The original text without the skipped ranges. */
  readonly text: string;
  /** Where each kept piece starts in `text`, ascending; the first is 0. */
  private readonly starts: number[];
  /** Where each kept piece starts in the original. */
  private readonly origins: number[];
  /** Offsets in the original where lines start, counted on first use (empty until then). */
  private readonly lines: number[] = [];

  /** `skipped`: sorted, non-overlapping `[start, end)` pairs of offsets in `original`, flat. */
  constructor(
    readonly original: string,
    skipped: readonly number[],
  ) {
    const parts: string[] = [];
    this.starts = [];
    this.origins = [];
    let from = 0;
    let length = 0;
    for (let i = 0; i <= skipped.length; i += 2) {
      const to = i < skipped.length ? (skipped[i] as number) : original.length;
      this.starts.push(length);
      this.origins.push(from);
      parts.push(original.slice(from, to));
      length += to - from;
      from = i < skipped.length ? (skipped[i + 1] as number) : original.length;
    }
    this.text = parts.join("");
  }

  /** The original offset of the character at `index` of the shortened text (a node's start). */
  startOf(index: number): number {
    const piece = this.pieceOf(index);
    return (this.origins[piece] as number) + index - (this.starts[piece] as number);
  }

  /**
   * The original offset just after the character before `index` (a node's end): at the seam of
   * two pieces, the end of the first, not the start of the next.
   */
  endOf(index: number): number {
    return index === 0 ? this.startOf(0) : this.startOf(index - 1) + 1;
  }

  /** The 1-based line and column of an offset in the original. */
  position(offset: number): SymbolPosition {
    const lines = this.lineStarts();
    const line = lastAtOrBefore(lines, offset);
    return { line: line + 1, column: offset - (lines[line] as number) + 1 };
  }

  /** The piece the character at `index` of the shortened text belongs to. */
  private pieceOf(index: number): number {
    return lastAtOrBefore(this.starts, index);
  }

  private lineStarts(): number[] {
    const lines = this.lines;
    if (lines.length > 0) return lines;
    // Lines as the rest of Rune counts them (line-index.ts): a line ends at LF, CRLF or a lone CR.
    lines.push(0);
    const text = this.original;
    if (!text.includes("\r")) {
      for (let at = text.indexOf("\n"); at !== -1; at = text.indexOf("\n", at + 1)) lines.push(at + 1);
      return lines;
    }
    for (let at = 0; at < text.length; at++) {
      const c = text.charCodeAt(at);
      if (c === 10 || (c === 13 && text.charCodeAt(at + 1) !== 10)) lines.push(at + 1);
    }
    return lines;
  }
}

/** The index of the last of `sorted` (ascending, `sorted[0]` at most `value`) that is at most `value`. */
function lastAtOrBefore(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

// One per parsed file; its hidden class outlives them all (hold-shape.ts).
holdShape("shortened-text", new ShortenedText("", []));
