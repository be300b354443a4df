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
  /**
   * A regular expression is compiled with the `u` flag (so `\p{Lu}`, `\u{1F600}` and astral `.`
   * mean what they say); set when the pattern is valid that way, else it keeps the older syntax.
   */
  unicode?: boolean;
  /** Lines of context before and after each matching line. */
  context: number;
  /** Longest line text returned; longer lines are cut around the match. */
  maxLineChars: number;
}

/** UTF-8 of the Kelvin sign and the long s, which /iu folds with k and s. */
const KELVIN = Buffer.from("\u212a");
const LONG_S = Buffer.from("\u017f");

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
  /**
   * Matching lines in order. `take()` is asked before each and stops the scan when false (the
   * global cap); `expired()`, asked as lines are tried (at each candidate of a regular expression,
   * every `CHECK_EVERY` lines of a literal), stops it when true (the time limit), so a long file
   * keeps what was found in it.
   */
  scan(bytes: Buffer, take: () => boolean, expired?: () => boolean): LineMatch[];
}

/** Literal matches between two looks at the clock. */
const CHECK_EVERY = 256;
const NEVER = (): boolean => false;

/** Compiles a spec once per task. Regex syntax errors surface here, with the engine's message. */
export function compileMatcher(spec: MatchSpec): LineMatcher {
  if (spec.mode === "regex") return new RegexMatcher(spec);
  // The byte matchers fold ASCII letters only; `café` must find `CAFÉ` too, as a regex's /i does.
  if (spec.ignoreCase && spec.patterns.some((p) => !isAscii(Buffer.from(p)))) {
    const source = spec.patterns.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|");
    return new RegexMatcher({ ...spec, mode: "regex", patterns: [source] });
  }
  if (spec.patterns.length === 1) return new LiteralMatcher(spec);
  if (!spec.ignoreCase && spec.patterns.length <= FEW_LITERALS) return new FewLiteralsMatcher(spec);
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

  scan(bytes: Buffer, take: () => boolean, expired: () => boolean = NEVER): LineMatch[] {
    const found: LineMatch[] = [];
    let line = 1;
    let counted = 0; // line breaks are counted up to here
    let at = this.next(bytes, 0);
    for (let tried = 1; at !== -1; tried++) {
      if (tried % CHECK_EVERY === 0 && expired()) break;
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

/** Up to this many case-sensitive literals are searched one native scan each, not by automaton. */
const FEW_LITERALS = 8;

/**
 * A few case-sensitive literals: each is found with Buffer#indexOf (native, vectorised), and each
 * one's next position is kept until the scan passes it, so every literal is searched once per
 * file however many lines match. Three literals cost about a third of the JavaScript automaton's
 * pass over every byte.
 */
class FewLiteralsMatcher extends ByteMatcher {
  private readonly needles: Buffer[];
  /** Per needle: its next match at or after the last `from` asked; -1 when there is none left. */
  private readonly nextAt: number[];

  constructor(spec: MatchSpec) {
    super(spec);
    this.needles = spec.patterns.filter((p) => p !== "").map((p) => Buffer.from(p));
    this.nextAt = this.needles.map(() => -1);
  }

  override scan(bytes: Buffer, take: () => boolean, expired?: () => boolean): LineMatch[] {
    // Nothing is known of a new file: every needle is looked for from its start.
    this.nextAt.fill(-2);
    return super.scan(bytes, take, expired);
  }

  protected next(bytes: Buffer, from: number): number {
    let best = -1;
    for (let k = 0; k < this.needles.length; k++) {
      let at = this.nextAt[k] as number;
      if (at === -1) continue;
      if (at < from) {
        at = bytes.indexOf(this.needles[k] as Buffer, from);
        this.nextAt[k] = at;
        if (at === -1) continue;
      }
      if (best === -1 || at < best) best = at;
    }
    return best;
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
 * Regular expressions match within one line, as in ripgrep: a line's text is what lies between two
 * line feeds, without a carriage return before the second or a byte-order mark before the first,
 * and `^` and `$` anchor at its ends only (a lone CR inside it is just a character). To find the
 * lines worth trying fast, the expression first runs over the decoded text, whole, with the `m`
 * flag: a line holding a match holds the start of the first whole-text match from its own start.
 * Each line found that way is then matched alone, so a match that only ran across a line break
 * (`\sfoo` reaching into the next line), or that only matched beside a `\r`, does not count.
 * Pure-ASCII files are decoded as latin1, which is the same text and several times cheaper.
 */
class RegexMatcher implements LineMatcher {
  private readonly regex: RegExp;
  /** The expression for one line's text: anchors at its ends only. */
  private readonly line: RegExp;
  /** A literal every match contains: files without it are skipped undecoded. */
  private readonly prefilter: Buffer | null;

  constructor(private readonly spec: MatchSpec) {
    const source = spec.patterns[0] as string;
    // A lookaround at a line's edge would see the neighbouring line in the whole text, and so miss
    // candidates: the whole-text pass runs without them (they only ever narrow a match), or, where
    // that is not safe, takes every line as a candidate.
    const candidates = /\(\?<?[=!]/.test(source) ? withoutLookarounds(source) : source;
    const flags = `${spec.ignoreCase ? "i" : ""}${spec.unicode ? "u" : ""}`;
    this.regex = candidateRegex(candidates, flags);
    this.line = new RegExp(source, flags);
    const literal = requiredLiteral(source);
    // Case folding in the byte search is ASCII-only, so a non-ASCII literal under /i is not used.
    // Under /iu, k and s also fold to the Kelvin sign and the long s: a file holding either is
    // searched whatever the prefilter says.
    this.prefilter =
      literal !== null && (!spec.ignoreCase || isAscii(Buffer.from(literal))) ? Buffer.from(literal) : null;
    this.foldsBeyondAscii =
      spec.ignoreCase && spec.unicode === true && literal !== null && /[ks]/i.test(literal);
  }

  /** Under /iu, a prefilter literal with k or s: its non-ASCII folds (K, ſ) must be looked for too. */
  private readonly foldsBeyondAscii: boolean;

  scan(bytes: Buffer, take: () => boolean, expired: () => boolean = NEVER): LineMatch[] {
    if (this.prefilter !== null) {
      const found = this.spec.ignoreCase
        ? findAllSubstrings(bytes, this.prefilter, { caseInsensitive: true, limit: 1 }).length > 0
        : bytes.indexOf(this.prefilter) !== -1;
      if (
        !found &&
        !(this.foldsBeyondAscii && (bytes.indexOf(KELVIN) !== -1 || bytes.indexOf(LONG_S) !== -1))
      )
        return [];
    }
    const ascii = isAscii(bytes);
    let text = ascii ? bytes.toString("latin1") : bytes.toString("utf8");
    // A byte-order mark is not part of the first line (`^` matches after it); context lines come
    // from the bytes, which keep it, by line.
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    // Past a final line feed there is no line (and an empty file has none).
    const last =
      text.length === 0 || text.charCodeAt(text.length - 1) === 0x0a ? text.length - 1 : text.length;
    const found: LineMatch[] = [];
    const regex = this.regex;
    regex.lastIndex = 0;
    let line = 1;
    let counted = 0;
    // Where line `line` starts in the bytes: in a file that is not ASCII, string offsets are not byte
    // offsets (an invalid byte decodes to one unit, U+FFFD, written back as three bytes).
    let lineByte = 0;
    for (;;) {
      // A candidate may take long to find or to judge (a backtracking expression): the clock is
      // read at each one, which costs little beside the matching itself.
      if (expired()) break;
      const candidate = regex.exec(text);
      if (candidate === null) break;
      const start = candidate.index === 0 ? 0 : text.lastIndexOf("\n", candidate.index - 1) + 1;
      if (start > last) break;
      let end = text.indexOf("\n", start);
      if (end === -1) end = text.length;
      for (let i = text.indexOf("\n", counted); i !== -1 && i < start; i = text.indexOf("\n", i + 1)) {
        line++;
        if (!ascii) lineByte = bytes.indexOf(0x0a, lineByte) + 1;
      }
      counted = start;
      const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
      const match = this.line.exec(text.slice(start, contentEnd));
      if (match !== null) {
        if (!take()) break;
        const byteStart = ascii ? start : lineByte;
        found.push(
          textMatch(text, bytes, ascii, this.spec, line, start, start + match.index, end, byteStart),
        );
      }
      if (end >= text.length) break;
      regex.lastIndex = end + 1;
    }
    return found;
  }
}

/**
 * `source` with its lookaround groups (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`) taken out: it matches
 * wherever `source` does, and more. Null where that is not safe to say: a back-reference (the
 * groups' numbering would change) or a pattern it cannot take apart.
 */
export function withoutLookarounds(source: string): string | null {
  if (/\\[1-9]|\\k</.test(source)) return null;
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === "\\") {
      out += source.slice(i, i + 2);
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else if (c === "(" && /^\(\?<?[=!]/.test(source.slice(i, i + 4))) {
      const end = groupEnd(source, i);
      if (end === -1) return null;
      i = end;
      // An empty group in its place keeps its neighbours apart (`a{(?=2)2}` must not become `a{2}`).
      out += "(?:)";
      // A quantifier on a lookaround (`(?=a)?`) goes with it.
      const next = source[i + 1];
      if (next !== undefined && "?*+{".includes(next)) return null;
    } else out += c;
  }
  return out;
}

/** The whole-text expression that finds candidate lines; every line where it cannot be built. */
function candidateRegex(source: string | null, flags: string): RegExp {
  if (source === null) return /^/gm;
  try {
    return new RegExp(source, `gm${flags}`);
  } catch {
    return /^/gm;
  }
}

/** The index of the `)` closing the group opened at `open`, or -1. */
function groupEnd(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") i++;
    else if (inClass) inClass = c !== "]";
    else if (c === "[") inClass = true;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i;
  }
  return -1;
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
  // A byte-order mark is not part of the first line's text, nor counted in its columns.
  const from = start === 0 && at >= 3 ? withoutBom(bytes) : start;
  // An ASCII line (most are) has one UTF-16 unit per byte: its column is a subtraction and only
  // the part of it that is returned is decoded. A minified bundle's line runs to megabytes, and
  // decoding it whole for every match was most of a workspace search's time.
  const column =
    (isAscii(bytes.subarray(from, at)) ? at - from : unitsBetween(bytes, from, at, "utf-16")) + 1;
  const match: LineMatch = { line, column, text: lineText(bytes, from, contentEnd, at, column - 1, spec) };
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
  byteStart: number,
): LineMatch {
  const contentEnd = end > start && text.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
  const match: LineMatch = {
    line,
    column: at - start + 1,
    text: cut(text.slice(start, contentEnd), at - start, spec),
  };
  if (spec.context > 0) {
    // Context lines come from the bytes; `byteStart` is where this line starts among them.
    let byteEnd = ascii ? end : bytes.indexOf(0x0a, byteStart);
    if (byteEnd === -1) byteEnd = bytes.length;
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
    lines.unshift(bytes.toString("utf8", begin === 0 ? withoutBom(bytes) : begin, contentEnd));
    end = begin - 1;
  }
  return lines;
}

/** Where the first line's text starts: after a UTF-8 byte-order mark, if there is one. */
function withoutBom(bytes: Buffer): number {
  return bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
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
  const from = cutStart(text.length, column, max);
  return `${from > 0 ? "…" : ""}${whole(text, from, from + max)}${from + max < text.length ? "…" : ""}`;
}

/** `text.slice(from, to)` without half a surrogate pair at either end. */
function whole(text: string, from: number, to: number): string {
  const low = (at: number) => {
    const code = text.charCodeAt(at);
    return code >= 0xdc00 && code <= 0xdfff;
  };
  return text.slice(from > 0 && low(from) ? from + 1 : from, to < text.length && low(to) ? to - 1 : to);
}

/**
 * `cut` of the line bytes[start, end) with the match at byte `at` (UTF-16 `column`), decoding only
 * bytes near the match: a UTF-16 unit takes at most three bytes, so `3 * max` bytes on either side
 * hold every unit the cut can keep, and past them the line is long enough that the cut's end
 * clamp cannot apply. The same string `cut` gives from the whole line.
 */
function lineText(
  bytes: Buffer,
  start: number,
  end: number,
  at: number,
  column: number,
  spec: MatchSpec,
): string {
  const max = spec.maxLineChars;
  const reach = 3 * max;
  if (end - start <= 2 * reach) return cut(bytes.toString("utf8", start, end), column, spec);
  let low = Math.max(start, at - reach);
  while (low > start && ((bytes[low] as number) & 0xc0) === 0x80) low--;
  let high = Math.min(end, at + reach);
  while (high < end && ((bytes[high] as number) & 0xc0) === 0x80) high++;
  const before = bytes.toString("utf8", low, at);
  const after = bytes.toString("utf8", at, high);
  // The line's length in units: exact when the window reaches its end, else at least this.
  const length = column + after.length + (high < end ? max : 0);
  const from = cutStart(length, column, max);
  const offset = column - before.length; // the line's unit index of the window's first unit
  const kept = whole(before + after, from - offset, from - offset + max);
  return `${from > 0 ? "…" : ""}${kept}${from + max < length ? "…" : ""}`;
}

/** Where a cut line starts: a quarter of the bound before the match, within the line. */
function cutStart(length: number, column: number, max: number): number {
  return Math.max(0, Math.min(column - (max >> 2), length - max));
}
