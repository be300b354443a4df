import { closeSync, fstatSync, lstatSync, openSync, readlinkSync, type Stats } from "node:fs";
import { EngineError, fromSystemError } from "../errors.js";
import { fileIdentity } from "./line-starts-cache.js";
import { readFully } from "./read-fully.js";
import { sha256, sniffEncoding, TextContent, type TextEncodingName } from "./text-content.js";

/** What file_info reports. Content facts (encoding, lines, hash) only for files read whole. */
export interface FileInfo {
  path: string;
  type: "file" | "directory" | "symlink" | "other";
  size: number;
  mtime: string;
  /** Permission bits in octal, e.g. "0644". */
  mode: string;
  /** Set when the requested path is itself a symbolic link (then `path` is where it leads). */
  symlinkTarget?: string;
  encoding?: TextEncodingName;
  binary?: boolean;
  validUtf8?: boolean;
  lines?: number;
  eol?: string;
  sha256?: string;
}

interface Entry {
  identity: string;
  info: FileInfo;
}

/**
 * File metadata, cached per path. The watcher drops entries as files change; every hit is also
 * checked against a fresh stat (a few microseconds), so a late or missing watcher event can make
 * the cache slower but never wrong. What the cache saves is the content work: reading, hashing and
 * counting lines.
 */
export class FileInfoCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly contentLimit = 8 * 1024 * 1024,
    private readonly maxEntries = 10_000,
  ) {}

  /** Metadata of `path` (canonical, confined); `requested` is the lexical path, to report links. */
  get(path: string, requested?: string): FileInfo {
    let stats: Stats;
    try {
      stats = lstatSync(path);
    } catch (error) {
      throw fromSystemError(error, "Cannot inspect", path);
    }
    const identity = fileIdentity(stats);
    let info = this.entries.get(path);
    if (info?.identity !== identity) {
      info = { identity, info: this.describe(path, stats) };
      this.entries.delete(path);
      this.entries.set(path, info);
      if (this.entries.size > this.maxEntries)
        this.entries.delete(this.entries.keys().next().value as string);
    }
    const link = requested !== undefined && requested !== path ? linkTarget(requested) : undefined;
    return link === undefined ? info.info : { ...info.info, symlinkTarget: link };
  }

  /** The watcher saw `path` change. */
  invalidate(path: string): void {
    this.entries.delete(path);
  }

  get size(): number {
    return this.entries.size;
  }

  private describe(path: string, stats: Stats): FileInfo {
    const info: FileInfo = {
      path,
      type: stats.isFile()
        ? "file"
        : stats.isDirectory()
          ? "directory"
          : stats.isSymbolicLink()
            ? "symlink"
            : "other",
      size: stats.size,
      mtime: stats.mtime.toISOString(),
      mode: `0${(stats.mode & 0o777).toString(8)}`,
    };
    if (!stats.isFile()) return info;
    if (stats.size > this.contentLimit) {
      const head = readHead(path, 8_000);
      info.encoding = sniffEncoding(head);
      info.binary = info.encoding === "binary";
      return info;
    }
    const raw = readHead(path, stats.size);
    info.sha256 = sha256(raw);
    const text = TextContent.of(raw);
    info.binary = text === null;
    info.encoding = text?.encoding ?? "binary";
    if (text) {
      info.validUtf8 = text.validUtf8;
      info.lines = text.lineCount;
      info.eol = text.lines.eol;
    }
    return info;
  }
}

function readHead(path: string, length: number): Buffer {
  const fd = openSync(path, "r");
  try {
    return readFully(fd, Math.min(length, fstatSync(fd).size));
  } catch (error) {
    throw error instanceof EngineError ? error : fromSystemError(error, "Cannot read", path);
  } finally {
    closeSync(fd);
  }
}

function linkTarget(requested: string): string | undefined {
  try {
    return lstatSync(requested).isSymbolicLink() ? readlinkSync(requested) : undefined;
  } catch {
    return undefined;
  }
}
