import { execFile } from "node:child_process";
import { resolve } from "node:path";

/** How often files changed in a window of a repository's history. */
export interface Churn {
  /** Whether history was read; when false, `note` says why and every count is 0. */
  available: boolean;
  note?: string;
  /** Commits read. */
  commits: number;
  /** Commits touching each file, by absolute path. */
  byFile: Map<string, number>;
}

export interface ChurnOptions {
  /** Read at most this many commits, newest first (default 1,000). */
  maxCommits?: number;
  /** Only commits of the last N days. */
  sinceDays?: number;
  timeoutMs?: number;
}

/**
 * Change frequency from `git log --numstat` run in `folder`: for each file, the commits in the
 * window that touched it. Renames are counted under the new name. No git, no repository or a
 * failing git gives an empty result that says so, never an error.
 */
export async function gitChurn(folder: string, options: ChurnOptions = {}): Promise<Churn> {
  const none = (note: string): Churn => ({ available: false, note, commits: 0, byFile: new Map() });
  let top: string;
  try {
    top = (await git(folder, ["rev-parse", "--show-toplevel"], options.timeoutMs)).trim();
  } catch (error) {
    return none(`no git history: ${firstLine(error)}`);
  }
  const args = ["log", "--numstat", "--no-renames", "--format=%x00%H", `-n${options.maxCommits ?? 1000}`];
  if (options.sinceDays !== undefined) args.push(`--since=${options.sinceDays}.days`);
  args.push("--", ".");
  let out: string;
  try {
    out = await git(folder, args, options.timeoutMs);
  } catch (error) {
    return none(`git log failed: ${firstLine(error)}`);
  }
  const byFile = new Map<string, number>();
  let commits = 0;
  for (const line of out.split("\n")) {
    if (line.startsWith("\0")) {
      commits++;
      continue;
    }
    const tab = line.indexOf("\t");
    const second = tab === -1 ? -1 : line.indexOf("\t", tab + 1);
    if (second === -1) continue;
    const path = resolve(top, unquote(line.slice(second + 1)));
    byFile.set(path, (byFile.get(path) ?? 0) + 1);
  }
  return { available: true, commits, byFile };
}

function git(cwd: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      "git",
      ["-c", "core.quotePath=false", ...args],
      { cwd, timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" },
      (error, stdout, stderr) => (error ? fail(new Error(stderr.trim() || error.message)) : done(stdout)),
    );
  });
}

/** Git quotes paths with unusual characters even with quotePath off (tabs, newlines, quotes). */
function unquote(path: string): string {
  if (!path.startsWith('"')) return path;
  try {
    return JSON.parse(path) as string;
  } catch {
    return path.slice(1, -1);
  }
}

function firstLine(error: unknown): string {
  return String((error as Error).message ?? error).split("\n", 1)[0] as string;
}
