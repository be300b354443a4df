import { basename, dirname } from "node:path";
import { EngineError } from "../errors.js";
import { pathKind } from "../files/path-kind.js";
import { rankFuzzy } from "../text/fuzzy-score.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import { compileGlob } from "../workspace/glob.js";
import { governedByIgnoreFile, Reach, walk } from "../workspace/walker.js";
import { within } from "../workspace/workspace-roots.js";
import { indexedGlobs, type LanguageId, languageOf } from "./languages.js";
import { matchesNamePath, nameParts, parseNamePath } from "./name-path.js";
import { type DocumentSymbol, namePath, type SymbolKind, unpackSymbols } from "./symbol.js";
import { type CachedFile, SymbolCache, type SymbolCacheOptions } from "./symbol-cache.js";
import type { FileSymbols, SkipReason, SymbolsTaskResult } from "./symbols-task.js";

/** One file asked for by name may be larger than the index's bound, up to this. */
const MAX_SINGLE_FILE_BYTES = 8 * 1024 * 1024;

export interface SymbolIndexOptions {
  /** Canonical root folders to index. */
  roots: readonly string[];
  pool: WorkerPool;
  /** The on-disk cache, or false for none (default: a cache with its default options). */
  cache?: SymbolCacheOptions | false;
  /** Larger files are not indexed (default 1 MiB: beyond it lie bundles and generated code). */
  maxFileBytes?: number;
  /** Files per worker task (default 32). */
  filesPerTask?: number;
  /** Write the cache this long after the last change (default 2 s). */
  saveDelayMs?: number;
}

/** One indexed file. */
export interface IndexedFile {
  path: string;
  root: string;
  relative: string;
  language: LanguageId;
  hash: string;
  symbols: DocumentSymbol[];
}

/** A symbol found in the index, with its file. */
export interface SymbolHit {
  path: string;
  relative: string;
  symbol: DocumentSymbol;
}

export interface RankedSymbol extends SymbolHit {
  score: number;
  /** Matched positions in the name, or in the name path for a query with `/` (UTF-16 indices). */
  positions: number[];
}

/** Files of an indexed language the index leaves out, by reason. */
export type SkippedFiles = Record<"large" | "binary" | "minified", number>;

export interface IndexStats {
  files: number;
  symbols: number;
  /** Files parsed; the rest were answered from the cache or were unchanged. */
  parsed: number;
  /** Files left out of the index now, by reason (not only by this build or update). */
  skipped: SkippedFiles;
  /** Files whose grammar or parse failed (they have no symbols). */
  errors: number;
  elapsedMs: number;
}

export interface LookupOptions {
  limit?: number;
  kinds?: readonly SymbolKind[];
  /** Only files this accepts (a session's narrower roots). */
  filter?: (path: string) => boolean;
}

/**
 * The workspace's symbols: built in parallel on the worker pool over the walker's files, kept
 * current by `update` (only the files named are re-read, and only those whose bytes changed are
 * re-parsed), and persisted per root in a content-hash cache so a restart parses only what
 * changed. Updates are applied in order, after the build.
 */
export class SymbolIndex {
  private readonly files = new Map<string, IndexedFile>();
  /** Files the walk or an update found but left out, and why. */
  private readonly skipped = new Map<string, "large" | "binary" | "minified">();
  /** Folders the walk found indexable files in: a new file there joins the index on update. */
  private readonly folders = new Set<string>();
  /** Matches the names the build indexes (its include globs), compiled on first use. */
  private indexedGlob: ((name: string) => boolean) | undefined;
  private readonly caches = new Map<string, SymbolCache>();
  private readonly options: Required<Omit<SymbolIndexOptions, "cache">> & {
    cache: SymbolCacheOptions | false;
  };
  private chain: Promise<unknown> = Promise.resolve();
  private built: Promise<IndexStats> | undefined;
  /** Where the first build stands: not asked for yet, under way, done, or failed. */
  state: "idle" | "building" | "ready" | "failed" = "idle";
  private views: { all: SymbolHit[]; byName: Map<string, SymbolHit[]> } | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  /** A build has completed: the index holds every file, and may replace the cache on disk. */
  private filled = false;

  constructor(options: SymbolIndexOptions) {
    this.options = {
      maxFileBytes: 1024 * 1024,
      filesPerTask: 32,
      saveDelayMs: 2_000,
      cache: {},
      ...options,
    };
  }

  /** Builds the index the first time it is called; later calls wait for that build. */
  ready(): Promise<IndexStats> {
    if (!this.built) {
      this.state = "building";
      this.built = this.enqueue(() => this.build());
      this.built.then(
        () => {
          this.state = "ready";
        },
        () => {
          this.state = "failed";
        },
      );
    }
    return this.built;
  }

  /**
   * Re-indexes `paths` (files or folders that changed, appeared or went away, as a watcher reports
   * them); other paths are ignored. A file of the index is re-read and re-parsed if its hash
   * changed. A new file joins if the build's walk would have reached it (not hidden, not ignored),
   * in a new folder too. A folder that is there has the files the walk would reach in it indexed (a
   * folder moved in arrives as one event); one that is gone takes its files out of the index.
   */
  update(paths: Iterable<string>): Promise<IndexStats> {
    const wanted = [...new Set(paths)];
    // Before the first build nothing is held, and the build will read everything: an update then
    // would only index a few files, and its save would replace the on-disk cache with them.
    if (!this.built) return Promise.resolve(this.finish(this.emptyStats(), performance.now()));
    return this.enqueue(async () => {
      const started = performance.now();
      const stats = this.emptyStats();
      const candidates = new Set<string>();
      // One per root and update: each folder's ignore rules are read once for a burst of events.
      const reach = new Map<string, Reach>();
      const gone: string[] = [];
      const reachOf = (root: string) => {
        let rootReach = reach.get(root);
        if (!rootReach) {
          rootReach = new Reach(root);
          reach.set(root, rootReach);
        }
        return rootReach;
      };
      // Folders walked for this update, and the files the walks reached: files the index holds
      // under those folders that no walk reached now are ignored, or gone, and leave.
      const walked = { folders: new Set<string>(), files: new Set<string>() };
      for (const given of wanted) {
        // A changed ignore file changes what the walk of its folder reaches: walk that instead.
        const path = governedByIgnoreFile(given) ?? given;
        const root = this.rootOf(path);
        if (this.files.has(path) || this.skipped.has(path)) {
          // Re-read: changed, gone, or now a link (read without following it, so it leaves).
          candidates.add(path);
          // A file replaced by a folder of its name: the folder's files join as well.
          if (root !== undefined && pathKind(path) === "folder")
            await this.toReindex(path, root, reachOf(root), candidates, gone, walked);
          continue;
        }
        if (root === undefined) continue;
        await this.toReindex(path, root, reachOf(root), candidates, gone, walked);
      }
      this.goneFolders(gone, candidates);
      const dropped = this.unreached(walked, candidates);
      if (candidates.size > 0) await this.index([...candidates], stats);
      if (stats.parsed > 0 || candidates.size > 0 || dropped > 0) this.scheduleSave();
      return this.finish(stats, started);
    });
  }

  /**
   * Adds to `into` the files an update of `path`, which the index does not hold, re-reads; a path
   * where no folder is now goes to `gone`. Links are not followed, as the build's walk follows none.
   */
  private async toReindex(
    path: string,
    root: string,
    reach: Reach,
    into: Set<string>,
    gone: string[],
    walked: { folders: Set<string>; files: Set<string> },
  ) {
    const kind = pathKind(path);
    if (kind === "folder") {
      walked.folders.add(path);
      // A folder the walk does not reach (ignored now, say) holds nothing the index keeps.
      if (!reach.reaches(path)) return;
      for await (const entries of walk(path, { root, include: indexedGlobs() })) {
        for (const entry of entries) {
          this.folders.add(dirname(entry.path));
          into.add(entry.path);
          walked.files.add(entry.path);
        }
      }
      return;
    }
    // No folder is here now (gone, or replaced by a file or a link): files of one that was leave.
    gone.push(path);
    if (kind === "file" && this.indexedName(path) && reach.reaches(path, false)) {
      this.folders.add(dirname(path));
      into.add(path);
    }
  }

  /**
   * The files (indexed or skipped) under folders that are gone go to `into`: each is read, found
   * missing, and dropped. One pass over the index for all of them, by each file's folders.
   */
  private goneFolders(gone: readonly string[], into: Set<string>): void {
    if (gone.length === 0) return;
    // Every folder that holds, or lies above, a folder with indexed files: most paths gone are
    // files the index never held, and are not among them.
    const holding = new Set<string>();
    for (const known of this.folders) {
      for (let folder = known; !holding.has(folder); folder = dirname(folder)) {
        holding.add(folder);
        if (dirname(folder) === folder) break;
      }
    }
    const folders = new Set(gone.filter((path) => holding.has(path)));
    if (folders.size === 0) return;
    const under = (path: string) => {
      for (let folder = dirname(path); ; folder = dirname(folder)) {
        if (folders.has(folder)) return true;
        if (dirname(folder) === folder) return false;
      }
    };
    for (const file of [...this.files.keys(), ...this.skipped.keys()]) if (under(file)) into.add(file);
    for (const known of [...this.folders]) if (folders.has(known) || under(known)) this.folders.delete(known);
  }

  /**
   * Takes out of the index, without reading them, the files under the folders walked that the
   * walks did not reach (now ignored, or in a folder now ignored); a file among `into` is not read.
   * One pass over the index for all the folders.
   */
  private unreached(walked: { folders: Set<string>; files: Set<string> }, into: Set<string>): number {
    if (walked.folders.size === 0) return 0;
    let dropped = 0;
    const under = (path: string) => {
      for (let folder = dirname(path); ; folder = dirname(folder)) {
        if (walked.folders.has(folder)) return true;
        if (dirname(folder) === folder) return false;
      }
    };
    for (const file of [...this.files.keys(), ...this.skipped.keys()]) {
      if (walked.files.has(file) || !under(file)) continue;
      this.files.delete(file);
      this.skipped.delete(file);
      into.delete(file);
      this.views = undefined;
      dropped++;
    }
    return dropped;
  }

  /** Whether a build would index a file of this name: an indexed language, by the build's globs. */
  private indexedName(path: string): boolean {
    if (!this.indexedGlob) {
      const globs = indexedGlobs().map(compileGlob);
      this.indexedGlob = (name) => globs.some((glob) => glob(name));
    }
    return languageOf(path) !== undefined && this.indexedGlob(basename(path));
  }

  /**
   * The symbols of one file, parsed now on a worker (whether or not the index holds it), so they
   * reflect the bytes on disk even before the watcher reports a change.
   */
  async documentSymbols(path: string): Promise<{ language: LanguageId; symbols: DocumentSymbol[] }> {
    const maxFileBytes = Math.max(this.options.maxFileBytes, MAX_SINGLE_FILE_BYTES);
    const result = await this.options.pool.run("symbols", { files: [{ path }], maxFileBytes });
    const found = result.files[0];
    if (!found || found.skipped === "unreadable")
      throw new EngineError("NOT_FOUND", `${path}: no such file, or not a regular file`);
    if (found.skipped === "binary") {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `${path}: a binary file (a NUL byte near its start), not parsed`,
      );
    }
    if (found.skipped === "language") {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `${path}: no symbol grammar for this file type (indexed: ${indexedGlobs().join(" ")})`,
      );
    }
    if (found.skipped === "large") {
      throw new EngineError("FILE_TOO_LARGE", `${path}: larger than ${maxFileBytes} bytes, not parsed`);
    }
    if (found.error) throw new EngineError("IO_ERROR", `${path}: ${found.error}`);
    return { language: found.language as LanguageId, symbols: unpackSymbols(found.symbols) ?? [] };
  }

  /** The indexed file at `path`, if any. */
  file(path: string): IndexedFile | undefined {
    return this.files.get(path);
  }

  /** Indexed files and symbols. */
  get size(): { files: number; symbols: number } {
    let symbols = 0;
    for (const file of this.files.values()) symbols += file.symbols.length;
    return { files: this.files.size, symbols };
  }

  /** Files of an indexed language left out of the index, by reason. */
  get skippedFiles(): SkippedFiles {
    const counts: SkippedFiles = { large: 0, binary: 0, minified: 0 };
    for (const reason of this.skipped.values()) counts[reason]++;
    return counts;
  }

  /** Why the index left `path` out, if it did (a file it never saw is not reported). */
  skipReason(path: string): SkipReason | undefined {
    return this.skipped.get(path);
  }

  /**
   * Symbols whose name matches `query` fuzzily, best first; an empty query lists symbols in path
   * order. A query with a `/` (or C++'s `::`) is matched against name paths instead
   * (`Parser/parse`), so "parser/pars" finds the method `parse` of `Parser`.
   */
  search(query: string, options: LookupOptions = {}): RankedSymbol[] {
    const limit = options.limit ?? 50;
    const candidates = this.candidates(options);
    const trimmed = query.trim();
    if (trimmed === "") return candidates.slice(0, limit).map((hit) => ({ ...hit, score: 0, positions: [] }));
    const byPath = trimmed.includes("/") || trimmed.includes("::");
    // Read as a name path is: a leading "/" (anchored, for `find`) dropped, "::" as "/".
    const wanted = byPath ? parseNamePath(trimmed).segments.join("/") : trimmed;
    const text = byPath ? (hit: SymbolHit) => namePath(hit.symbol) : (hit: SymbolHit) => hit.symbol.name;
    return rankFuzzy(wanted, candidates.map(text), limit, { caseSensitive: "smart" }).map((r) => ({
      ...(candidates[r.index] as SymbolHit),
      score: r.score,
      positions: r.positions,
    }));
  }

  /**
   * Symbols at a name path: `Class/method` matches that method under any container ending in
   * `Class`, `method` matches any symbol so named, and `/Class/method` only a top-level `Class`.
   * Exact case first; if nothing matches, case is ignored.
   */
  find(namePath: string, options: LookupOptions = {}): SymbolHit[] {
    const wanted = parseNamePath(namePath);
    const limit = options.limit ?? 50;
    const last = wanted.segments.at(-1) ?? "";
    const views = this.view();
    const accept = (hit: SymbolHit) =>
      (options.filter?.(hit.path) ?? true) && (!options.kinds || options.kinds.includes(hit.symbol.kind));
    let hits = (views.byName.get(last) ?? []).filter((h) => accept(h) && matchesNamePath(h.symbol, wanted));
    if (hits.length === 0) {
      const folded = { ...wanted, ignoreCase: true };
      const lower = last.toLowerCase();
      hits = views.all.filter(
        (h) =>
          (nameParts(h.symbol.name).at(-1) ?? "").toLowerCase() === lower &&
          accept(h) &&
          matchesNamePath(h.symbol, folded),
      );
    }
    return hits.slice(0, limit);
  }

  /** Writes the caches now (the index does so by itself, shortly after changes). */
  async save(): Promise<void> {
    clearTimeout(this.saveTimer);
    this.saveTimer = undefined;
    await this.enqueue(async () => this.writeCaches());
  }

  /** Stops timers and writes what is pending; the index stays usable. */
  async close(): Promise<void> {
    if (this.saveTimer) await this.save();
  }

  private async build(): Promise<IndexStats> {
    const started = performance.now();
    const stats = this.emptyStats();
    this.files.clear();
    this.skipped.clear();
    this.folders.clear();
    for (const root of this.options.roots) {
      const cached = this.cacheOf(root)?.load() ?? new Map<string, CachedFile>();
      const batch: string[] = [];
      const inFlight = new Set<Promise<void>>();
      const submit = (files: string[]) => {
        const task = this.run(files, stats, cached, root).finally(() => inFlight.delete(task));
        inFlight.add(task);
      };
      for await (const entries of walk(root, { root, include: indexedGlobs() })) {
        for (const entry of entries) {
          batch.push(entry.path);
          this.folders.add(dirname(entry.path));
          if (batch.length === this.options.filesPerTask) {
            submit(batch.splice(0));
            while (inFlight.size >= this.options.pool.threads * 2) await Promise.race(inFlight);
          }
        }
      }
      if (batch.length > 0) submit(batch.splice(0));
      await Promise.all(inFlight);
    }
    this.filled = true;
    this.writeCaches();
    return this.finish(stats, started);
  }

  /** Re-indexes files spread over any roots (an update). */
  private async index(paths: string[], stats: IndexStats): Promise<void> {
    const size = this.options.filesPerTask;
    const tasks: Promise<void>[] = [];
    for (let i = 0; i < paths.length; i += size) tasks.push(this.run(paths.slice(i, i + size), stats));
    await Promise.all(tasks);
  }

  /** One worker task; `cached` (a build's) or the index itself supplies the hashes already known. */
  private async run(
    paths: string[],
    stats: IndexStats,
    cached?: Map<string, CachedFile>,
    buildRoot?: string,
  ): Promise<void> {
    const known = (path: string, root: string | undefined) =>
      root === undefined ? undefined : cached ? cached.get(relativeTo(root, path)) : this.files.get(path);
    const files = paths.map((path) => {
      const hash = known(path, buildRoot ?? this.rootOf(path))?.hash;
      return hash === undefined ? { path } : { path, known: hash };
    });
    const result: SymbolsTaskResult = await this.options.pool.run("symbols", {
      files,
      maxFileBytes: this.options.maxFileBytes,
      skipMinified: true,
    });
    stats.parsed += result.parsed;
    for (const found of result.files)
      this.apply(found, stats, known(found.path, buildRoot ?? this.rootOf(found.path)));
    this.views = undefined;
  }

  private apply(
    found: FileSymbols,
    stats: IndexStats,
    known: { symbols: DocumentSymbol[] } | undefined,
  ): void {
    const root = this.rootOf(found.path);
    this.skipped.delete(found.path);
    if (found.skipped || root === undefined || !found.hash || !found.language) {
      const reason = found.skipped;
      if (root !== undefined && (reason === "large" || reason === "binary" || reason === "minified"))
        this.skipped.set(found.path, reason);
      this.files.delete(found.path);
      return;
    }
    if (found.error) stats.errors++;
    const symbols = (found.symbols && unpackSymbols(found.symbols)) ?? known?.symbols ?? [];
    this.files.set(found.path, {
      path: found.path,
      root,
      relative: relativeTo(root, found.path),
      language: found.language,
      hash: found.hash,
      symbols,
    });
  }

  private candidates(options: LookupOptions): SymbolHit[] {
    const all = this.view().all;
    if (!options.filter && !options.kinds) return all;
    return all.filter(
      (hit) =>
        (options.filter?.(hit.path) ?? true) && (!options.kinds || options.kinds.includes(hit.symbol.kind)),
    );
  }

  /** Flat views for lookups, rebuilt on the first lookup after a change. */
  private view(): { all: SymbolHit[]; byName: Map<string, SymbolHit[]> } {
    if (this.views) return this.views;
    const all: SymbolHit[] = [];
    const byName = new Map<string, SymbolHit[]>();
    const paths = [...this.files.keys()].sort();
    for (const path of paths) {
      const file = this.files.get(path) as IndexedFile;
      for (const symbol of file.symbols) {
        const hit = { path, relative: file.relative, symbol };
        all.push(hit);
        // Under the name's last part: `a::b` and `NS.Inner` are found as `b` and `Inner` too.
        const key = nameParts(symbol.name).at(-1) ?? symbol.name;
        const bucket = byName.get(key);
        if (bucket) bucket.push(hit);
        else byName.set(key, [hit]);
      }
    }
    this.views = { all, byName };
    return this.views;
  }

  private writeCaches(): void {
    // Before a build has filled the index, its files would replace the cache's with a few or none.
    if (this.options.cache === false || !this.filled) return;
    const byRoot = new Map<string, [string, CachedFile][]>(this.options.roots.map((r) => [r, []]));
    for (const file of this.files.values()) byRoot.get(file.root)?.push([file.relative, file]);
    for (const [root, files] of byRoot) this.cacheOf(root)?.save(files);
  }

  private scheduleSave(): void {
    if (this.options.cache === false) return;
    clearTimeout(this.saveTimer);
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      void this.enqueue(async () => this.writeCaches()).catch(() => {});
    }, this.options.saveDelayMs);
    this.saveTimer.unref();
  }

  private cacheOf(root: string): SymbolCache | undefined {
    if (this.options.cache === false) return undefined;
    let cache = this.caches.get(root);
    if (!cache) {
      cache = new SymbolCache(root, this.options.cache);
      this.caches.set(root, cache);
    }
    return cache;
  }

  /** The deepest root holding `path`. */
  private rootOf(path: string): string | undefined {
    let best: string | undefined;
    for (const root of this.options.roots) {
      if (within(path, root) && (best === undefined || root.length > best.length)) best = root;
    }
    return best;
  }

  private enqueue<T>(work: () => Promise<T>): Promise<T> {
    const next = this.chain.then(work, work);
    this.chain = next.catch(() => {});
    return next;
  }

  private emptyStats(): IndexStats {
    return { files: 0, symbols: 0, parsed: 0, skipped: this.skippedFiles, errors: 0, elapsedMs: 0 };
  }

  private finish(stats: IndexStats, started: number): IndexStats {
    const { files, symbols } = this.size;
    const skipped = this.skippedFiles;
    return { ...stats, files, symbols, skipped, elapsedMs: Math.round(performance.now() - started) };
  }
}

function relativeTo(root: string, path: string): string {
  const relative = path.slice(root.length + 1);
  return process.platform === "win32" ? relative.replaceAll("\\", "/") : relative;
}
