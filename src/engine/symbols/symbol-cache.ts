import { createHash } from "node:crypto";
import { lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, type Stats } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { atomicWrite } from "../files/atomic-write.js";
import type { LanguageId } from "./languages.js";
import { type DocumentSymbol, type PackedSymbols, packSymbols, unpackSymbols } from "./symbol.js";

export interface SymbolCacheOptions {
  /**
   * Folder for the caches of every root (default `$XDG_CACHE_HOME/rune/symbols`, else
   * `<tmpdir>/rune-<user>/symbols`). It must be a folder of the user's own that no one else may
   * write to, in such a parent, or it is not used.
   */
  folder?: string;
  /** Bytes all roots' caches may take together; the least recently written go first (default 256 MiB). */
  maxBytes?: number;
  /** Told why a cache was not used or not written (the index works on without it). */
  onWarning?: (message: string) => void;
  /** What made the symbols (default: a digest of the extracting code and grammars); for tests. */
  extractor?: string;
}

/** What the cache holds for one file: the symbols of the content with this hash. */
export interface CachedFile {
  hash: string;
  language: LanguageId;
  symbols: DocumentSymbol[];
}

/** Bumped whenever the stored shape changes: an old cache is then ignored, not misread. */
const FORMAT = 3;
/** A cache file's name: a digest of its root, and the format. */
const CACHE_NAME = /^[0-9a-f]{20}\.v\d+\.json$/;
/** atomicWrite's temporary files for them, left behind only by a process killed mid-write. */
const TEMP_NAME = /^\.[0-9a-f]{20}\.v\d+\.json\.rune-[0-9a-f]+\.tmp$/;
/** A temporary file older than this is an orphan: a write takes milliseconds. */
const ORPHAN_MS = 10 * 60 * 1000;

/**
 * The symbol index's on-disk cache for one workspace root: one JSON file mapping each file's path
 * (relative to the root) to the content hash it was parsed at and the symbols found, so a restart
 * re-parses only files whose bytes changed. One file per root, written atomically, keeps the
 * restart to a single read; its size is bounded by the index itself, and all roots' files
 * together by `maxBytes`. A cache made by other extracting code (another Rune version) is ignored,
 * as its symbols may differ from what a parse would give now.
 */
export class SymbolCache {
  readonly path: string;
  private readonly folder: string;
  private readonly maxBytes: number;
  private readonly extractor: string;
  private readonly warn: (message: string) => void;

  constructor(root: string, options: SymbolCacheOptions = {}) {
    this.folder = options.folder ?? defaultFolder();
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.extractor = options.extractor ?? extractorDigest();
    this.warn = options.onWarning ?? (() => {});
    const key = createHash("sha1").update(root).digest("hex").slice(0, 20);
    this.path = join(this.folder, `${key}.v${FORMAT}.json`);
  }

  /** The cached files by relative path; empty when there is no cache or it cannot be trusted. */
  load(): Map<string, CachedFile> {
    const files = new Map<string, CachedFile>();
    const unsafe = unsafeFolder(this.folder, false);
    if (unsafe !== undefined) {
      if (unsafe !== "missing") this.warn(`symbol cache not read: ${unsafe}`);
      return files;
    }
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(this.path, "utf8"));
    } catch (error) {
      // None yet (the usual case), or torn by something other than Rune: start afresh.
      if ((error as NodeJS.ErrnoException).code !== "ENOENT")
        this.warn(`symbol cache ${this.path} ignored: ${(error as Error).message}`);
      return files;
    }
    const cache = data as { format?: unknown; extractor?: unknown; files?: unknown } | null;
    if (cache?.format !== FORMAT || cache.extractor !== this.extractor) return files; // other code made it
    if (typeof cache.files !== "object" || cache.files === null || Array.isArray(cache.files)) {
      this.warn(`symbol cache ${this.path} ignored: it holds no file list`);
      return files;
    }
    for (const [relative, entry] of Object.entries(cache.files)) {
      if (!Array.isArray(entry) || typeof entry[0] !== "string" || typeof entry[1] !== "string") continue;
      const symbols = unpackSymbols(entry[2]);
      if (symbols) files.set(relative, { hash: entry[0], language: entry[1] as LanguageId, symbols });
    }
    return files;
  }

  /**
   * Replaces the root's cache with `files`, then trims the folder to its bound. Never throws: a
   * cache that cannot be written (a full disk, an unsafe folder) is reported and skipped.
   */
  save(files: Iterable<[relative: string, file: CachedFile]>): void {
    try {
      const unsafe = unsafeFolder(this.folder, true);
      if (unsafe !== undefined) {
        this.warn(`symbol cache not written: ${unsafe}`);
        return;
      }
      const out: Record<string, [string, LanguageId, PackedSymbols]> = {};
      for (const [relative, file] of files)
        out[relative] = [file.hash, file.language, packSymbols(file.symbols)];
      const bytes = Buffer.from(JSON.stringify({ format: FORMAT, extractor: this.extractor, files: out }));
      if (bytes.length > this.maxBytes) {
        rmSync(this.path, { force: true });
        return;
      }
      atomicWrite(this.path, bytes, { overwrite: true, mode: 0o600 });
      this.trim();
    } catch (error) {
      this.warn(`symbol cache ${this.path} not written: ${(error as Error).message}`);
    }
  }

  /**
   * Deletes the least recently written caches until the folder fits `maxBytes`, and temporary
   * files a killed process left. Only Rune's own files, by name: the folder may hold others.
   */
  private trim(): void {
    const now = Date.now();
    const entries = readdirSync(this.folder).flatMap((name) => {
      const cache = CACHE_NAME.test(name);
      if (!cache && !TEMP_NAME.test(name)) return [];
      const path = join(this.folder, name);
      try {
        const stat = lstatSync(path);
        if (!stat.isFile()) return [];
        if (!cache) {
          if (now - stat.mtimeMs > ORPHAN_MS) rmSync(path, { force: true });
          return [];
        }
        return [{ path, size: stat.size, mtime: stat.mtimeMs }];
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

/**
 * Why `folder` must not hold a cache, or undefined if it may: it must be a real folder (not a
 * link) of this user's, which no one else may write to, in a parent no one else may rename it in
 * (the user's or root's, writable by others only if sticky, as /tmp is). Otherwise another user
 * could plant symbols for Rune to serve, or point the folder at files for its trim to delete.
 * With `create`, a missing folder is made first; without, a missing one is "missing".
 */
function unsafeFolder(folder: string, create: boolean): string | undefined {
  if (create) mkdirSync(folder, { recursive: true, mode: 0o700 });
  let stats: Stats;
  let parent: Stats;
  try {
    stats = lstatSync(folder);
    parent = lstatSync(dirname(folder));
  } catch {
    return "missing";
  }
  const uid = process.getuid?.();
  // Group write is safe in the user's private group (a umask of 002, as Debian gives users with a
  // group of their own): no one else is in it.
  const othersWrite = (s: Stats) =>
    (s.mode & 0o002) !== 0 || ((s.mode & 0o020) !== 0 && !privateGroup(s.gid));
  if (!stats.isDirectory()) return `${folder} is not a folder (a link, say)`;
  if (uid !== undefined && stats.uid !== uid) return `${folder} belongs to another user`;
  if (othersWrite(stats)) return `${folder} may be written by other users`;
  const parentOwned = uid === undefined || parent.uid === uid || parent.uid === 0;
  if (!parentOwned || (othersWrite(parent) && (parent.mode & 0o1000) === 0))
    return `${dirname(folder)} lets other users replace ${folder}`;
  return undefined;
}

/**
 * Whether group `gid` is the user's private group: the one group of that id in /etc/group, named
 * as the user, with no other member, and no other user's primary group in /etc/passwd. Anything
 * not known so is not.
 */
function privateGroup(gid: number): boolean {
  let user: string;
  try {
    user = userInfo().username;
    const groups = readFileSync("/etc/group", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .filter((fields) => fields[2] !== undefined && fields[2] !== "" && Number(fields[2]) === gid);
    const [group] = groups;
    if (groups.length !== 1 || group?.[0] !== user) return false;
    if (!(group[3] ?? "").split(",").every((member) => member === "" || member === user)) return false;
    return readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .every((fields) => fields[3] === undefined || Number(fields[3]) !== gid || fields[0] === user);
  } catch {
    return false;
  }
}

let digest: string | undefined;

/**
 * A digest of what decides a file's symbols: this folder's code (queries, extraction, the
 * shortening pass), the tokenizer it uses, and the versions of the parser and its grammars. Any
 * change there, as an upgrade brings, makes earlier caches stale.
 */
function extractorDigest(): string {
  if (digest !== undefined) return digest;
  const hash = createHash("sha1");
  const here = dirname(fileURLToPath(import.meta.url));
  const sources = readdirSync(here)
    .filter((name) => name.endsWith(".js"))
    .sort()
    .map((name) => join(here, name));
  sources.push(join(here, "..", "deps", "js-lexer.js"));
  for (const source of sources) {
    try {
      hash.update(readFileSync(source));
    } catch {
      hash.update(`missing ${source}`);
    }
  }
  const require = createRequire(import.meta.url);
  for (const name of ["web-tree-sitter", "@vscode/tree-sitter-wasm"])
    hash.update(packageVersion(require, name));
  digest = hash.digest("hex").slice(0, 16);
  return digest;
}

/** `name@version` from the package's manifest (found above its main file), or just the name. */
function packageVersion(require: NodeJS.Require, name: string): string {
  try {
    for (let folder = dirname(require.resolve(name)); dirname(folder) !== folder; folder = dirname(folder)) {
      try {
        const manifest = JSON.parse(readFileSync(join(folder, "package.json"), "utf8"));
        if (manifest.name === name) return `${name}@${manifest.version}`;
      } catch {
        // No manifest here: look further up.
      }
    }
  } catch {
    // Not resolvable: the name alone.
  }
  return name;
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
