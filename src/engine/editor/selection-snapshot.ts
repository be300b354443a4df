import { type SelectedText, type Selection, selectText } from "./selection.js";
import type { TextLines } from "./text-lines.js";

/**
 * The selections of one document at one moment. It holds the line index of that version (an
 * immutable string and its line starts), so what it answers stays true after the document
 * changes. The text is extracted on first use and kept: a second query of the same selection,
 * however large, is a field read.
 */
export class SelectionSnapshot {
  private extracted: SelectedText[] | undefined;

  constructor(
    readonly uri: string,
    /** Absolute path, or undefined for an untitled buffer. */
    readonly path: string | undefined,
    /** Every cursor; the first is the primary one. Never empty. */
    readonly selections: readonly Selection[],
    readonly documentVersion: number,
    /** The editor state's version when this was taken. */
    readonly stateVersion: number,
    readonly lines: TextLines,
    readonly tabSize: number,
    /** Milliseconds since the epoch. */
    readonly at: number,
  ) {
    if (selections.length === 0) throw new RangeError("a selection snapshot needs at least one selection");
  }

  /** The primary selection's text and range. */
  get primary(): SelectedText {
    return this.all[0] as SelectedText;
  }

  /** Every cursor's text and range, in the order given. */
  get all(): readonly SelectedText[] {
    this.extracted ??= this.selections.map((s) => selectText(this.lines, s, this.tabSize));
    return this.extracted;
  }

  /** Whether the primary selection covers nothing, decided without extracting any text. */
  get isEmpty(): boolean {
    const first = this.selections[0] as Selection;
    if ((first.mode ?? "char") !== "char") return false;
    return this.lines.offsetAt(first.anchor) === this.lines.offsetAt(first.active);
  }
}
