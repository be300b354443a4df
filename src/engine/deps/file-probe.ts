import { type Dirent, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { within } from "../workspace/workspace-roots.js";

enum Kind {
  File,
  Directory,
  /** A symbolic link, a socket, ...: stat'ed the first time someone asks. */
  Unknown,
  Other,
}

/** Bound on a configuration file Rune will parse (tsconfig.json, package.json, go.mod). */
const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Existence checks for module resolution, answered from one directory listing per folder: probing
 * `./a` means asking for a.ts, a.tsx, a.d.ts, a.js, ... and a/index.*, and a listing answers all
 * of them with one system call. Only folders inside the roots are listed, so resolution never
 * looks outside the workspace. Listings and texts stay until `invalidate` or `clear`.
 */
export class FileProbe {
  private readonly folders = new Map<string, Map<string, Kind> | null>();
  private readonly texts = new Map<string, string | null>();

  constructor(private readonly roots: readonly string[]) {}

  /** Whether `path` lies in one of the roots, judged lexically. */
  inside(path: string): boolean {
    return this.roots.some((root) => within(path, root));
  }

  isFile(path: string): boolean {
    return this.kind(path) === Kind.File;
  }

  isDirectory(path: string): boolean {
    return this.inside(path) && (this.roots.includes(path) || this.kind(path) === Kind.Directory);
  }

  /** The names of the regular files in `folder` (links followed), or none if it is not listed. */
  filesIn(folder: string): string[] {
    const entries = this.entries(folder);
    if (!entries) return [];
    return [...entries.keys()].filter((name) => this.kind(join(folder, name)) === Kind.File);
  }

  /** A small text file's content (for configuration), or null if missing, unreadable or huge. */
  readText(path: string): string | null {
    let text = this.texts.get(path);
    if (text !== undefined) return text;
    text = null;
    if (this.isFile(path)) {
      try {
        if (statSync(path).size <= MAX_CONFIG_BYTES) text = readFileSync(path, "utf8");
      } catch {
        text = null;
      }
    }
    this.texts.set(path, text);
    return text;
  }

  /**
   * Forgets what was known of `path` and of the listings of the folders holding it: a file in a new
   * folder is news to every folder above that did not hold that folder before.
   */
  invalidate(path: string): void {
    this.folders.delete(path);
    this.texts.delete(path);
    for (let folder = dirname(path); this.inside(folder); folder = dirname(folder)) {
      this.folders.delete(folder);
      if (dirname(folder) === folder) break;
    }
  }

  clear(): void {
    this.folders.clear();
    this.texts.clear();
  }

  private kind(path: string): Kind | undefined {
    const entries = this.entries(dirname(path));
    const name = basename(path);
    const kind = entries?.get(name);
    if (kind !== Kind.Unknown) return kind;
    let resolved = Kind.Other;
    try {
      const stats = statSync(path);
      resolved = stats.isFile() ? Kind.File : stats.isDirectory() ? Kind.Directory : Kind.Other;
    } catch {}
    entries!.set(name, resolved);
    return resolved;
  }

  private entries(folder: string): Map<string, Kind> | null {
    let entries = this.folders.get(folder);
    if (entries !== undefined) return entries;
    entries = null;
    if (this.inside(folder)) {
      let listing: Dirent[] = [];
      try {
        listing = readdirSync(folder, { withFileTypes: true });
      } catch {}
      entries = new Map();
      for (const entry of listing) {
        entries.set(
          entry.name,
          entry.isFile() ? Kind.File : entry.isDirectory() ? Kind.Directory : Kind.Unknown,
        );
      }
    }
    this.folders.set(folder, entries);
    return entries;
  }
}
