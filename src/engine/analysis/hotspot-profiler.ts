import type { PathSandbox } from "../files/path-sandbox.js";
import { indexedGlobs } from "../symbols/languages.js";
import { fanOutFiles } from "../workers/file-fan-out.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import type { SourceRange } from "./code-diagnostic.js";
import { gitChurn } from "./git-churn.js";
import type { ProfileTaskResult } from "./profile-task.js";
import { scopeOf } from "./walk-scope.js";

export interface HotspotRequest {
  paths?: readonly unknown[];
  include?: readonly string[];
  exclude?: readonly string[];
  /** Hotspots returned at most (default 20). */
  limit?: number;
  /** Churn window: the newest N commits (default 1,000)... */
  maxCommits?: number;
  /** ...of the last N days (default: no age limit). */
  sinceDays?: number;
  /** Functions simpler than this are not ranked (default 2). */
  minComplexity?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?(files: number): void;
}

/** A function worth a look: complex, and in a file that changes often. */
export interface Hotspot {
  path: string;
  /** Container path and name, `Class/method`. */
  name: string;
  range: SourceRange;
  complexity: number;
  lines: number;
  /** Commits in the window that touched the function's file. */
  commits: number;
  score: number;
}

export interface HotspotResult {
  hotspots: Hotspot[];
  /** How the score is computed, in words. */
  scoring: string;
  churn: { available: boolean; note?: string; commitsRead: number; maxCommits: number; sinceDays?: number };
  stats: { filesParsed: number; functions: number; elapsedMs: number };
  partial: boolean;
  reason?: "limit" | "timeout" | "cancelled";
}

export const SCORING =
  "score = complexity × (1 + ln(1 + commits)): cyclomatic complexity weighted by how often the file changed; with no history, complexity alone";

/** Ranks functions by complexity and change frequency (hotspots), on the worker pool. */
export class HotspotProfiler {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly pool: WorkerPool,
  ) {}

  async profile(request: HotspotRequest = {}): Promise<HotspotResult> {
    const started = performance.now();
    const scope = scopeOf(this.sandbox, { ...request, include: request.include ?? indexedGlobs() });
    const maxCommits = request.maxCommits ?? 1000;
    // History is read while the files are parsed.
    const churns = Promise.all(
      scope.roots.map((root) => gitChurn(root, { maxCommits, sinceDays: request.sinceDays })),
    );
    const functions: Omit<Hotspot, "commits" | "score">[] = [];
    let filesParsed = 0;
    const reason = await fanOutFiles(
      this.pool,
      scope,
      (files, signal) =>
        this.pool.run(
          "profile",
          { files, maxFileBytes: 1024 * 1024, minComplexity: request.minComplexity ?? 2 },
          signal,
        ),
      (result: ProfileTaskResult) => {
        filesParsed += result.parsed;
        for (const file of result.files) {
          for (const fn of file.functions) {
            functions.push({
              path: file.path,
              name: fn.container ? `${fn.container}/${fn.name}` : fn.name,
              range: fn.range,
              complexity: fn.complexity,
              lines: fn.lines,
            });
          }
        }
        request.onProgress?.(filesParsed);
        return "continue";
      },
      { timeoutMs: request.timeoutMs ?? 60_000, signal: request.signal },
    );
    const histories = await churns;
    const byFile = new Map<string, number>();
    for (const history of histories)
      for (const [path, n] of history.byFile) byFile.set(path, (byFile.get(path) ?? 0) + n);
    const available = histories.some((h) => h.available);
    const ranked: Hotspot[] = functions.map((fn) => {
      const commits = byFile.get(fn.path) ?? 0;
      return { ...fn, commits, score: Math.round(fn.complexity * (1 + Math.log1p(commits)) * 100) / 100 };
    });
    ranked.sort((a, b) => b.score - a.score || b.complexity - a.complexity || a.path.localeCompare(b.path));
    const result: HotspotResult = {
      hotspots: ranked.slice(0, request.limit ?? 20),
      scoring: SCORING,
      churn: {
        available,
        commitsRead: histories.reduce((n, h) => n + h.commits, 0),
        maxCommits,
        ...(request.sinceDays === undefined ? {} : { sinceDays: request.sinceDays }),
      },
      stats: { filesParsed, functions: functions.length, elapsedMs: Math.round(performance.now() - started) },
      partial: reason !== undefined,
    };
    const note = histories.find((h) => !h.available)?.note;
    if (note)
      result.churn.note = available ? `some roots have no history: ${note}` : `${note}; churn counted as 0`;
    if (reason) result.reason = reason;
    return result;
  }
}
