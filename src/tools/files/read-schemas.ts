import type { ReadResult } from "../../engine/index.js";

/** Input properties shared by read_file and read_files: which part of a file to return. */
export const WINDOW_INPUT = {
  startLine: { type: "integer", minimum: 1, description: "First line to return (1-based)" },
  endLine: { type: "integer", minimum: 1, description: "Last line to return (inclusive)" },
  head: { type: "integer", minimum: 1, description: "Return only the first N lines" },
  tail: { type: "integer", minimum: 1, description: "Return only the last N lines" },
  offset: { type: "integer", minimum: 0, description: "Byte offset to start from (byte-range mode)" },
  limit: { type: "integer", minimum: 1, description: "Bytes to return from offset (byte-range mode)" },
  lineNumbers: { type: "boolean", description: "Prefix each line with its number, like cat -n" },
} as const;

/**
 * Structured facts about one file's window. The window's text itself goes in the result's text
 * content, once and unescaped, which is what models read; repeating it here would double the
 * cost of every read.
 */
export const WINDOW_OUTPUT = {
  path: { type: "string", description: "Canonical absolute path" },
  size: { type: "integer", description: "File size in bytes" },
  mtimeMs: { type: "number" },
  encoding: { type: "string", enum: ["utf-8", "utf-8-bom", "utf-16le", "utf-16be", "binary"] },
  binary: { type: "boolean", description: "True for binary files, whose content is not returned" },
  validUtf8: { type: "boolean", description: "False if ill-formed UTF-8 was replaced by U+FFFD" },
  eol: { type: "string", enum: ["\n", "\r\n", "\r", "mixed", "none"] },
  totalLines: { type: "integer" },
  startLine: { type: "integer", description: "First line returned (1-based; 0 if none)" },
  endLine: { type: "integer", description: "Last line returned (inclusive; 0 if none)" },
  contentBytes: { type: "integer", description: "Bytes of file text returned in the text content" },
  truncated: { type: "boolean", description: "The result was cut to its size bound; see next" },
  next: {
    type: "object",
    description: "Arguments that continue where this result stopped",
    properties: { startLine: { type: "integer" }, offset: { type: "integer" } },
    additionalProperties: false,
  },
  sha256: { type: "string", description: "SHA-256 of the file, for edit_file's expectedSha256" },
} as const;

export const WINDOW_REQUIRED = [
  "path",
  "size",
  "encoding",
  "binary",
  "eol",
  "totalLines",
  "startLine",
  "endLine",
  "contentBytes",
  "truncated",
] as const;

/** A read window as text for clients that only show text: the content, then what was left out. */
export function windowText(window: Window<string>): string {
  return windowParts(window).join("");
}

/** windowText in parts, the content as it came (a string, or UTF-8 bytes that stay bytes). */
export function windowParts<C extends string | Buffer>(window: Window<C>): (string | C)[] {
  if (window.binary) return [`(binary file, ${window.size} bytes: content not shown)`];
  if (!window.truncated || !window.next) return [window.content];
  const how =
    window.next.startLine !== undefined
      ? `startLine ${window.next.startLine}`
      : `offset ${window.next.offset}`;
  const { content } = window;
  const endsLine =
    typeof content === "string" ? content.endsWith("\n") : content[content.length - 1] === 0x0a;
  return [content, `${endsLine ? "" : "\n"}[truncated to the result bound: call again with ${how} for more]`];
}

interface Window<C extends string | Buffer> {
  path: string;
  binary: boolean;
  size: number;
  content: C;
  truncated: boolean;
  next?: { startLine?: number; offset?: number };
}

/** A window's structured facts: everything but its text, which travels as text content. */
export type WindowFacts = Omit<ReadResult<Buffer>, "content"> & { requested?: string; contentBytes: number };

/**
 * The structured facts of a window, headed by the path as it was asked for when given. Built as
 * one literal: a rest-and-spread copy took V8's generic path, microseconds a file in a batch.
 */
export function windowFacts(window: FactsSource): WindowFacts;
export function windowFacts(window: FactsSource, requested: string): WindowFacts & { requested: string };
export function windowFacts(window: FactsSource, requested?: string): WindowFacts {
  const { content } = window;
  const facts: WindowFacts = {
    path: window.path,
    size: window.size,
    mtimeMs: window.mtimeMs,
    encoding: window.encoding,
    binary: window.binary,
    eol: window.eol,
    totalLines: window.totalLines,
    startLine: window.startLine,
    endLine: window.endLine,
    truncated: window.truncated,
    contentBytes: typeof content === "string" ? Buffer.byteLength(content) : content.length,
  };
  if (requested !== undefined) facts.requested = requested;
  if (window.sha256 !== undefined) facts.sha256 = window.sha256;
  if (window.validUtf8 !== undefined) facts.validUtf8 = window.validUtf8;
  if (window.next !== undefined) facts.next = window.next;
  return facts;
}

type FactsSource = ReadResult<string> | ReadResult<Buffer>;
