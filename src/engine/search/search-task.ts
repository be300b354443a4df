import { closeSync, fstatSync, openSync } from "node:fs";
import { readFully } from "../files/read-fully.js";
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

/** Git's rule for binary files: a NUL byte in the first 8,000 bytes. */
const BINARY_PROBE = 8_000;

let compiled: { key: string; matcher: LineMatcher } | undefined;
// One buffer per worker, reused for every file: nothing returned refers to the bytes.
let scratch = Buffer.allocUnsafe(1 << 20);

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
  for (const path of task.files) {
    if (Atomics.load(budget, 0) <= 0) {
      result.limited = true;
      break;
    }
    const bytes = read(path, task.maxFileBytes, result);
    if (bytes === null) continue;
    result.searched++;
    result.bytes += bytes.length;
    const probe = bytes.length > BINARY_PROBE ? bytes.subarray(0, BINARY_PROBE) : bytes;
    if (probe.indexOf(0) !== -1) {
      result.skippedBinary++;
      continue;
    }
    const matches = matcher.scan(bytes, take);
    if (matches.length > 0) result.results.push({ path, matches });
  }
  return result;
}

/** The file's bytes (in the worker's scratch buffer), or null if it is too large or unreadable. */
function read(path: string, maxBytes: number, result: SearchTaskResult): Buffer | null {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return null; // gone or unreadable since the walk saw it
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) {
      result.skippedLarge++;
      return null;
    }
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    return readFully(fd, size, scratch);
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
