import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir, userInfo } from "node:os";
import { join } from "node:path";
import { atomicWrite } from "../files/atomic-write.js";
import type { LanguageId } from "./languages.js";
import { type DocumentSymbol, type PackedSymbols, packSymbols, unpackSymbols } from "./symbol.js";

export interface SymbolCacheOptions {
  /**
   * Folder for the caches of every root (default `$XDG_CACHE_HOME/rune/symbols`, else
   * `<tmpdir>/rune-<user>/symbols`).
   */
  folder?: string;
  /** Bytes all roots' caches may take together; the least recently written go first (default 256 MiB). */
  maxBytes?: number;
}

/** What the cache holds for one file: the symbols of the content with this hash. */
export interface CachedFile {
  hash: string;
  language: LanguageId;
  symbols: DocumentSymbol[];
}

/** Bumped whenever queries or the stored shape change: an old cache is then ignored, not misread. */
const FORMAT = 2;

/**
 * The symbol index's on-disk cache for one workspace root: one JSON file mapping each file's path
 * (relative to the root) to the content hash it was parsed at and the symbols found, so a restart
 * re-parses only files whose bytes changed. One file per root, written atomically, keeps the
 * restart to a single read; its size is bounded by the index itself, and all roots' files
 * together by `maxBytes`.
 */
export class SymbolCache {
  readonly path: string;
  private readonly folder: string;
  private readonly maxBytes: number;

  constructor(root: string, options: SymbolCacheOptions = {}) {
    this.folder = options.folder ?? defaultFolder();
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    const key = createHash("sha1").update(root).digest("hex").slice(0, 20);
    this.path = join(this.folder, `${key}.v${FORMAT}.json`);
  }

  /** The cached files by relative path; empty when there is no cache or it cannot be read. */
  load(): Map<string, CachedFile> {
    const files = new Map<string, CachedFile>();
    let data: { format?: number; files?: Record<string, [string, LanguageId, PackedSymbols]> };
    try {
      data = JSON.parse(readFileSync(this.path, "utf8"));
    } catch {
      return files; // none yet, or torn by something other than Rune: start afresh
    }
    if (data.format !== FORMAT || typeof data.files !== "object" || data.files === null) return files;
    for (const [relative, entry] of Object.entries(data.files)) {
      const symbols = Array.isArray(entry) ? unpackSymbols(entry[2]) : undefined;
      if (symbols && typeof entry[0] === "string")
        files.set(relative, { hash: entry[0], language: entry[1], symbols });
    }
    return files;
  }

  /** Replaces the root's cache with `files`, then trims the folder to its bound. */
  save(files: Iterable<[relative: string, file: CachedFile]>): void {
    const out: Record<string, [string, LanguageId, PackedSymbols]> = {};
    for (const [relative, file] of files)
      out[relative] = [file.hash, file.language, packSymbols(file.symbols)];
    const bytes = Buffer.from(JSON.stringify({ format: FORMAT, files: out }));
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    if (bytes.length > this.maxBytes) {
      rmSync(this.path, { force: true });
      return;
    }
    atomicWrite(this.path, bytes, { overwrite: true, mode: 0o600 });
    this.trim();
  }

  /** Deletes the least recently written caches until the folder fits `maxBytes`. */
  private trim(): void {
    const entries = readdirSync(this.folder).flatMap((name) => {
      try {
        const stat = statSync(join(this.folder, name));
        return stat.isFile() ? [{ path: join(this.folder, name), size: stat.size, mtime: stat.mtimeMs }] : [];
      } catch {
        return [];
      }
    });
    entries.sort((a, b) => b.mtime - a.mtime);
    let total = 0;
    for (const entry of entries) {
      total += entry.size;
      if (total > this.maxBytes && entry.path !== this.path) rmSync(entry.path, { force: true });
    }
  }
}

function defaultFolder(): string {
  const xdg = process.env.XDG_CACHE_HOME;
  if (xdg) return join(xdg, "rune", "symbols");
  let user: string;
  try {
    user = userInfo().username;
  } catch {
    user = String(process.getuid?.() ?? "user");
  }
  return join(tmpdir(), `rune-${user}`, "symbols");
}
