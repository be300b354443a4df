import type { Stats } from "node:fs";
import { ByteLru } from "../cache/byte-lru.js";
import type { LineStarts } from "../text/line-starts.js";

interface Entry {
  identity: string;
  lines: LineStarts;
}

/** What makes a cached index stale: another inode, size, or modification or change time. */
export function fileIdentity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}:${stats.size}:${stats.mtimeMs}:${stats.ctimeMs}`;
}

const KIND = "lines";

/**
 * Line indexes of large files, so a second window into a 100 MB file reads 100 lines instead of
 * scanning 100 MB. Held in the engine's shared ByteLru (bounded by the memory their offsets hold,
 * evicted least recently used with everything else cached) and checked against the file's
 * identity on every use (the watcher may lag, or be off). A file being scanned is scanned once,
 * however many calls ask for it meanwhile.
 */
export class LineStartsCache {
  private readonly scanning = new Map<string, Promise<LineStarts>>();
  private readonly cache: ByteLru;

  /** `cache`: the shared cache, or a byte budget for a cache of its own (default 64 MiB). */
  constructor(cache: ByteLru | number = 64 * 1024 * 1024) {
    this.cache = typeof cache === "number" ? new ByteLru({ budgetBytes: cache }) : cache;
  }

  /** The index of `path` as `stats` describes it, built by `scan` if it is not cached. */
  async get(path: string, stats: Stats, scan: () => Promise<LineStarts>): Promise<LineStarts> {
    const identity = fileIdentity(stats);
    const entry = this.cache.get<Entry>(KIND, path);
    if (entry?.identity === identity) return entry.lines;
    const key = `${path}\0${identity}`;
    let pending = this.scanning.get(key);
    if (!pending) {
      pending = scan().finally(() => this.scanning.delete(key));
      this.scanning.set(key, pending);
    }
    const lines = await pending;
    this.cache.set(KIND, path, { identity, lines }, lines.retainedBytes, path);
    return lines;
  }

  /** Forgets `path` (the watcher saw it change). */
  invalidate(path: string): void {
    this.cache.delete(KIND, path);
  }
}
