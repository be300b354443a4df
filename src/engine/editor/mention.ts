import { isAbsolute } from "node:path";
import { EngineError } from "../errors.js";

/**
 * A file, folder or range of lines the user sent to the agent from the editor: Claude Code's
 * at-mention (`@file#L3-7` in its prompt), which IDEs announce with the `at_mentioned` notification.
 */
const MAX_PATH_BYTES = 4096;

export interface Mention {
  /** Absolute path; a folder's ends with a path separator. */
  path: string;
  /** First line, 0-based; absent when the whole file (or folder) is meant. */
  lineStart?: number;
  /** Last line, 0-based and included; present whenever lineStart is. */
  lineEnd?: number;
  /** Milliseconds since the epoch. */
  at: number;
}

/** A mention as an adapter reports it, before it is checked. */
export interface MentionInput {
  path: unknown;
  lineStart?: unknown;
  lineEnd?: unknown;
}

/**
 * Checks a reported mention: an absolute path, and lines that are 0-based integers in order. Only
 * one line given means that line. Folders (a trailing separator) take no lines.
 */
export function checkMention(input: MentionInput, at: number): Mention {
  const { path, lineStart, lineEnd } = input;
  if (typeof path !== "string" || path.length === 0 || !isAbsolute(path) || path.includes("\0")) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      `a mention needs an absolute path, got ${JSON.stringify(typeof path === "string" ? path.slice(0, 200) : path)}`,
    );
  }
  // Kept and sent to every IDE client: no longer than a path can be (Linux's PATH_MAX).
  if (Buffer.byteLength(path) > MAX_PATH_BYTES) {
    throw new EngineError("INVALID_ARGUMENT", `a mention's path is longer than ${MAX_PATH_BYTES} bytes`);
  }
  const line = (value: unknown, name: string): number | undefined => {
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `${name} must be a 0-based line number, got ${JSON.stringify(value)}`,
      );
    }
    return value;
  };
  const start = line(lineStart, "lineStart");
  const end = line(lineEnd, "lineEnd");
  const first = start ?? end;
  const last = end ?? start;
  if (first === undefined || last === undefined || /[/\\]$/.test(path)) return { path, at };
  if (last < first) {
    throw new EngineError("INVALID_ARGUMENT", `lineEnd (${last}) comes before lineStart (${first})`);
  }
  return { path, lineStart: first, lineEnd: last, at };
}
