import { EngineError, invalidRegex } from "../errors.js";
import { type FileScope, fanOutFiles } from "../workers/file-fan-out.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import type { LineMatch, MatchSpec } from "./line-matcher.js";
import type { FileMatches, SearchTaskResult } from "./search-task.js";

export interface SearchQuery {
  /** A literal, several literals (any matches), or a regular expression (JavaScript syntax). */
  patterns: string[];
  regex?: boolean;
  /** true, false, or "smart": ignore case unless a pattern has an upper-case letter (default). */
  ignoreCase?: boolean | "smart";
}

/** Where to search: folders to walk, each with the workspace root it lies in, and the walk's rules. */
export type SearchScope = FileScope;

export interface SearchOptions {
  /** Matching lines to return at most, across all files (default 200). */
  maxResults?: number;
  /** Stop after this long and return what was found, marked partial (default 10 s). */
  timeoutMs?: number;
  context?: number;
  maxLineChars?: number;
  maxFileBytes?: number;
  signal?: AbortSignal;
  /** Called as batches finish, with files searched so far. */
  onProgress?(searched: number): void;
}

export interface SearchResult {
  files: FileMatches[];
  /** Matching lines returned. */
  matches: number;
  /** True when the cap, the time limit or a cancellation cut the search short. */
  partial: boolean;
  reason?: "limit" | "timeout" | "cancelled" | "size";
  stats: { searched: number; bytes: number; skippedBinary: number; skippedLarge: number; elapsedMs: number };
}

/**
 * Searches files on the worker pool (see fanOutFiles for the walk, backpressure, time limit and
 * cancellation); results come back grouped by file, sorted by path. The global cap is shared with
 * the workers through shared memory, so they stop as soon as enough lines have matched anywhere.
 */
export async function search(
  pool: WorkerPool,
  scope: SearchScope,
  query: SearchQuery,
  options: SearchOptions = {},
): Promise<SearchResult> {
  const started = performance.now();
  const spec = matchSpec(query, options);
  const maxResults = options.maxResults ?? 200;
  const budget = new SharedArrayBuffer(4);
  Atomics.store(new Int32Array(budget), 0, maxResults);
  const files: FileMatches[] = [];
  const stats = { searched: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, elapsedMs: 0 };
  const maxFileBytes = options.maxFileBytes ?? 16 * 1024 * 1024;
  const reason = await fanOutFiles(
    pool,
    scope,
    (batch, signal, deadline) =>
      pool.run("search", { files: batch, spec, budget, maxFileBytes, deadline }, signal),
    (result: SearchTaskResult) => {
      files.push(...result.results);
      stats.searched += result.searched;
      stats.bytes += result.bytes;
      stats.skippedBinary += result.skippedBinary;
      stats.skippedLarge += result.skippedLarge;
      options.onProgress?.(stats.searched);
      return result.limited ? "limit" : "continue";
    },
    options,
  );

  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let matches = trim(files, maxResults);
  let why: SearchResult["reason"] = reason;
  const sized = bound(files, MAX_RESULT_CHARS);
  if (sized < matches) {
    matches = sized;
    why ??= "size";
  }
  stats.elapsedMs = Math.round(performance.now() - started);
  const result: SearchResult = { files, matches, partial: why !== undefined, stats };
  if (why) result.reason = why;
  return result;
}

/**
 * The characters a regular expression matches literally, for smart case: escapes written for a
 * character count as it (`\x41` is `A`), escaped punctuation as itself; group names, property and
 * class escapes (`\p{Lu}`, `\S`), quantifier bounds and metacharacters are no literals.
 */
function regexLiterals(source: string): string {
  const code = (hex: string) => {
    const value = Number.parseInt(hex, 16);
    return value <= 0x10ffff ? String.fromCodePoint(value) : "";
  };
  return source
    .replace(/\(\?P?<([A-Za-z_$][\w$]*)>/g, "(")
    .replace(/\\k<[^>]*>/g, "")
    .replace(/\\[pP]\{[^}]*\}/g, "")
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => code(hex))
    .replace(/\\u\{([0-9a-fA-F]{1,6})\}/g, (_, hex: string) => code(hex))
    .replace(/\\u([0-9a-fA-F]{4})/g, (_, hex: string) => code(hex))
    .replace(/\\[^A-Za-z0-9]/g, "\u0001") // escaped punctuation: a literal, of no case
    .replace(/\\./g, "")
    .replace(/\{\d+(?:,\d*)?\}/g, "")
    .replace(/[.*+?()[\]{}|^$]/g, "");
}

/** What one search's patterns may hold together: far beyond any real search, far below a GB table. */
const MAX_PATTERN_CHARS = 100_000;

/** Validates the query and turns it into what the workers run. */
function matchSpec(query: SearchQuery, options: SearchOptions): MatchSpec {
  const patterns = query.patterns.filter((p) => p !== "");
  if (patterns.length === 0)
    throw new EngineError("INVALID_ARGUMENT", "Give a non-empty pattern to search for");
  if (query.regex && patterns.length > 1) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      "Give one regular expression (use | for alternatives), not several",
    );
  }
  if (patterns.reduce((total, p) => total + p.length, 0) > MAX_PATTERN_CHARS) {
    // Several literals compile to one automaton whose table grows with their total length.
    throw new EngineError(
      "INVALID_ARGUMENT",
      `The patterns may hold at most ${MAX_PATTERN_CHARS} characters together`,
    );
  }
  if (patterns.some((p) => p.includes("\n"))) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      "A pattern cannot hold a line break: search matches within one line (use \\s or $ in a regular expression)",
    );
  }
  const smart = query.ignoreCase === undefined || query.ignoreCase === "smart";
  // In a regular expression, escapes (\S, \W, \p{Lu}) are not upper-case letters the user typed.
  // As rg -S decides: case is ignored when the patterns hold a literal character and none is upper
  // case; with no literal at all (`\p{Lu}`, `\d+`) case is kept, so a Unicode property means its case.
  const texts = patterns.map((p) => (query.regex ? regexLiterals(p) : p));
  const ignoreCase = smart
    ? texts.every((t) => t === t.toLowerCase()) && texts.some((t) => t.length > 0)
    : query.ignoreCase === true;
  let unicode = false;
  if (query.regex) {
    try {
      new RegExp(patterns[0] as string, "gmu");
      unicode = true;
    } catch {
      // Not valid with the u flag (`\-` outside a class, a lone `{`): the older syntax, if valid.
      try {
        new RegExp(patterns[0] as string, "gm");
      } catch (error) {
        throw invalidRegex(patterns[0] as string, error);
      }
    }
    if (escapesLineFeed(patterns[0] as string, unicode)) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        "A regular expression cannot match \\n: search matches within one line (use $ for a line's end)",
      );
    }
  }
  return {
    mode: query.regex ? "regex" : "literal",
    patterns,
    ignoreCase,
    ...(unicode ? { unicode } : {}),
    context: Math.max(0, Math.min(options.context ?? 0, 20)),
    maxLineChars: options.maxLineChars ?? 300,
  };
}

/**
 * Characters of line text (matches and their context) one result may hold: long lines and wide
 * context made answers of over 100 MB. A result cut here is partial, with the reason "size".
 */
const MAX_RESULT_CHARS = 2_000_000;

/** Cuts `files` after the match that brings their text past `max` characters; the lines kept. */
function bound(files: FileMatches[], max: number): number {
  let chars = 0;
  let count = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as FileMatches;
    for (let k = 0; k < file.matches.length; k++) {
      const match = file.matches[k] as LineMatch;
      chars += match.text.length;
      for (const line of match.before ?? []) chars += line.length;
      for (const line of match.after ?? []) chars += line.length;
      if (chars > max) {
        file.matches = file.matches.slice(0, k) as LineMatch[];
        files.length = k > 0 ? i + 1 : i;
        return count;
      }
      count++;
    }
  }
  return count;
}

/** Workers may overshoot the cap by a line or two between them; cut to it exactly. */
function trim(files: FileMatches[], max: number): number {
  let count = 0;
  for (let i = 0; i < files.length; i++) {
    const file = files[i] as FileMatches;
    if (count + file.matches.length > max) {
      file.matches = file.matches.slice(0, max - count) as LineMatch[];
      files.length = file.matches.length > 0 ? i + 1 : i;
      return max;
    }
    count += file.matches.length;
  }
  return count;
}

/** An escape for a line feed: `\n`, `\x0a`, `\u000a`, `\cJ` (after the backslash); `\u{a}` with u. */
const LINE_FEED_ESCAPE = /^(?:n|x0[aA]|u000[aA]|c[jJ])/;
const LINE_FEED_ESCAPE_U = /^(?:n|x0[aA]|u000[aA]|u\{0*[aA]\}|c[jJ])/;

/** Whether `source` writes a line feed outside a character class, which no line holds. */
function escapesLineFeed(source: string, unicode: boolean): boolean {
  const lineFeed = unicode ? LINE_FEED_ESCAPE_U : LINE_FEED_ESCAPE;
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === "\\") {
      if (!inClass && lineFeed.test(source.slice(i + 1, i + 9))) return true;
      i++;
    } else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
  }
  return false;
}
