import { isAscii } from "node:buffer";
import { AhoCorasick } from "../text/aho-corasick.js";
import { findAllSubstrings } from "../text/substring-search.js";
import { unitsBetween } from "../text/utf8.js";
import { requiredLiteral } from "./regex-literal.js";

/** What to look for: one or more literals, or a regular expression (JavaScript syntax). */
export interface MatchSpec {
  mode: "literal" | "regex";
  /** One pattern, or several literals (any of them matches). */
  patterns: string[];
  ignoreCase: boolean;
  /** Lines of context before and after each matching line. */
  context: number;
  /** Longest line text returned; longer lines are cut around the match. */
  maxLineChars: number;
}

/** One matching line. Lines are 1-based; the column is 1-based in UTF-16 code units, as editors count. */
export interface LineMatch {
  line: number;
  column: number;
  /** The line's text (without its break), cut around the match if it is very long. */
  text: string;
  before?: string[];
  after?: string[];
}

/** A compiled spec: finds the matching lines of one file's bytes. */
export interface LineMatcher {
  /** Matching lines in order; `take()` is asked before each and stops the scan when false. */
  scan(bytes: Buffer, take: () => boolean): LineMatch[];
}

/** Compiles a spec once per task. Regex syntax errors surface here, with the engine's message. */
export function compileMatcher(spec: MatchSpec): LineMatcher {
  if (spec.mode === "regex") return new RegexMatcher(spec);
  if (spec.patterns.length === 1) return new LiteralMatcher(spec);
  return new MultiMatcher(spec);
}

/**
 * Shared by the byte-level matchers: given match offsets in ascending order, groups them by line
 * and builds one LineMatch per line, counting line breaks only between consecutive matches.
 */
abstract class ByteMatcher implements LineMatcher {
  constructor(protected readonly spec: MatchSpec) {}

  /** Match start offsets from `from`, ascending, the first of each line enough. */
  protected abstract next(bytes: Buffer, from: number): number;

  scan(bytes: Buffer, take: () => boolean): LineMatch[] {
    const found: LineMatch[] = [];
    let line = 1;
    let counted = 0; // line breaks are counted up to here
    let at = this.next(bytes, 0);
    while (at !== -1) {
      if (!take()) break;
      const start = lineStart(bytes, at);
      line += countBreaks(bytes, counted, start);
      counted = start;
      let end = bytes.indexOf(0x0a, at);
      if (end === -1) end = bytes.length;
      found.push(lineMatch(bytes, this.spec, line, start, at, end));
      if (end >= bytes.length) break;
      at = this.next(bytes, end + 1);
    }
    return found;
  }
}

class LiteralMatcher extends ByteMatcher {
  private readonly needle: Buffer;

  constructor(spec: MatchSpec) {
    super(spec);
    this.needle = Buffer.from(spec.patterns[0] as string);
  }

  protected next(bytes: Buffer, from: number): number {
    if (this.needle.length === 0) return -1;
    if (!this.spec.ignoreCase) return bytes.indexOf(this.needle, from);
    return findAllSubstrings(bytes, this.needle, { caseInsensitive: true, limit: 1, from })[0] ?? -1;
  }
}

class MultiMatcher extends ByteMatcher {
  private readonly automaton: AhoCorasick;
  private starts: number[] = [];
  private cursor = 0;
  private current: Buffer | undefined;

  constructor(spec: MatchSpec) {
    super(spec);
    this.automaton = new AhoCorasick(spec.patterns, { caseInsensitive: spec.ignoreCase });
  }

  protected next(bytes: Buffer, from: number): number {
    if (this.current !== bytes) {
      // One pass of the automaton over the file; matches come ordered by end, lines want starts.
      this.current = bytes;
      this.starts = this.automaton.findAll(bytes).map((m) => m.start);
      this.starts.sort((a, b) => a - b);
      this.cursor = 0;
    }
    while (this.cursor < this.starts.length && (this.starts[this.cursor] as number) < from) this.cursor++;
    return this.cursor < this.starts.length ? (this.starts[this.cursor] as number) : -1;
  }
}

/**
 * Regular expressions run over the decoded text, whole, with the `m` flag so ^ and $ anchor at
 * lines. Pure-ASCII files are decoded as latin1, which is the same text and several times cheaper.
 */
class RegexMatcher implements LineMatcher {
  private readonly regex: RegExp;
  /** A literal every match contains: files without it are skipped undecoded. */
  private readonly prefilter: Buffer | null;

  constructor(private readonly spec: MatchSpec) {
    const source = spec.patterns[0] as string;
    this.regex = new RegExp(source, `gm${spec.ignoreCase ? "i" : ""}`);
    const literal = requiredLiteral(source);
    // Case folding in the byte search is ASCII-only, so a non-ASCII literal under /i is not used.
    this.prefilter =
      literal !== null && (!spec.ignoreCase || isAscii(Buffer.from(literal))) ? Buffer.from(literal) : null;
  }

  scan(bytes: Buffer, take: () => boolean): LineMatch[] {
    if (this.prefilter !== null) {
      const found = this.spec.ignoreCase
        ? findAllSubstrings(bytes, this.prefilter, { caseInsensitive: true, limit: 1 }).length > 0
        : bytes.indexOf(this.prefilter) !== -1;
      if (!found) return [];
    }
    const ascii = isAscii(bytes);
    const text = ascii ? bytes.toString("latin1") : bytes.toString("utf8");
    const found: LineMatch[] = [];
    const regex = this.regex;
    regex.lastIndex = 0;
    let line = 1;
    let counted = 0;
    for (;;) {
      const match = regex.exec(text);
      if (match === null) break;
      if (!take()) break;
      const at = match.index;
      const start = at === 0 ? 0 : text.lastIndexOf("\n", at - 1) + 1;
      for (let i = text.indexOf("\n", counted); i !== -1 && i < start; i = text.indexOf("\n", i + 1)) line++;
      counted = start;
      let end = text.indexOf("\n", at);
      if (end === -1) end = text.length;
      found.push(textMatch(text, bytes, ascii, this.spec, line, start, at, end));
      if (end >= text.length) break;
      regex.lastIndex = end + 1;
    }
    return found;
  }
}

/**
 * Where the line holding byte `at` starts. Buffer#lastIndexOf reads a negative offset as counted
 * from the end, so offset 0 must not ask it for -1.
 */
function lineStart(bytes: Buffer, at: number): number {
  return at === 0 ? 0 : bytes.lastIndexOf(0x0a, at - 1) + 1;
}

function countBreaks(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(0x0a, from); i !== -1 && i < to; i = bytes.indexOf(0x0a, i + 1)) count++;
  return count;
}

function lineMatch(
  bytes: Buffer,
  spec: MatchSpec,
  line: number,
  start: number,
  at: number,
  end: number,
): LineMatch {
  const contentEnd = end > start && bytes[end - 1] === 0x0d ? end - 1 : end;
  const column = unitsBetween(bytes, start, at, "utf-16") + 1;
  const match: LineMatch = {
    line,
    column,
    text: cut(bytes.toString("utf8", start, contentEnd), column - 1, spec),
  };
  if (spec.context > 0) {
    match.before = contextBefore(bytes, start, spec.context).map((l) => cut(l, 0, spec));
    match.after = contextAfter(bytes, end, spec.context).map((l) => cut(l, 0, spec));
  }
  return match;
}

function textMatch(
  text: string,
  bytes: Buffer,
  ascii: boolean,
  spec: MatchSpec,
  line: number,
  start: number,
  at: number,
  end: number,
): LineMatch {
  const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
  const match: LineMatch = {
    line,
    column: at - start + 1,
    text: cut(text.slice(start, contentEnd), at - start, spec),
  };
  if (spec.context > 0) {
    // Context lines come from the bytes; in ASCII text string indices are byte offsets already.
    const byteStart = ascii ? start : Buffer.byteLength(text.slice(0, start));
    const byteEnd = ascii ? end : byteStart + Buffer.byteLength(text.slice(start, end));
    match.before = contextBefore(bytes, byteStart, spec.context).map((l) => cut(l, 0, spec));
    match.after = contextAfter(bytes, byteEnd, spec.context).map((l) => cut(l, 0, spec));
  }
  return match;
}

/** Up to `count` lines before the line starting at `start`. */
function contextBefore(bytes: Buffer, start: number, count: number): string[] {
  const lines: string[] = [];
  let end = start - 1; // the break ending the previous line
  while (lines.length < count && end >= 0) {
    const begin = lineStart(bytes, end);
    const contentEnd = end > begin && bytes[end - 1] === 0x0d ? end - 1 : end;
    lines.unshift(bytes.toString("utf8", begin, contentEnd));
    end = begin - 1;
  }
  return lines;
}

/** Up to `count` lines after the line ending at `end` (the offset of its break). */
function contextAfter(bytes: Buffer, end: number, count: number): string[] {
  const lines: string[] = [];
  let begin = end + 1;
  while (lines.length < count && begin < bytes.length) {
    let stop = bytes.indexOf(0x0a, begin);
    if (stop === -1) stop = bytes.length;
    const contentEnd = stop > begin && bytes[stop - 1] === 0x0d ? stop - 1 : stop;
    lines.push(bytes.toString("utf8", begin, contentEnd));
    begin = stop + 1;
  }
  return lines;
}

/** A line cut to the bound, keeping the match (at `column`, 0-based) in view. */
function cut(text: string, column: number, spec: MatchSpec): string {
  const max = spec.maxLineChars;
  if (text.length <= max) return text;
  const from = Math.max(0, Math.min(column - (max >> 2), text.length - max));
  return `${from > 0 ? "…" : ""}${text.slice(from, from + max)}${from + max < text.length ? "…" : ""}`;
}
