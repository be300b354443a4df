import type { LineStarts } from "./line-starts.js";
import type { ByteChange } from "./text-edits.js";

/** A line of a diff: its text without the break, and whether it ended the file with no break. */
interface DiffLine {
  text: string;
  noBreak: boolean;
}

/** One changed block: old lines from `oldStart` replaced by new lines from `newStart` (0-based). */
interface Block {
  oldStart: number;
  removed: DiffLine[];
  newStart: number;
  added: DiffLine[];
}

export interface DiffOptions {
  /** Lines of context around each change (default 3, as diff -u). */
  context?: number;
  /** Bound on the diff's length in characters; a longer diff ends with a note. */
  maxChars?: number;
}

/**
 * A unified diff of an edit, built from the edit's own changes rather than by comparing the two
 * texts: the changed lines are already known, so a 10 MB file costs what its changed lines cost.
 * Each change is widened to whole lines, common leading and trailing lines are trimmed away, and
 * blocks closer than twice the context share a hunk, as `diff -u` does.
 */
export function unifiedDiff(
  path: string,
  original: Buffer,
  lines: LineStarts,
  changes: readonly ByteChange[],
  options: DiffOptions = {},
): string {
  const context = options.context ?? 3;
  const maxChars = options.maxChars ?? 50_000;
  const blocks = changedBlocks(original, lines, changes);
  if (blocks.length === 0) return "";
  const oldLine = (n: number): DiffLine => lineOf(original, lines, n);
  const lastOld =
    lines.start(lines.lineCount - 1) === lines.byteLength ? lines.lineCount - 1 : lines.lineCount;
  let out = `--- a/${path}\n+++ b/${path}\n`;
  let i = 0;
  while (i < blocks.length) {
    // Gather the blocks whose contexts touch into one hunk.
    let j = i;
    while (
      j + 1 < blocks.length &&
      (blocks[j + 1] as Block).oldStart -
        ((blocks[j] as Block).oldStart + (blocks[j] as Block).removed.length) <=
        2 * context
    ) {
      j++;
    }
    const first = blocks[i] as Block;
    const last = blocks[j] as Block;
    const from = Math.max(0, first.oldStart - context);
    const to = Math.min(lastOld, last.oldStart + last.removed.length + context);
    const body: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    let at = from;
    for (let k = i; k <= j; k++) {
      const block = blocks[k] as Block;
      for (; at < block.oldStart; at++, oldCount++, newCount++) body.push(render(" ", oldLine(at)));
      for (const line of block.removed) body.push(render("-", line));
      for (const line of block.added) body.push(render("+", line));
      oldCount += block.removed.length;
      newCount += block.added.length;
      at = block.oldStart + block.removed.length;
    }
    for (; at < to; at++, oldCount++, newCount++) body.push(render(" ", oldLine(at)));
    const newFrom = first.newStart - (first.oldStart - from);
    out += `@@ -${range(from, oldCount)} +${range(newFrom, newCount)} @@\n${body.join("")}`;
    if (out.length > maxChars) {
      return `${out.slice(0, maxChars)}\n... diff cut at ${maxChars} characters\n`;
    }
    i = j + 1;
  }
  return out;
}

/** `start,count` in diff's 1-based convention, where an empty range names the line before it. */
function range(start: number, count: number): string {
  return `${count === 0 ? start : start + 1},${count}`;
}

function render(sign: string, line: DiffLine): string {
  return `${sign}${line.text}\n${line.noBreak ? "\\ No newline at end of file\n" : ""}`;
}

function lineOf(bytes: Buffer, lines: LineStarts, n: number): DiffLine {
  const start = lines.start(n);
  const end = lines.contentEnd(n, bytes);
  const text = bytes.toString("utf8", start, end);
  return { text: n === 0 ? withoutBom(text) : text, noBreak: end === bytes.length };
}

/** Changes widened to whole lines and grouped, with identical leading and trailing lines trimmed. */
function changedBlocks(original: Buffer, lines: LineStarts, changes: readonly ByteChange[]): Block[] {
  const blocks: Block[] = [];
  let lineShift = 0;
  let i = 0;
  while (i < changes.length) {
    const firstLine = lines.lineAt((changes[i] as ByteChange).start);
    const segmentStart = lines.start(firstLine);
    let segmentEnd = widen(lines, (changes[i] as ByteChange).start, (changes[i] as ByteChange).end);
    let j = i;
    let edited: Buffer;
    for (;;) {
      // A change joins the block if its line starts inside it (an append to an unterminated last
      // line starts at the very end, but on that line).
      while (
        j + 1 < changes.length &&
        lines.start(lines.lineAt((changes[j + 1] as ByteChange).start)) < segmentEnd
      ) {
        j++;
        const change = changes[j] as ByteChange;
        segmentEnd = Math.max(segmentEnd, widen(lines, change.start, change.end));
      }
      edited = applyWithin(original, changes, i, j, segmentStart, segmentEnd);
      // New text that does not end in a break runs into the next line, which then changes too.
      const last = edited[edited.length - 1];
      if (edited.length === 0 || last === 0x0a || last === 0x0d || segmentEnd >= original.length) break;
      segmentEnd = lines.end(lines.lineAt(segmentEnd));
    }
    const atEnd = segmentEnd === original.length;
    // The BOM is not part of line 1's text, as editors show it.
    const decode = (text: string) => (segmentStart === 0 ? withoutBom(text) : text);
    const oldLines = split(decode(original.toString("utf8", segmentStart, segmentEnd)), atEnd);
    const newLines = split(decode(edited.toString("utf8")), atEnd);
    // Trim what did not change, so an insertion shows as added lines and nothing else.
    let head = 0;
    while (head < oldLines.length && head < newLines.length && same(oldLines[head], newLines[head])) head++;
    let tail = 0;
    while (
      tail < oldLines.length - head &&
      tail < newLines.length - head &&
      same(oldLines[oldLines.length - 1 - tail], newLines[newLines.length - 1 - tail])
    ) {
      tail++;
    }
    const removed = oldLines.slice(head, oldLines.length - tail);
    const added = newLines.slice(head, newLines.length - tail);
    const oldStart = firstLine + head;
    if (removed.length > 0 || added.length > 0) {
      blocks.push({ oldStart, removed, newStart: oldStart + lineShift, added });
    }
    lineShift += added.length - removed.length;
    i = j + 1;
  }
  return blocks;
}

/** Bytes `[from, to)` of the original with changes `i..j` (all inside) applied. */
function applyWithin(
  original: Buffer,
  changes: readonly ByteChange[],
  i: number,
  j: number,
  from: number,
  to: number,
): Buffer {
  const parts: Buffer[] = [];
  let at = from;
  for (let k = i; k <= j; k++) {
    const change = changes[k] as ByteChange;
    parts.push(original.subarray(at, change.start), change.insert);
    at = change.end;
  }
  parts.push(original.subarray(at, to));
  return Buffer.concat(parts);
}

/** The end of the whole lines that bytes `[start, end)` touch, their breaks included. */
function widen(lines: LineStarts, start: number, end: number): number {
  const line = lines.lineAt(end);
  if (end > start && lines.start(line) === end) return end;
  return lines.end(line);
}

function split(text: string, atEnd: boolean): DiffLine[] {
  if (text === "") return [];
  const parts = text.split(/\r\n|\r|\n/);
  const endsInBreak = parts.at(-1) === "";
  if (endsInBreak) parts.pop();
  return parts.map((line, n) => ({ text: line, noBreak: atEnd && !endsInBreak && n === parts.length - 1 }));
}

function same(a: DiffLine | undefined, b: DiffLine | undefined): boolean {
  return a !== undefined && b !== undefined && a.text === b.text && a.noBreak === b.noBreak;
}

function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}
