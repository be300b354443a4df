import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";

/** A running IDE server as its lock file describes it (VS Code, JetBrains, claudecode.nvim, Rune). */
export interface IdeServer {
  port: number;
  pid: number;
  ideName: string;
  workspaceFolders: string[];
  authToken: string;
  /** The lock file's modification time: the most recently started server sorts first. */
  startedAt: number;
  lockFile: string;
}

export interface DiscoverOptions {
  /** Where the lock files are (`~/.claude/ide`, or `$CLAUDE_CONFIG_DIR/ide`). */
  lockDirectory: string;
  /** Keep only servers whose workspace folders contain this path (or lie inside it). */
  workspace?: string;
}

/**
 * The IDE servers that are running now: lock files whose process is alive, that speak WebSocket,
 * and (if asked) whose workspace matches. Unreadable, malformed and stale lock files are skipped:
 * editors that crash leave them behind.
 */
export function discoverIdeServers(options: DiscoverOptions): IdeServer[] {
  let names: string[];
  try {
    names = readdirSync(options.lockDirectory);
  } catch {
    return [];
  }
  const found: IdeServer[] = [];
  for (const name of names) {
    const match = /^(\d+)\.lock$/.exec(name);
    if (!match) continue;
    const lockFile = join(options.lockDirectory, name);
    const server = readLock(lockFile, Number(match[1]));
    if (!server || !isAlive(server.pid)) continue;
    if (options.workspace !== undefined && !coversWorkspace(server.workspaceFolders, options.workspace))
      continue;
    found.push(server);
  }
  return found.sort((a, b) => b.startedAt - a.startedAt);
}

function readLock(lockFile: string, port: number): IdeServer | undefined {
  let data: unknown;
  let startedAt: number;
  try {
    data = JSON.parse(readFileSync(lockFile, "utf8"));
    startedAt = statSync(lockFile).mtimeMs;
  } catch {
    return undefined;
  }
  if (typeof data !== "object" || data === null) return undefined;
  const lock = data as Record<string, unknown>;
  const folders = lock.workspaceFolders;
  if (
    !Number.isSafeInteger(lock.pid) ||
    typeof lock.authToken !== "string" ||
    (lock.transport !== undefined && lock.transport !== "ws") ||
    !Array.isArray(folders) ||
    !folders.every((f) => typeof f === "string")
  ) {
    return undefined;
  }
  return {
    port,
    pid: lock.pid as number,
    ideName: typeof lock.ideName === "string" ? lock.ideName : "IDE",
    workspaceFolders: folders as string[],
    authToken: lock.authToken,
    startedAt,
    lockFile,
  };
}

/** Signal 0 checks that a process exists; EPERM means it does, owned by someone else. */
function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Whether one of the folders is the workspace, contains it, or lies inside it. */
function coversWorkspace(folders: readonly string[], workspace: string): boolean {
  const target = resolve(workspace);
  return folders.some((folder) => {
    const f = resolve(folder);
    return within(f, target) || within(target, f);
  });
}

function within(parent: string, child: string): boolean {
  const rel = relative(parent, child);
  return rel === "" || (!rel.startsWith("..") && !rel.startsWith("/"));
}
