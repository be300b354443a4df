import { EngineError } from "../errors.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import { fanOutFiles } from "../workers/file-fan-out.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import { compileGlob } from "../workspace/glob.js";
import { posixRelative } from "../workspace/ignore-rules.js";
import { within } from "../workspace/workspace-roots.js";
import { type CodeDiagnostic, compareByPosition, SEVERITY_RANK, type Severity } from "./code-diagnostic.js";
import type { DiagnosticsHub } from "./diagnostics-hub.js";
import {
  EXTERNAL_LINTERS,
  type ExternalLinter,
  type ExternalRun,
  runExternalLinter,
} from "./external-linters.js";
import {
  LINT_MAX_FILE_BYTES,
  type LintSettings,
  type LintThresholds,
  lintSettings,
  readLintConfig,
} from "./lint-config.js";
import type { LintTaskResult } from "./lint-task.js";
import { scopeOf } from "./walk-scope.js";

export interface LintRequest {
  paths?: readonly unknown[];
  include?: readonly string[];
  exclude?: readonly string[];
  /** Built-in rules to run (default: all but those `.rune/lint.json` disables). */
  rules?: readonly string[];
  thresholds?: Partial<LintThresholds>;
  /** External linters to run as well, if installed. */
  external?: readonly string[];
  minSeverity?: Severity;
  /** Diagnostics returned at most (default 500). */
  maxDiagnostics?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?(files: number): void;
}

export interface LintResult {
  diagnostics: CodeDiagnostic[];
  /** Diagnostics found, before the bound. */
  total: number;
  truncated: boolean;
  /** Diagnostics found per rule id. */
  counts: Record<string, number>;
  external: Omit<ExternalRun, "diagnostics">[];
  settings: LintSettings;
  partial: boolean;
  reason?: "timeout" | "cancelled";
  stats: {
    files: number;
    parsed: number;
    bytes: number;
    skippedBinary: number;
    skippedLarge: number;
    skippedMinified: number;
    elapsedMs: number;
  };
}

/** Built-in lint rules on the worker pool, external linters beside them; confined to a sandbox. */
export class LintAnalyzer {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly pool: WorkerPool,
    private readonly hub: DiagnosticsHub,
    private readonly allowExec = false,
  ) {}

  async lint(request: LintRequest = {}): Promise<LintResult> {
    const started = performance.now();
    const configs = new Map(
      this.sandbox.roots.list().map((r) => [r.path, readLintConfig(r.path, this.sandbox)]),
    );
    // The call's list, else the linters the workspace's .rune/lint.json asks for.
    const wanted = request.external ?? [...new Set([...configs.values()].flatMap((c) => c.external ?? []))];
    const external = wanted.map((name) => {
      if (!(EXTERNAL_LINTERS as readonly string[]).includes(name)) {
        throw new EngineError(
          "INVALID_ARGUMENT",
          `unknown external linter ${JSON.stringify(name)}; use ${EXTERNAL_LINTERS.join(", ")}`,
        );
      }
      return name as ExternalLinter;
    });
    const settings = lintSettings([...configs.values()], request);
    const ignored = [...configs.values()].flatMap((c) => c.ignorePaths ?? []);
    const scope = scopeOf(this.sandbox, { ...request, exclude: [...(request.exclude ?? []), ...ignored] });
    const externalRuns = this.runExternal(external, scope, request);
    const minRank = SEVERITY_RANK[request.minSeverity ?? "hint"];
    const found: CodeDiagnostic[] = [];
    const stats = {
      files: 0,
      parsed: 0,
      bytes: 0,
      skippedBinary: 0,
      skippedLarge: 0,
      skippedMinified: 0,
      elapsedMs: 0,
    };
    const reason = await fanOutFiles(
      this.pool,
      scope,
      (files, signal) =>
        this.pool.run("lint", { files, settings, maxFileBytes: LINT_MAX_FILE_BYTES }, signal),
      (result: LintTaskResult) => {
        stats.bytes += result.bytes;
        stats.skippedBinary += result.skippedBinary;
        stats.skippedLarge += result.skippedLarge;
        stats.skippedMinified += result.skippedMinified;
        for (const file of result.files) {
          stats.files++;
          if (file.parsed) stats.parsed++;
          this.hub.recordLint(file.path, file.hash, file.diagnostics);
          for (const d of file.diagnostics) if (SEVERITY_RANK[d.severity] >= minRank) found.push(d);
        }
        request.onProgress?.(stats.files);
        return "continue";
      },
      { timeoutMs: request.timeoutMs ?? 120_000, signal: request.signal, filesPerTask: 32 },
    );
    const runs = await externalRuns;
    for (const run of runs) {
      for (const d of run.diagnostics) {
        if (
          SEVERITY_RANK[d.severity] >= minRank &&
          this.sandbox.roots.list().some((r) => within(d.path, r.path))
        )
          found.push(d);
      }
    }
    found.sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || compareByPosition(a, b));
    const counts: Record<string, number> = {};
    for (const d of found) counts[d.ruleId] = (counts[d.ruleId] ?? 0) + 1;
    const max = request.maxDiagnostics ?? 500;
    stats.elapsedMs = Math.round(performance.now() - started);
    const result: LintResult = {
      diagnostics: found.slice(0, max),
      total: found.length,
      truncated: found.length > max,
      counts,
      external: runs.map(({ diagnostics: _d, ...run }) => run),
      settings,
      partial: reason !== undefined,
      stats,
    };
    if (reason === "timeout" || reason === "cancelled") result.reason = reason;
    return result;
  }

  /** Each requested linter over each root the request reaches, in parallel with Rune's own rules. */
  private runExternal(
    linters: ExternalLinter[],
    scope: ReturnType<typeof scopeOf>,
    request: LintRequest,
  ): Promise<ExternalRun[]> {
    const targets = [...scope.targets.map((t) => t.start), ...(scope.files ?? [])];
    return Promise.all(
      linters.flatMap((linter) =>
        scope.roots.map(async (root) => {
          if (!this.allowExec) return refused(linter);
          // The whole project when a root itself is asked for; else the folders and files asked for.
          const mine = targets.filter((t) => within(t, root));
          const args = mine.includes(root) ? [] : mine;
          const run = await runExternalLinter(linter, root, args, {
            timeoutMs: request.timeoutMs ?? 120_000,
            signal: request.signal,
          });
          if (request.include || request.exclude) {
            const keep = anyGlob(request.include ?? ["**"]);
            const drop = request.exclude?.length ? anyGlob(request.exclude) : () => false;
            run.diagnostics = run.diagnostics.filter(
              (d) => keep(posixRelative(root, d.path)) && !drop(posixRelative(root, d.path)),
            );
          }
          return run;
        }),
      ),
    );
  }
}

/** A linter not run because the server may not run the workspace's executables. */
function refused(linter: ExternalLinter): ExternalRun {
  return {
    linter,
    status: "refused",
    note: `${linter} was not run: running the project's own linters (its executables and configs) is off; start Rune with --allow-exec to allow it`,
    diagnostics: [],
    elapsedMs: 0,
  };
}

/** Whether any of `globs` matches a relative path; a glob without `/` matches the file's name. */
function anyGlob(globs: readonly string[]): (path: string) => boolean {
  const tests = globs.map((glob) => {
    const test = compileGlob(glob);
    return glob.includes("/") ? test : (path: string) => test(path.slice(path.lastIndexOf("/") + 1));
  });
  return (path) => tests.some((test) => test(path));
}
