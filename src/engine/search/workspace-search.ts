import { statSync } from "node:fs";
import type { PathSandbox } from "../files/path-sandbox.js";
import { rankFuzzy } from "../text/fuzzy-score.js";
import type { WorkerPool } from "../workers/worker-pool.js";
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

/** Workspace search confined to one sandbox, on the engine's worker pool. */
export class WorkspaceSearch {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly pool: WorkerPool,
  ) {}

  /**
   * Files whose path matches `query` fuzzily (the characters in order, as in editors' "go to
   * file"), best first: word starts, path separators, camelCase humps, consecutive characters
   * and matches in the file's name score higher.
   */
  async findFiles(request: FindFilesRequest): Promise<FindFilesResult> {
    const limit = request.limit ?? 50;
    const maxFiles = request.maxFiles ?? 200_000;
    const entries: { path: string; relative: string }[] = [];
    let partial = false;
    walking: for (const { root, start } of walkTargets(this.sandbox, request.paths)) {
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
          entries.push(entry);
        }
      }
    }
    const query = request.query.trim();
    if (query === "") {
      return {
        files: entries.slice(0, limit).map((e) => ({ ...e, score: 0, positions: [] })),
        scanned: entries.length,
        partial: partial || entries.length > limit,
      };
    }
    const ranked = rankFuzzy(
      query,
      entries.map((e) => e.relative),
      limit,
      { caseSensitive: "smart" },
    );
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

  async search(request: SearchRequest): Promise<SearchResult> {
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
