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
  // Once the cap is used up, files are still read until one more matching line turns up: only
  // that says the results were cut (a search with exactly the cap's worth of lines is whole).
  for (const path of task.files) {
    if (result.limited) break;
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
    const matches = matcher.scan(bytes, take);
    if (matches.length > 0) result.results.push({ path, matches });
  }
  return result;
}
