import { isUtf8 } from "node:buffer";
import { closeSync, constants, fstatSync, openSync, read, readSync, type Stats } from "node:fs";
import { promisify } from "node:util";
import type { ByteLru } from "../cache/byte-lru.js";
import { EngineError, fromSystemError } from "../errors.js";
import { type LineStarts, LineStartsBuilder } from "../text/line-starts.js";
import { boundaryAtOrBefore } from "../text/utf8.js";
import type { ByteArena } from "./byte-arena.js";
import { fileIdentity, LineStartsCache } from "./line-starts-cache.js";
import { readFully } from "./read-fully.js";
import {
  sha256,
  sniffEncoding,
  TextContent,
  type TextEncodingName,
  visibleLineCount,
} from "./text-content.js";

const readAsync = promisify(read);

/** What part of a file to read. Lines are 1-based and inclusive; at most one mode at a time. */
export interface ReadOptions {
  startLine?: number;
  endLine?: number;
  /** The first N lines. */
  head?: number;
  /** The last N lines. */
  tail?: number;
  /** A byte range: from `offset`, at most `limit` bytes (cut to character boundaries). */
  offset?: number;
  limit?: number;
  /** Prefix each line with its number, as `cat -n` does. */
  lineNumbers?: boolean;
  /** Bound on the returned content in bytes; the reader's default if absent. */
  maxBytes?: number;
}

/**
 * A window into a file, with what is needed to ask for the next one. `content` is the window's
 * text: a string from `read`, its well-formed UTF-8 bytes from `readBytes`.
 */
export interface ReadResult<Content extends string | Buffer = string> {
  path: string;
  size: number;
  mtimeMs: number;
  encoding: TextEncodingName;
  binary: boolean;
  /** False when the file has ill-formed UTF-8 (shown as U+FFFD); absent for large files. */
  validUtf8?: boolean;
  eol: LineStarts["eol"];
  totalLines: number;
  /** Lines present in `content`, 1-based and inclusive; both 0 when it is empty. */
  startLine: number;
  endLine: number;
  content: Content;
  /** The request asked for more than the bound allowed; `next` continues where this stopped. */
  truncated: boolean;
  next?: { startLine: number } | { offset: number };
  /** SHA-256 of the file's bytes, for edit preconditions; only for files read whole. */
  sha256?: string;
}

export interface FileReaderOptions {
  /** Default bound on returned content (100,000 bytes: about what an agent's tool result may hold). */
  maxBytes?: number;
  /** Files up to this size are read whole; larger ones are scanned in chunks and windowed. */
  wholeFileLimit?: number;
  /** Memory the line indexes of large files may hold (when no shared cache is given). */
  lineCacheBytes?: number;
  /**
   * The engine's shared cache: line indexes of large files, and decoded contents of files of
   * CONTENT_CACHE_MIN_BYTES or more (read whole, then served from memory while their identity holds).
   */
  cache?: ByteLru;
}

/** Smaller files are cheaper to read again than to look up and keep. */
const CONTENT_CACHE_MIN_BYTES = 16 * 1024;

/** A whole file, decoded and indexed, as the content cache keeps it. */
interface CachedContent {
  identity: string;
  encoding: TextEncodingName;
  sha256: string;
  text: TextContent;
}

/** How `readBytes` opens and holds a file (FileService.readMany's batch fast path). */
export interface ReadHow {
  /** Fail (ELOOP: IO_ERROR) rather than follow a symbolic link in the last path component. */
  noFollow?: boolean;
  /** Where a file read whole gets its buffer. */
  arena?: ByteArena;
}

/** A byte range of a file and the lines it spans (0-based, inclusive). */
interface Window {
  start: number;
  end: number;
  firstLine: number;
  lastLine: number;
  truncated: boolean;
  next?: ReadResult["next"];
}

/** Source of bytes for windowing: the whole file in memory, or the file on disk. */
interface Source {
  lines: LineStarts;
  bomLength: number;
  totalLines: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Reads windows of files. Small files (the common case) are read whole with synchronous calls,
 * which on a warm page cache cost microseconds, less than a hop through libuv's thread pool. Large
 * files are never held whole: they are scanned once in 1 MiB chunks for line starts (cached), and
 * then only the window's bytes are read, so resident memory stays a fraction of the file's size.
 * Paths must already be confined by the PathSandbox.
 */
export class FileReader {
  readonly maxBytes: number;
  private readonly wholeFileLimit: number;
  readonly lineCache: LineStartsCache;
  private readonly cache: ByteLru | undefined;

  constructor(options: FileReaderOptions = {}) {
    this.maxBytes = options.maxBytes ?? 100_000;
    this.wholeFileLimit = options.wholeFileLimit ?? 8 * 1024 * 1024;
    this.cache = options.cache;
    this.lineCache = new LineStartsCache(options.cache ?? options.lineCacheBytes);
  }

  async read(path: string, options: ReadOptions = {}): Promise<ReadResult> {
    const result = await this.readBytes(path, options);
    return { ...result, content: result.content.toString("utf8") };
  }

  /**
   * `read`, with the window's text as well-formed UTF-8 bytes (ill-formed input already replaced
   * by U+FFFD, UTF-16 transcoded), for callers that send it on as bytes and never need a string.
   */
  async readBytes(path: string, options: ReadOptions = {}, how: ReadHow = {}): Promise<ReadResult<Buffer>> {
    checkOptions(options);
    const maxBytes = options.maxBytes ?? this.maxBytes;
    let fd: number;
    try {
      fd = openSync(path, how.noFollow ? constants.O_RDONLY | constants.O_NOFOLLOW : constants.O_RDONLY);
    } catch (error) {
      throw fromSystemError(error, "Cannot read", path);
    }
    try {
      const stats = fstatSync(fd);
      if (!stats.isFile()) throw new EngineError("NOT_A_FILE", `${path} is not a regular file`);
      if (stats.size <= this.wholeFileLimit) {
        // A batch's arena buffer is reused, so what is read into it must not be cached.
        const cache =
          how.arena === undefined && stats.size >= CONTENT_CACHE_MIN_BYTES ? this.cache : undefined;
        return readWhole(path, fd, stats, options, maxBytes, how.arena?.take(stats.size), cache);
      }
      return await this.readLarge(path, fd, stats, options, maxBytes);
    } catch (error) {
      throw fromSystemError(error, "Cannot read", path);
    } finally {
      closeSync(fd);
    }
  }

  private async readLarge(
    path: string,
    fd: number,
    stats: Stats,
    options: ReadOptions,
    maxBytes: number,
  ): Promise<ReadResult<Buffer>> {
    const head = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, stats.size));
    readSync(fd, head, 0, head.length, 0);
    const encoding = sniffEncoding(head);
    const base = { path, size: stats.size, mtimeMs: stats.mtimeMs, encoding };
    if (encoding === "binary") return binaryResult(base);
    if (encoding === "utf-16le" || encoding === "utf-16be") {
      throw new EngineError(
        "FILE_TOO_LARGE",
        `${path} is UTF-16 and ${stats.size} bytes; UTF-16 files are read whole, up to ${this.wholeFileLimit} bytes`,
      );
    }
    const lines = await this.lineCache.get(path, stats, () => scanLines(fd, stats.size));
    const bomLength = encoding === "utf-8-bom" ? 3 : 0;
    const source: Source = { lines, bomLength, totalLines: visibleLineCount(lines, bomLength) };
    // The window's bytes are read with a byte to spare, so a cut can see where a character ends.
    const window = selectWindow(source, options, maxBytes, (start, end) => {
      const bytes = Buffer.allocUnsafe(Math.min(end + 4, stats.size) - start);
      readSync(fd, bytes, 0, bytes.length, start);
      return (at) => boundaryAtOrBefore(bytes, 0, at - start) + start;
    });
    const bytes = Buffer.allocUnsafe(window.end - window.start);
    readSync(fd, bytes, 0, bytes.length, window.start);
    return {
      ...base,
      binary: false,
      eol: lines.eol,
      totalLines: source.totalLines,
      ...describe(window),
      content: options.lineNumbers
        ? Buffer.from(numbered(bytes.toString("utf8"), window, source))
        : wellFormed(bytes),
    };
  }
}

/** The whole-file path: read, decode, index, window. */
function readWhole(
  path: string,
  fd: number,
  stats: Stats,
  options: ReadOptions,
  maxBytes: number,
  into?: Buffer,
  cache?: ByteLru,
): ReadResult<Buffer> {
  let text: TextContent | null;
  let base: { path: string; size: number; mtimeMs: number; encoding: TextEncodingName; sha256: string };
  const identity = cache ? fileIdentity(stats) : "";
  const cached = cache?.get<CachedContent>("file", path);
  if (cached !== undefined && cached.identity === identity) {
    text = cached.text;
    base = {
      path,
      size: stats.size,
      mtimeMs: stats.mtimeMs,
      encoding: cached.encoding,
      sha256: cached.sha256,
    };
  } else {
    const bytes = readFully(fd, stats.size, into);
    base = {
      path,
      size: bytes.length,
      mtimeMs: stats.mtimeMs,
      encoding: sniffEncoding(bytes),
      sha256: sha256(bytes),
    };
    text = TextContent.of(bytes);
    if (text !== null && cache) {
      // The bytes plus the line index (about one 4-byte offset per 40 bytes of text).
      const entry: CachedContent = { identity, encoding: base.encoding, sha256: base.sha256, text };
      cache.set("file", path, entry, bytes.length + text.lineCount * 4 + 256, path);
    }
  }
  if (text === null) return binaryResult(base);
  const source: Source = { lines: text.lines, bomLength: text.bomLength, totalLines: text.lineCount };
  const window = selectWindow(source, options, maxBytes, () => (at) => boundaryAtOrBefore(text.bytes, 0, at));
  // One literal, no spreads: spreading into a literal after other properties takes V8's generic
  // copy and can leave a slow dictionary-mode object, which cost a batch of 1,000 small files
  // about 6 ms here and more wherever the results were read again.
  const empty = window.end <= window.start;
  const result: ReadResult<Buffer> = {
    path,
    size: base.size,
    mtimeMs: base.mtimeMs,
    encoding: text.encoding,
    sha256: base.sha256,
    binary: false,
    validUtf8: text.validUtf8,
    eol: text.lines.eol,
    totalLines: source.totalLines,
    startLine: empty ? 0 : window.firstLine + 1,
    endLine: empty ? 0 : window.lastLine + 1,
    truncated: window.truncated,
    content: options.lineNumbers
      ? Buffer.from(numbered(text.slice(window.start, window.end), window, source))
      : text.validUtf8
        ? text.bytes.subarray(window.start, window.end)
        : Buffer.from(text.slice(window.start, window.end)),
  };
  if (window.next) result.next = window.next;
  return result;
}

function binaryResult(
  base: Omit<ReadResult, "binary" | "eol" | "totalLines" | "startLine" | "endLine" | "content" | "truncated">,
): ReadResult<Buffer> {
  return {
    ...base,
    encoding: "binary",
    binary: true,
    eol: "none",
    totalLines: 0,
    startLine: 0,
    endLine: 0,
    content: Buffer.alloc(0),
    truncated: false,
  };
}

/** Scans a file for line starts in chunks through one reused buffer. */
async function scanLines(fd: number, size: number): Promise<LineStarts> {
  const builder = new LineStartsBuilder(size);
  const chunk = Buffer.allocUnsafe(CHUNK_BYTES);
  let position = 0;
  for (;;) {
    const { bytesRead } = await readAsync(fd, chunk, 0, chunk.length, position);
    if (bytesRead === 0) break;
    builder.push(chunk.subarray(0, bytesRead));
    position += bytesRead;
  }
  return builder.finish();
}

function checkOptions(options: ReadOptions): void {
  const modes = [
    options.startLine !== undefined || options.endLine !== undefined,
    options.head !== undefined,
    options.tail !== undefined,
    options.offset !== undefined || options.limit !== undefined,
  ].filter(Boolean).length;
  if (modes > 1) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      "Give one of startLine/endLine, head, tail or offset/limit, not several",
    );
  }
  for (const key of ["startLine", "endLine", "head", "tail", "limit", "maxBytes"] as const) {
    const value = options[key];
    if (value !== undefined && (!Number.isInteger(value) || value < 1)) {
      throw new EngineError("INVALID_ARGUMENT", `${key} must be a positive integer, not ${value}`);
    }
  }
  if (options.offset !== undefined && (!Number.isInteger(options.offset) || options.offset < 0)) {
    throw new EngineError("INVALID_ARGUMENT", `offset must be a non-negative integer, not ${options.offset}`);
  }
  if (
    options.startLine !== undefined &&
    options.endLine !== undefined &&
    options.endLine < options.startLine
  ) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      `endLine (${options.endLine}) is before startLine (${options.startLine})`,
    );
  }
}

/**
 * Chooses the bytes to return: the requested lines or byte range, cut to `maxBytes` at a line end
 * when a whole line fits, else within the line at a character boundary. `peek(start, end)` gives a
 * function that moves a byte offset back to a character boundary, reading bytes if it must.
 */
function selectWindow(
  source: Source,
  options: ReadOptions,
  maxBytes: number,
  peek: (start: number, end: number) => (at: number) => number,
): Window {
  const { lines, totalLines } = source;
  const lineStart = (line: number) => (line === 0 ? source.bomLength : lines.start(line));
  if (options.offset !== undefined || options.limit !== undefined) {
    const size = lines.byteLength;
    const from = Math.min(Math.max(options.offset ?? 0, source.bomLength), size);
    const wanted = Math.min(size, from + (options.limit ?? maxBytes));
    const cut = Math.min(wanted, from + maxBytes);
    const snap = peek(Math.max(0, from - 3), cut);
    const start = from === 0 ? 0 : snapForward(snap, from, size);
    const end = cut >= size ? size : Math.max(start, snap(cut));
    const truncated = end < wanted;
    return {
      start,
      end,
      firstLine: lines.lineAt(start),
      lastLine: lines.lineAt(Math.max(start, end - 1)),
      truncated,
      next: end < size ? { offset: end } : undefined,
    };
  }
  if (totalLines === 0)
    return { start: source.bomLength, end: source.bomLength, firstLine: 0, lastLine: -1, truncated: false };
  let first = 0;
  let last = totalLines - 1;
  if (options.head !== undefined) last = Math.min(totalLines, options.head) - 1;
  else if (options.tail !== undefined) first = Math.max(0, totalLines - options.tail);
  else if (options.startLine !== undefined || options.endLine !== undefined) {
    first = (options.startLine ?? 1) - 1;
    if (first >= totalLines) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `startLine ${first + 1} is past the end: the file has ${totalLines} line${totalLines === 1 ? "" : "s"}`,
      );
    }
    last = Math.min(totalLines, options.endLine ?? totalLines) - 1;
  }
  const start = lineStart(first);
  const end = lines.end(last);
  if (end - start <= maxBytes) return { start, end, firstLine: first, lastLine: last, truncated: false };
  // The last line that still ends within the bound.
  const fits = lines.lineAt(start + maxBytes) - 1;
  if (fits >= first && lines.end(fits) - start <= maxBytes) {
    return {
      start,
      end: lines.end(fits),
      firstLine: first,
      lastLine: fits,
      truncated: true,
      next: { startLine: fits + 2 },
    };
  }
  // Even the first line is longer than the bound: cut inside it and continue by offset.
  const cutAt = peek(start, start + maxBytes)(start + maxBytes);
  return { start, end: cutAt, firstLine: first, lastLine: first, truncated: true, next: { offset: cutAt } };
}

/** Moves `offset` forward to the next character boundary (at most three bytes on). */
function snapForward(snap: (at: number) => number, offset: number, size: number): number {
  for (let at = offset; at < Math.min(size, offset + 4); at++) if (snap(at) === at) return at;
  return offset;
}

function describe(window: Window): Pick<ReadResult, "startLine" | "endLine" | "truncated" | "next"> {
  const empty = window.end <= window.start;
  const result: Pick<ReadResult, "startLine" | "endLine" | "truncated" | "next"> = {
    startLine: empty ? 0 : window.firstLine + 1,
    endLine: empty ? 0 : window.lastLine + 1,
    truncated: window.truncated,
  };
  if (window.next) result.next = window.next;
  return result;
}

/** Bytes of a large file's window as well-formed UTF-8: ill-formed runs become U+FFFD. */
function wellFormed(bytes: Buffer): Buffer {
  return isUtf8(bytes) ? bytes : Buffer.from(bytes.toString("utf8"));
}

/** The text numbered line by line, like `cat -n`. */
function numbered(text: string, window: Window, source: Source): string {
  if (text === "") return text;
  const width = String(source.totalLines).length;
  const parts = text.split(/(?<=\r\n|\r(?!\n)|\n)/);
  let out = "";
  for (let i = 0; i < parts.length; i++) {
    out += `${String(window.firstLine + 1 + i).padStart(Math.max(6, width))}\t${parts[i]}`;
  }
  return out;
}
