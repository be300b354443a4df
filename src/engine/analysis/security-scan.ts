import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineError } from "../errors.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import { fanOutFiles } from "../workers/file-fan-out.js";
import type { WorkerPool } from "../workers/worker-pool.js";
import { compileGlob } from "../workspace/glob.js";
import { posixRelative } from "../workspace/ignore-rules.js";
import { walkTargets } from "../workspace/walk-targets.js";
import { SECURITY_RULES, type Severity } from "./security-rules.js";
import type { Finding, SecurityTaskResult } from "./security-task.js";

export interface SecurityScanRequest {
  paths?: readonly unknown[];
  include?: readonly string[];
  exclude?: readonly string[];
  /** Rule ids (or prefixes such as "secret/") to run; all when absent. */
  rules?: readonly string[];
  /** Report this severity and worse (default note: everything). */
  minSeverity?: Severity;
  /** Findings to return at most (default 500). */
  maxFindings?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?(scanned: number): void;
}

export interface SecurityScanResult {
  findings: Finding[];
  partial: boolean;
  reason?: "limit" | "timeout" | "cancelled";
  /** Findings dropped by the workspace's `.rune/security.json`. */
  suppressedByConfig: number;
  stats: { scanned: number; bytes: number; skippedBinary: number; skippedLarge: number; elapsedMs: number };
}

/**
 * A workspace's suppressions, from `.rune/security.json` in a root:
 * `{ "disable": ["rule/id"], "ignorePaths": ["glob"], "suppress": [{ "rule": "rule/id", "path": "glob" }] }`.
 * Comments in code suppress one line: `rune-ignore` or `rune-ignore[rule/id]`, on the line or as
 * `rune-ignore-next-line` on the line above.
 */
interface SecurityConfig {
  disable?: string[];
  ignorePaths?: string[];
  suppress?: { rule: string; path: string }[];
}

const RANK: Record<Severity, number> = { error: 3, warning: 2, note: 1 };
const DOTENV_RULE = "secret/dotenv-file";

/** The secrets and dangerous-sinks scan, on the worker pool, confined to a sandbox. */
export class SecurityScanner {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly pool: WorkerPool,
  ) {}

  async scan(request: SecurityScanRequest = {}): Promise<SecurityScanResult> {
    const started = performance.now();
    const targets = walkTargets(this.sandbox, request.paths);
    const configs = new Map(this.sandbox.roots.list().map((r) => [r.path, readConfig(r.path)]));
    const disabled = new Set([...configs.values()].flatMap((c) => c.disable ?? []));
    const allIds = [...SECURITY_RULES.map((r) => r.id), DOTENV_RULE];
    const rules = allIds.filter(
      (id) => !disabled.has(id) && (!request.rules || request.rules.some((wanted) => id.startsWith(wanted))),
    );
    if (rules.length === 0)
      throw new EngineError("INVALID_ARGUMENT", `No rule matches ${JSON.stringify(request.rules)}`);
    const minRank = RANK[request.minSeverity ?? "note"];
    const maxFindings = request.maxFindings ?? 500;
    const ignored = [...configs.values()].flatMap((c) => c.ignorePaths ?? []);
    const suppressions = [...configs.entries()].flatMap(([root, c]) =>
      (c.suppress ?? []).map((s) => ({ root, rule: s.rule, matches: compileGlob(s.path) })),
    );
    const findings: Finding[] = [];
    const stats = { scanned: 0, bytes: 0, skippedBinary: 0, skippedLarge: 0, elapsedMs: 0 };
    let suppressedByConfig = 0;
    const reason = await fanOutFiles(
      this.pool,
      {
        targets,
        include: request.include,
        exclude: [...(request.exclude ?? []), ...ignored],
        // Dotenv files are hidden; the ignore files still keep out what is not in version control.
        hidden: true,
      },
      (files, signal) => this.pool.run("security", { files, rules, maxFileBytes: 16 * 1024 * 1024 }, signal),
      (result: SecurityTaskResult) => {
        stats.scanned += result.scanned;
        stats.bytes += result.bytes;
        stats.skippedBinary += result.skippedBinary;
        stats.skippedLarge += result.skippedLarge;
        for (const finding of result.findings) {
          if (RANK[finding.severity] < minRank) continue;
          const root = targets.find((t) => finding.path.startsWith(`${t.root}/`))?.root;
          const relative = root ? posixRelative(root, finding.path) : finding.path;
          if (suppressions.some((s) => s.root === root && s.rule === finding.ruleId && s.matches(relative))) {
            suppressedByConfig++;
            continue;
          }
          findings.push(finding);
        }
        request.onProgress?.(stats.scanned);
        return findings.length >= maxFindings ? "limit" : "continue";
      },
      { timeoutMs: request.timeoutMs ?? 60_000, signal: request.signal },
    );
    findings.sort(
      (a, b) => RANK[b.severity] - RANK[a.severity] || a.path.localeCompare(b.path) || a.line - b.line,
    );
    if (findings.length > maxFindings) findings.length = maxFindings;
    stats.elapsedMs = Math.round(performance.now() - started);
    const result: SecurityScanResult = { findings, partial: reason !== undefined, suppressedByConfig, stats };
    if (reason) result.reason = reason;
    return result;
  }
}

function readConfig(root: string): SecurityConfig {
  const path = join(root, ".rune", "security.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  try {
    const data = JSON.parse(text) as SecurityConfig;
    if (typeof data !== "object" || data === null) throw new Error("not an object");
    return data;
  } catch (error) {
    throw new EngineError("INVALID_ARGUMENT", `${path} is not valid: ${(error as Error).message}`);
  }
}
