import { EngineError, invalidRegex } from "../errors.js";
import { commentSyntax } from "./comment-syntax.js";
import type { EditorDocument, TextChange } from "./editor-document.js";
import type { SelectedText, Selection } from "./selection.js";
import { blockSpans, selectText } from "./selection.js";
import type { Range, TextLines } from "./text-lines.js";

/** A transform of selected text; the ones marked `lines` work on whole lines of the selection. */
export type SelectionTransform =
  | { kind: "upper" | "lower" | "title" | "trim" }
  | { kind: "sort"; descending?: boolean; numeric?: boolean; caseInsensitive?: boolean }
  | { kind: "unique" }
  | { kind: "indent" | "dedent"; unit?: string }
  | { kind: "toggle-comment" }
  | { kind: "regex-replace"; pattern: string; flags?: string; replacement: string };

const LINE_KINDS = new Set(["sort", "unique", "indent", "dedent", "toggle-comment", "trim"]);

/**
 * The edits that apply `transform` to every selection of a document, against its current text
 * (nothing is changed: the caller, or the editor, applies them). Case changes and regex replace act
 * on the selected characters (each line's part of a block); sort, unique, indent, dedent, comment
 * toggling and trimming act on the whole lines a selection touches, or on the line under an empty
 * cursor. Selections that touch the same lines are merged so edits never overlap.
 */
export function transformSelections(
  document: EditorDocument,
  selections: readonly Selection[],
  transform: SelectionTransform,
): TextChange[] {
  const lines = document.lines;
  if (LINE_KINDS.has(transform.kind)) {
    return lineSpans(lines, selections).flatMap(([first, last]) => {
      const original = linesOf(lines, first, last);
      const changed = transformLines(original, transform, document.languageId, document.tabSize);
      if (changed.join("\n") === original.join("\n")) return [];
      return [
        {
          range: {
            start: { line: first, character: 0 },
            end: { line: last, character: lines.lineEnd(last) - lines.lineStart(last) },
          },
          text: changed.join(eolOf(lines)),
        },
      ];
    });
  }
  const edits: TextChange[] = [];
  for (const selection of selections) {
    const selected = selectText(lines, selection, document.tabSize);
    if (selected.isEmpty) continue;
    for (const part of characterParts(lines, selection, selected, document.tabSize)) {
      const next = transformText(part.text, transform);
      if (next !== part.text) edits.push({ range: part.range, text: next });
    }
  }
  return edits;
}

/** The pieces a character-wise transform edits: one for char and line selections, one per line of a block. */
function characterParts(
  lines: TextLines,
  selection: Selection,
  selected: SelectedText,
  tabSize: number,
): { text: string; range: Range }[] {
  if (selected.mode !== "block") return [selected];
  return blockSpans(lines, selection, tabSize).map(({ line, start, end }) => ({
    text: lines.lineText(line).slice(start, end),
    range: { start: { line, character: start }, end: { line, character: end } },
  }));
}

function transformText(text: string, transform: SelectionTransform): string {
  switch (transform.kind) {
    case "upper":
      return text.toUpperCase();
    case "lower":
      return text.toLowerCase();
    case "title":
      return text.replace(/\p{L}[\p{L}\p{Mn}'’]*/gu, (w) => w[0]?.toUpperCase() + w.slice(1).toLowerCase());
    case "regex-replace": {
      let pattern: RegExp;
      try {
        pattern = new RegExp(transform.pattern, transform.flags ?? "g");
      } catch (error) {
        throw invalidRegex(transform.pattern, error);
      }
      return text.replace(pattern, transform.replacement);
    }
    default:
      return text;
  }
}

function transformLines(
  lines: string[],
  transform: SelectionTransform,
  languageId: string,
  tabSize: number,
): string[] {
  switch (transform.kind) {
    case "trim":
      return lines.map((l) => l.replace(/[ \t]+$/, ""));
    case "sort": {
      const collator = new Intl.Collator(undefined, {
        numeric: transform.numeric ?? false,
        sensitivity: transform.caseInsensitive ? "accent" : "variant",
      });
      const sorted = [...lines].sort(collator.compare);
      return transform.descending ? sorted.reverse() : sorted;
    }
    case "unique": {
      const seen = new Set<string>();
      return lines.filter((l) => !seen.has(l) && seen.add(l) !== undefined);
    }
    case "indent": {
      const unit = transform.unit ?? "  ";
      return lines.map((l) => (l.trim() === "" ? l : unit + l));
    }
    case "dedent": {
      const unit = transform.unit ?? "  ";
      const width = unit === "\t" ? tabSize : unit.length;
      return lines.map((l) => dedentOnce(l, width, tabSize));
    }
    case "toggle-comment":
      return toggleComment(lines, languageId);
    default:
      return lines;
  }
}

/** Removes up to `width` columns of leading whitespace (a tab counts as its width). */
function dedentOnce(line: string, width: number, tabSize: number): string {
  let columns = 0;
  let i = 0;
  while (i < line.length && columns < width) {
    const c = line[i];
    if (c === " ") columns++;
    else if (c === "\t") columns += tabSize;
    else break;
    i++;
  }
  return line.slice(i);
}

/**
 * Comments every non-blank line at the lines' smallest indentation, or, if every non-blank line
 * is already commented, removes the comment markers (and one space after them).
 */
function toggleComment(lines: string[], languageId: string): string[] {
  const syntax = commentSyntax(languageId);
  if (!syntax) {
    throw new EngineError("INVALID_ARGUMENT", `no comment syntax is known for language "${languageId}"`);
  }
  const [open, close] = "line" in syntax ? [syntax.line, ""] : [syntax.open, syntax.close];
  const content = lines.filter((l) => l.trim() !== "");
  const commented =
    content.length > 0 &&
    content.every((l) => {
      const t = l.trim();
      return t.startsWith(open) && t.endsWith(close);
    });
  if (commented) {
    return lines.map((l) => {
      if (l.trim() === "") return l;
      const indent = l.length - l.trimStart().length;
      let body = l.slice(indent + open.length);
      if (close) body = body.slice(0, body.lastIndexOf(close)).replace(/ $/, "");
      return l.slice(0, indent) + body.replace(/^ /, "");
    });
  }
  const indent = Math.min(...content.map((l) => l.length - l.trimStart().length));
  return lines.map((l) =>
    l.trim() === "" ? l : `${l.slice(0, indent)}${open} ${l.slice(indent)}${close ? ` ${close}` : ""}`,
  );
}

/** [first, last] line spans of the selections, merged where they overlap, in order. */
function lineSpans(lines: TextLines, selections: readonly Selection[]): [number, number][] {
  const spans = selections
    .map((s): [number, number] => {
      const a = Math.min(s.anchor.line, s.active.line);
      let b = Math.max(s.anchor.line, s.active.line);
      // A char selection ending at column 0 of a line does not include that line (as editors do).
      const end = s.anchor.line > s.active.line ? s.anchor : s.active;
      if ((s.mode ?? "char") === "char" && b > a && end.character === 0) b--;
      return [Math.max(0, a), Math.min(lines.lineCount - 1, b)];
    })
    .sort((x, y) => x[0] - y[0]);
  const merged: [number, number][] = [];
  for (const span of spans) {
    const last = merged[merged.length - 1];
    if (last && span[0] <= last[1]) last[1] = Math.max(last[1], span[1]);
    else merged.push([span[0], span[1]]);
  }
  return merged;
}

function linesOf(lines: TextLines, first: number, last: number): string[] {
  const out: string[] = [];
  for (let line = first; line <= last; line++) out.push(lines.lineText(line));
  return out;
}

/** The document's line break, as its first line ends: CRLF, else LF. */
function eolOf(lines: TextLines): string {
  return lines.slice(lines.lineEnd(0), lines.lineStart(1)) === "\r\n" ? "\r\n" : "\n";
}
