import type { Stats } from "node:fs";
import type { LineStarts } from "../text/line-starts.js";

interface Entry {
  identity: string;
  lines: LineStarts;
}

/** What makes a cached index stale: another inode, size, or modification or change time. */
export function fileIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

/**
 * Line indexes of large files, so a second window into a 100 MB file reads 100 lines instead of
 * scanning 100 MB. Entries are checked against the file's identity on every use (the watcher may
 * lag, or be off), evicted least recently used, and bounded by the memory their offsets hold. A
 * file being scanned is scanned once, however many calls ask for it meanwhile.
 */
export class LineStartsCache {
  private readonly entries = new Map<string, Entry>();
  private readonly scanning = new Map<string, Promise<LineStarts>>();
  private retained = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The index of `path` as `stats` describes it, built by `scan` if it is not cached. */
  async get(path: string, stats: Stats, scan: () => Promise<LineStarts>): Promise<LineStarts> {
    const identity = fileIdentity(stats);
    const entry = this.entries.get(path);
    if (entry?.identity === identity) {
      this.entries.delete(path);
      this.entries.set(path, entry);
      return entry.lines;
    }
    const key = `${path}\0${identity}`;
    let pending = this.scanning.get(key);
    if (!pending) {
      pending = scan().finally(() => this.scanning.delete(key));
      this.scanning.set(key, pending);
    }
    const lines = await pending;
    this.put(path, identity, lines);
    return lines;
  }

  /** Forgets `path` (the watcher saw it change). */
  invalidate(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    this.entries.delete(path);
    this.retained -= entry.lines.retainedBytes;
  }

  clear(): void {
    this.entries.clear();
    this.retained = 0;
  }

  private put(path: string, identity: string, lines: LineStarts): void {
    this.invalidate(path);
    if (lines.retainedBytes > this.maxBytes) return;
    this.entries.set(path, { identity, lines });
    this.retained += lines.retainedBytes;
    for (const [oldest, entry] of this.entries) {
      if (this.retained <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.retained -= entry.lines.retainedBytes;
    }
  }
}
