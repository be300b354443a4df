import { realpathSync, statSync } from "node:fs";
import { basename, resolve, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { EngineError } from "../errors.js";

export interface WorkspaceRoot {
  /** Canonical absolute path (symlinks resolved). */
  path: string;
  /** file:// URI of the path, as MCP roots and editors name folders. */
  uri: string;
  name: string;
}

/**
 * The folders Rune serves. Each is canonicalised with realpath once, here, so every later
 * containment check compares canonical paths.
 */
export class WorkspaceRoots {
  private roots: WorkspaceRoot[] = [];

  constructor(paths: readonly string[]) {
    this.replace(paths);
  }

  /** Replaces the roots (for example when an MCP client announces new ones). */
  replace(paths: readonly string[]): void {
    if (paths.length === 0)
      throw new EngineError("ROOT_UNAVAILABLE", "At least one workspace root is required");
    const seen = new Set<string>();
    const next: WorkspaceRoot[] = [];
    for (const given of paths) {
      const path = canonicalDirectory(given);
      if (seen.has(path)) continue;
      seen.add(path);
      next.push({ path, uri: pathToFileURL(path).href, name: basename(path) || path });
    }
    this.roots = next;
  }

  list(): readonly WorkspaceRoot[] {
    return this.roots;
  }

  /**
   * The part of these roots that the `wanted` folders cover (a client's MCP roots): a wanted
   * folder inside a root, or a root inside a wanted folder. A client may narrow the workspace but
   * never widen it, so null means they share nothing. Folders that do not exist are skipped.
   */
  narrowedTo(wanted: readonly string[]): WorkspaceRoots | null {
    const kept = new Set<string>();
    for (const given of wanted) {
      let path: string;
      try {
        path = realpathSync(resolve(given));
      } catch {
        continue;
      }
      for (const root of this.roots) {
        if (within(path, root.path)) kept.add(path);
        else if (within(root.path, path)) kept.add(root.path);
      }
    }
    return kept.size === 0 ? null : new WorkspaceRoots([...kept]);
  }
}

/** Whether `path` is `folder` or lies below it (both canonical). */
export function within(path: string, folder: string): boolean {
  return path === folder || path.startsWith(folder.endsWith(sep) ? folder : `${folder}${sep}`);
}

function canonicalDirectory(given: string): string {
  let path: string;
  try {
    path = realpathSync(resolve(given));
  } catch {
    throw new EngineError("ROOT_UNAVAILABLE", `Workspace root ${given} does not exist or cannot be read`);
  }
  if (!statSync(path).isDirectory()) {
    throw new EngineError("NOT_A_DIRECTORY", `Workspace root ${given} is not a directory`);
  }
  return path;
}
