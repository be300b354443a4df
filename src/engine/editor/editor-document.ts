import { PieceTable, type TextSnapshot } from "../text/piece-table.js";
import { type Range, TextLines } from "./text-lines.js";

/** One change as an editor reports it: replace `range` of the current text with `text`. */
export interface TextChange {
  range: Range;
  text: string;
}

/** What an adapter knows about a document when it first reports it. */
export interface DocumentInit {
  /** file:// URI, or another scheme for buffers without a file. */
  uri: string;
  /** Absolute path on disk; absent for untitled buffers. */
  path?: string;
  languageId?: string;
  text: string;
  /** The editor's own version (Neovim's changedtick); Rune counts from 1 otherwise. */
  version?: number;
  dirty?: boolean;
  /** Display width of a tab, for block selections (Neovim's 'tabstop'; default 8). */
  tabSize?: number;
}

/**
 * A document as the editor holds it: text in a piece table (edits cost O(log pieces), snapshots
 * O(1)), the editor's version, the dirty flag, the language. The line index is built on first use;
 * after that each change derives the next version's index from the last (rescanning only the lines
 * it touched) over a snapshot of the table, so typing in a 10 MB buffer never joins or scans the
 * whole text. The flat string of a version is joined only if something asks for all of it.
 */
export class EditorDocument {
  readonly uri: string;
  readonly path: string | undefined;
  languageId: string;
  version: number;
  dirty: boolean;
  tabSize: number;
  private readonly table: PieceTable;
  private cachedLines: TextLines | undefined;
  private wholeScans = 0;

  constructor(init: DocumentInit) {
    this.uri = init.uri;
    this.path = init.path;
    this.languageId = init.languageId ?? "plaintext";
    this.version = init.version ?? 1;
    this.dirty = init.dirty ?? false;
    this.tabSize = init.tabSize ?? 8;
    this.table = new PieceTable(init.text);
  }

  /** Whether the document has no file on disk yet. */
  get isUntitled(): boolean {
    return this.path === undefined;
  }

  get length(): number {
    return this.table.length;
  }

  /** The current text and its line index (built once per version). */
  get lines(): TextLines {
    if (this.cachedLines === undefined) {
      this.wholeScans++;
      this.cachedLines = TextLines.of(this.table.getText());
    }
    return this.cachedLines;
  }

  /**
   * How many times the whole text was scanned for line breaks: once on first use and once per full
   * replacement (setText), never per incremental change. A measure for tests and benchmarks.
   */
  get lineIndexBuilds(): number {
    return this.wholeScans;
  }

  get text(): string {
    return this.lines.text;
  }

  /** The text as it is now, unaffected by later edits: O(1). */
  snapshot(): TextSnapshot {
    return this.table.snapshot();
  }

  /**
   * Applies changes given against the current text, all located before any is applied (as LSP's
   * TextEdit[] are), so their order does not matter. Overlapping changes are refused.
   */
  applyChanges(changes: readonly TextChange[], version?: number): void {
    const lines = this.lines;
    const located = changes
      .map((c) => ({ start: lines.offsetAt(c.range.start), end: lines.offsetAt(c.range.end), text: c.text }))
      .sort((a, b) => b.start - a.start);
    for (let i = 1; i < located.length; i++) {
      if ((located[i] as { end: number }).end > (located[i - 1] as { start: number }).start) {
        throw new RangeError("changes overlap: each range must be disjoint from the others");
      }
    }
    // Last first: each change then leaves the offsets of the ones still to apply where they were.
    let next: TextLines | undefined = lines;
    for (const change of located) {
      this.table.replace(change.start, change.end - change.start, change.text);
      next = next?.edited(this.table.snapshot(), change.start, change.end, change.text.length);
    }
    this.cachedLines = next;
    this.version = version ?? this.version + 1;
  }

  /**
   * Replaces the whole text, as an editor that sends full buffers does. Only the span between the
   * common prefix and suffix is edited, so the piece table stays small and snapshots share text.
   */
  setText(text: string, version?: number): void {
    const old = this.text;
    if (old === text) {
      if (version !== undefined) this.version = version;
      return;
    }
    let prefix = 0;
    const max = Math.min(old.length, text.length);
    while (prefix < max && old.charCodeAt(prefix) === text.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (
      suffix < max - prefix &&
      old.charCodeAt(old.length - 1 - suffix) === text.charCodeAt(text.length - 1 - suffix)
    )
      suffix++;
    this.table.replace(prefix, old.length - prefix - suffix, text.slice(prefix, text.length - suffix));
    // The new string is the text of this version: keep it rather than join the pieces again.
    this.wholeScans++;
    this.cachedLines = TextLines.of(text);
    this.version = version ?? this.version + 1;
  }
}
