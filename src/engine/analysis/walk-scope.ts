import { statSync } from "node:fs";
import type { PathSandbox } from "../files/path-sandbox.js";
import type { FileScope } from "../workers/file-fan-out.js";
import { walkTargets } from "../workspace/walk-targets.js";

/**
 * The fan-out scope of requested paths: folders are walked (honouring ignore files), files named
 * outright are taken as given. Every root when no path is given.
 */
export function scopeOf(
  sandbox: PathSandbox,
  request: { paths?: readonly unknown[]; include?: readonly string[]; exclude?: readonly string[] },
): FileScope & { roots: string[] } {
  const targets = walkTargets(sandbox, request.paths);
  const single = targets.filter((t) => statSync(t.start).isFile());
  return {
    targets: targets.filter((t) => !single.includes(t)),
    files: single.map((t) => t.start),
    include: request.include,
    exclude: request.exclude,
    roots: [...new Set(targets.map((t) => t.root))],
  };
}
