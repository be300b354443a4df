import { statSync } from "node:fs";
import type { ByteLru } from "../cache/byte-lru.js";
import { EngineError } from "../errors.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import { byRank, type RankedCandidate, rankFuzzy } from "../text/fuzzy-score.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import { posixRelative } from "../workspace/ignore-rules.js";
import { walkTargets } from "../workspace/walk-targets.js";
import { walk } from "../workspace/walker.js";
import { type SearchOptions, type SearchQuery, type SearchResult, search } from "./searcher.js";

/** Where and how to walk, as a caller gives it: paths are requested (relative or absolute) ones. */
export interface SearchRequest extends SearchQuery, SearchOptions {
  /** Folders or files to search, each confined to the roots; every root when absent. */
  paths?: readonly unknown[];
  include?: readonly string[];
  exclude?: readonly string[];
  hidden?: boolean;
  /** Ignore .gitignore and .ignore files (default false: they are honoured). */
  noIgnore?: boolean;
}

export interface FindFilesRequest {
  /** Characters to find in order (fuzzy); empty lists the files the globs select. */
  query: string;
  paths?: readonly unknown[];
  include?: readonly string[];
  exclude?: readonly string[];
  hidden?: boolean;
  noIgnore?: boolean;
  /** Results to return (default 50). */
  limit?: number;
  /** Files to consider at most (default 200,000), so a huge tree stays bounded. */
  maxFiles?: number;
  signal?: AbortSignal;
}

export interface FoundFile {
  path: string;
  /** Path relative to its root, as the query was matched against it. */
  relative: string;
  score: number;
  /** Matched character positions in `relative` (UTF-16 indices), for highlighting. */
  positions: number[];
}

export interface FindFilesResult {
  files: FoundFile[];
  /** Files considered. */
  scanned: number;
  /** True when `maxFiles` stopped the walk before the tree was fully seen. */
  partial: boolean;
}

export interface SearchCaching {
  cache: ByteLru;
  /** Whether a result may be reused now (only while a file watcher reports every change). */
  cacheable(): boolean;
}

/** Paths ranked per slice, between which other requests get a turn and a cancellation is seen. */
const RANK_SLICE = 4_096;

/**
 * `rankFuzzy` over `paths` a slice at a time, the slices' best merged: ranking a large tree takes
 * long enough (100,000 paths, several words) that the event loop must not wait for all of it.
 */
async function rankInSlices(
  query: string,
  paths: readonly string[],
  limit: number,
  caseSensitive: "smart" | false,
  signal: AbortSignal | undefined,
): Promise<RankedCandidate[]> {
  const best: RankedCandidate[] = [];
  for (let start = 0; start < paths.length; start += RANK_SLICE) {
    if (start > 0) await new Promise((resume) => setImmediate(resume));
    signal?.throwIfAborted(); // the client has gone: no answer is sent
    const slice = paths.slice(start, start + RANK_SLICE);
    for (const hit of rankFuzzy(query, slice, limit, { caseSensitive }))
      best.push({ ...hit, index: hit.index + start });
  }
  return best.sort(byRank).slice(0, limit);
}

/** Folders the file watcher does not watch (file-watcher.ts): changes there go unreported. */
const UNWATCHED = /(^|[\\/])(node_modules|\.git|\.hg|\.svn)([\\/]|$)/;

/** Bounds on a find_files query: enough for any path, not for a request that stalls the server. */
const MAX_QUERY_CHARS = 1_000;
const MAX_QUERY_WORDS = 16;

/** Workspace search confined to one sandbox, on the engine's worker pool. */
export class WorkspaceSearch {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly pool: WorkerPool,
    private readonly caching?: SearchCaching,
  ) {}

  /**
   * Files whose path matches `query` fuzzily (the characters in order, as in editors' "go to
   * file"), best first: word starts, path separators, camelCase humps, consecutive characters
   * and matches in the file's name score higher.
   */
  async findFiles(request: FindFilesRequest): Promise<FindFilesResult> {
    const limit = request.limit ?? 50;
    const query = request.query.trim();
    // Ranking is synchronous and costs words × files: bound what one call may ask.
    if (query.length > MAX_QUERY_CHARS || query.split(/\s+/).length > MAX_QUERY_WORDS) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `A query may have at most ${MAX_QUERY_CHARS} characters and ${MAX_QUERY_WORDS} words`,
      );
    }
    const maxFiles = request.maxFiles ?? 200_000;
    const entries: { path: string; relative: string }[] = [];
    // Paths that overlap (`src` and `src/engine`, nested roots) list a file once.
    const seen = new Set<string>();
    let partial = false;
    walking: for (const { root, start } of walkTargets(this.sandbox, request.paths)) {
      if (statSync(start).isFile()) {
        // A file named is listed as it is, as a search searches it whatever globs would say.
        if (!seen.has(start)) entries.push({ path: start, relative: posixRelative(root, start) });
        seen.add(start);
        continue;
      }
      const options = {
        root,
        include: request.include,
        exclude: request.exclude,
        hidden: request.hidden,
        ignoreFiles: !request.noIgnore,
        signal: request.signal,
      };
      for await (const batch of walk(start, options)) {
        for (const entry of batch) {
          if (entries.length >= maxFiles) {
            partial = true;
            break walking;
          }
          if (seen.has(entry.path)) continue;
          seen.add(entry.path);
          entries.push(entry);
        }
      }
    }
    if (query === "") {
      return {
        files: entries.slice(0, limit).map((e) => ({ ...e, score: 0, positions: [] })),
        scanned: entries.length,
        partial,
      };
    }
    const paths = entries.map((e) => e.relative);
    // An accented letter may be one character or a letter and a combining mark (macOS writes
    // names decomposed): the query as typed, then in the other form, if nothing matched.
    const forms = [...new Set([query, query.normalize("NFC"), query.normalize("NFD")])];
    let ranked: RankedCandidate[] = [];
    for (const form of forms) {
      ranked = await rankInSlices(form, paths, limit, "smart", request.signal);
      if (ranked.length > 0) break;
    }
    // An upper-case letter asks for that case, but a name typed as a class is written
    // (`WorkspaceSearch` for workspace-search.ts) should still find the file.
    if (ranked.length === 0 && query !== query.toLowerCase()) {
      for (const form of forms) {
        ranked = await rankInSlices(form, paths, limit, false, request.signal);
        if (ranked.length > 0) break;
      }
    }
    return {
      files: ranked.map((r) => ({
        path: (entries[r.index] as { path: string }).path,
        relative: r.candidate,
        score: r.score,
        positions: r.positions,
      })),
      scanned: entries.length,
      partial,
    };
  }

  /**
   * Searches, answering a repeated request from the shared cache while the workspace is watched:
   * any file change drops every cached search (entries are tagged "*"). Complete and limit-cut
   * results are kept; those cut by a timeout or a cancellation are not.
   */
  async search(request: SearchRequest): Promise<SearchResult> {
    // The watcher skips .git and node_modules, so searches that may enter them are not reused:
    // with every file, hidden ones, or paths that name such a folder.
    const reusable =
      !request.noIgnore &&
      !request.hidden &&
      !(request.paths ?? []).some((path) => typeof path !== "string" || UNWATCHED.test(path)) &&
      this.caching?.cacheable() === true;
    const caching = reusable ? this.caching : undefined;
    if (!caching) return this.run(request);
    const key = searchKey(this.sandbox, request);
    const hit = caching.cache.get<SearchResult>("search", key);
    if (hit) return { ...hit, stats: { ...hit.stats } };
    const result = await this.run(request);
    if (!result.partial || result.reason === "limit") {
      caching.cache.set("search", key, result, resultBytes(result), "*");
    }
    return { ...result, stats: { ...result.stats } };
  }

  private async run(request: SearchRequest): Promise<SearchResult> {
    const targets = walkTargets(this.sandbox, request.paths);
    // A file given directly is searched even if ignore rules or globs would leave it out.
    const single = targets.filter((t) => statSync(t.start).isFile());
    const folders = targets.filter((t) => !single.includes(t));
    const scope = {
      targets: folders,
      files: single.map((t) => t.start),
      include: request.include,
      exclude: request.exclude,
      hidden: request.hidden,
      ignoreFiles: !request.noIgnore,
    };
    return search(this.pool, scope, request, request);
  }
}

/** Everything that shapes a search's result, as one string (the signal and callbacks do not). */
function searchKey(sandbox: PathSandbox, r: SearchRequest): string {
  return JSON.stringify([
    sandbox.roots.list().map((root) => root.path),
    r.patterns,
    r.regex,
    r.ignoreCase,
    r.maxResults,
    r.context,
    r.maxLineChars,
    r.maxFileBytes,
    r.timeoutMs,
    r.paths,
    r.include,
    r.exclude,
    r.hidden,
    r.noIgnore,
  ]);
}

/** A result's retained size, roughly: two bytes a character plus object overhead per match. */
function resultBytes(result: SearchResult): number {
  let bytes = 256;
  for (const file of result.files) {
    bytes += file.path.length * 2 + 64;
    for (const m of file.matches) {
      bytes += m.text.length * 2 + 96;
      for (const line of m.before ?? []) bytes += line.length * 2 + 32;
      for (const line of m.after ?? []) bytes += line.length * 2 + 32;
    }
  }
  return bytes;
}
