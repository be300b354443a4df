import { readForScan } from "../files/scan-read.js";
import { compileMatcher, type LineMatch, type LineMatcher, type MatchSpec } from "./line-matcher.js";

/** One worker task: search a batch of files. */
export interface SearchTask {
  files: string[];
  spec: MatchSpec;
  /** Int32 shared by every task of one search: matching lines still wanted (the global cap). */
  budget: SharedArrayBuffer;
  /** Files larger than this are skipped. */
  maxFileBytes: number;
  /** The search's time limit (epoch ms): past it no further file is read, and what was found returns. */
  deadline?: number;
}

export interface FileMatches {
  path: string;
  matches: LineMatch[];
}

export interface SearchTaskResult {
  results: FileMatches[];
  searched: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  /** The global cap ran out during this task. */
  limited: boolean;
}

let compiled: { key: string; matcher: LineMatcher } | undefined;

/** Runs in a worker thread: reads each file once and collects its matching lines. */
export function searchFiles(task: SearchTask): SearchTaskResult {
  const key = JSON.stringify(task.spec);
  if (compiled?.key !== key) compiled = { key, matcher: compileMatcher(task.spec) };
  const matcher = compiled.matcher;
  const budget = new Int32Array(task.budget);
  const result: SearchTaskResult = {
    results: [],
    searched: 0,
    bytes: 0,
    skippedBinary: 0,
    skippedLarge: 0,
    limited: false,
  };
  const take = (): boolean => {
    if (Atomics.sub(budget, 0, 1) > 0) return true;
    result.limited = true;
    return false;
  };
  const deadline = task.deadline;
  const expired = deadline === undefined ? () => false : (): boolean => Date.now() > deadline;
  // Once the cap is used up, files are still read until one more matching line turns up: only
  // that says the results were cut (a search with exactly the cap's worth of lines is whole).
  // Past the time limit no file is begun, and the one being scanned stops, keeping its matches.
  for (const path of task.files) {
    if (result.limited || expired()) break;
    const bytes = readForScan(path, task.maxFileBytes, true);
    if (bytes === "unreadable") continue;
    if (bytes === "large") {
      result.skippedLarge++;
      continue;
    }
    result.searched++;
    if (bytes === "binary") {
      result.skippedBinary++;
      continue;
    }
    result.bytes += bytes.length;
    const matches = matcher.scan(bytes, take, expired);
    if (matches.length > 0) result.results.push({ path, matches: shownOnce(matches) });
  }
  return result;
}

/**
 * Each line once, as ripgrep prints them: a match's context stops before the next matching line,
 * and leaves out lines the match before has shown (as itself or as its context). Context that
 * overlapped repeated every line of a dense file about 2 × context + 1 times.
 */
function shownOnce(matches: LineMatch[]): LineMatch[] {
  let shown = 0; // the last line number shown so far
  for (let k = 0; k < matches.length; k++) {
    const match = matches[k] as LineMatch;
    const before = match.before;
    if (before && before.length > 0) {
      const drop = shown - (match.line - before.length) + 1;
      if (drop > 0) match.before = before.slice(Math.min(drop, before.length));
    }
    const next = matches[k + 1];
    const after = match.after;
    if (after && next)
      match.after = after.slice(0, Math.max(0, Math.min(after.length, next.line - match.line - 1)));
    shown = Math.max(shown, match.line + (match.after?.length ?? 0));
  }
  return matches;
}
