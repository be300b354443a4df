import type { SourceRange } from "./code-diagnostic.js";

/** A marker left in a comment. */
export interface TodoMarker {
  tag: "TODO" | "FIXME" | "XXX" | "HACK";
  text: string;
  range: SourceRange;
}

/** A tag, an optional owner in parentheses (`TODO(ana)`), then the note. */
const TAG = /\b(TODO|FIXME|XXX|HACK)\b(\([^)]*\))?[:\s]*(.*)$/;
/** Comment openers of the languages without a grammar here (shell, YAML, SQL, Lua, HTML, Lisp, ...). */
const LINE_COMMENT = /(?:^|\s|;)(?:\/\/|#|\/\*|\*|--|<!--|;|%)/;
const MAX_TEXT = 160;
/** Most comments hold no tag: one test of the whole text before splitting it into lines. */
const ANY_TAG = /TODO|FIXME|XXX|HACK/;

/**
 * Markers in one comment's text, which starts at 1-based `line`, `column` (UTF-16). Only the
 * upper-case tags count: `todo` in prose is not a marker.
 */
export function markersInComment(comment: string, line: number, column: number): TodoMarker[] {
  const found: TodoMarker[] = [];
  if (!ANY_TAG.test(comment)) return found;
  const lines = comment.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const marker = markerIn(lines[i] as string, line + i, i === 0 ? column : 1);
    if (marker) found.push(marker);
  }
  return found;
}

/**
 * Markers in a file no grammar parses: a tag on a line that has a comment opener before it.
 */
export function markersInText(text: string): TodoMarker[] {
  const found: TodoMarker[] = [];
  if (!ANY_TAG.test(text)) return found;
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as string;
    const match = TAG.exec(line);
    if (!match || !LINE_COMMENT.test(line.slice(0, match.index))) continue;
    const marker = markerIn(line, i + 1, 1);
    if (marker) found.push(marker);
  }
  return found;
}

function markerIn(lineText: string, line: number, column: number): TodoMarker | undefined {
  const match = TAG.exec(lineText);
  if (!match) return undefined;
  const text = `${match[2] ? `${match[2]} ` : ""}${match[3] ?? ""}`.replace(/\*\/\s*$|-->\s*$/, "").trim();
  const end = lineText.replace(/\s+$/, "").length;
  return {
    tag: match[1] as TodoMarker["tag"],
    text: text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text,
    range: {
      start: { line, column: column + match.index },
      end: { line, column: column + Math.max(end, match.index + (match[1] as string).length) },
    },
  };
}
