import type { PathSandbox } from "../files/path-sandbox.js";
import { within } from "./workspace-roots.js";

/** A place to start a walk, with the workspace root whose ignore files and globs apply to it. */
export interface WalkTarget {
  root: string;
  start: string;
}

/**
 * Where each requested path starts a walk (every root when none is given), each confined by the
 * sandbox and paired with the deepest root that holds it.
 */
export function walkTargets(sandbox: PathSandbox, paths: readonly unknown[] | undefined): WalkTarget[] {
  const roots = sandbox.roots.list().map((r) => r.path);
  const starts =
    paths && paths.length > 0 ? paths.map((p) => sandbox.resolveSync(p, { mustExist: true })) : roots;
  return starts.map((start) => ({
    start,
    root: roots.filter((root) => within(start, root)).sort((a, b) => b.length - a.length)[0] as string,
  }));
}
