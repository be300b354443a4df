import { chmodSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { homedir } from "node:os";
import { join } from "node:path";

/** What Claude Code reads from `<port>.lock` to find and authenticate to an IDE server. */
export interface IdeLockContents {
  pid: number;
  workspaceFolders: string[];
  ideName: string;
  transport: "ws";
  authToken: string;
}

/** `$CLAUDE_CONFIG_DIR/ide`, or `~/.claude/ide`: where Claude Code looks for IDE lock files. */
export function ideLockDirectory(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.CLAUDE_CONFIG_DIR ?? join(homedir(), ".claude"), "ide");
}

/**
 * Writes a lock file atomically (a temporary file in the same directory, then rename), readable
 * by its owner only (0600 in a 0700 directory): it holds the token that opens the server.
 * Returns the path.
 */
export function writeIdeLockFile(directory: string, port: number, contents: IdeLockContents): string {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  chmodSync(directory, 0o700);
  const path = join(directory, `${port}.lock`);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(contents), { mode: 0o600, flag: "w" });
  renameSync(temporary, path);
  return path;
}

/** Removes a lock file; synchronous so it can run in an exit handler. */
export function removeIdeLockFile(path: string): void {
  rmSync(path, { force: true });
}
