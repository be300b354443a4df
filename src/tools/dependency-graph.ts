import { relative, sep } from "node:path";
import type { DependencyGraph, Traversal, WorkspaceRoots } from "../engine/index.js";
import { defineTool } from "./define-tool.js";

const REACHED = {
  type: "object",
  properties: {
    files: {
      type: "array",
      items: {
        type: "object",
        properties: {
          path: { type: "string" },
          depth: { type: "integer", description: "Import steps from the file" },
          via: { type: "string", description: "The file it was reached from" },
          typeOnly: { type: "boolean", description: "Only type imports on that step" },
        },
        required: ["path", "depth", "via", "typeOnly"],
        additionalProperties: false,
      },
    },
    truncated: { type: "boolean", description: "More files exist past `limit`" },
  },
  required: ["files", "truncated"],
  additionalProperties: false,
} as const;

const PATHS = { type: "array", items: { type: "string" } } as const;

/**
 * dependency_graph: what a file imports and what imports it (JavaScript/TypeScript, Python, Go),
 * resolved to files in the workspace, and the import cycles. The graph is the engine's; this only
 * shapes it, with paths relative to the first root.
 */
export function dependencyGraphTool(roots: WorkspaceRoots, graph: () => Promise<DependencyGraph>) {
  const first = roots.list()[0]!.path;
  const show = (path: string): string => {
    const rel = relative(first, path);
    return rel === "" || rel.startsWith(`..${sep}`) || rel === ".." ? path : rel;
  };
  const shape = (traversal: Traversal) => ({
    files: traversal.files.map((f) => ({ ...f, path: show(f.path), via: show(f.via) })),
    truncated: traversal.truncated,
  });
  return defineTool({
    name: "dependency_graph",
    title: "Dependency graph",
    description:
      "Module imports in the workspace (JavaScript/TypeScript incl. tsconfig paths and workspace packages, Python, Go), resolved to files. With `path`: the files it imports (dependencies), the files that import it (dependents), or both, to a depth; its external modules (packages, standard library) by name; imports that resolve nowhere. With `cycles`: import cycles, each as a list of files where each imports the next and the last imports the first (with `path`, only the cycle through it). Without `path`, cycles are listed. Results are bounded by `limit`; `truncated` says more exist.",
    input: {
      type: "object",
      properties: {
        path: {
          type: "string",
          description: "Source file, absolute or relative to the first workspace root",
        },
        direction: {
          type: "string",
          enum: ["dependencies", "dependents", "both"],
          default: "dependencies",
          description: "Follow imports out of the file, into it, or both",
        },
        depth: {
          type: "integer",
          minimum: 1,
          maximum: 100,
          default: 1,
          description: "Import steps to follow",
        },
        includeExternal: {
          type: "boolean",
          default: true,
          description: "List the file's imports from outside the workspace, and unresolved ones",
        },
        includeTypeOnly: {
          type: "boolean",
          default: true,
          description: "Count TypeScript type-only imports as edges",
        },
        cycles: { type: "boolean", description: "List import cycles (default: true without `path`)" },
        limit: {
          type: "integer",
          minimum: 1,
          maximum: 5000,
          default: 200,
          description: "Bound on files per list, and on the files of all cycles together",
        },
      },
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        file: { type: "string" },
        dependencies: REACHED,
        dependents: REACHED,
        externals: PATHS,
        unresolved: PATHS,
        importsTruncated: {
          type: "boolean",
          description: "`externals` or `unresolved` had more than `limit`",
        },
        cycles: {
          type: "object",
          properties: {
            cycles: {
              type: "array",
              items: {
                type: "object",
                properties: {
                  files: PATHS,
                  componentSize: {
                    type: "integer",
                    description: "Files in the tangle this cycle belongs to",
                  },
                  truncated: {
                    type: "boolean",
                    description: "The cycle is longer than `limit`: `files` lists its first ones",
                  },
                },
                required: ["files", "componentSize"],
                additionalProperties: false,
              },
            },
            truncated: { type: "boolean" },
          },
          required: ["cycles", "truncated"],
          additionalProperties: false,
        },
        graphFiles: { type: "integer", description: "Source files in the graph" },
        notScanned: {
          type: "string",
          description:
            "Why `file`'s own imports were not read (too large, unreadable): they are unknown, not none",
        },
        unscannedFiles: {
          type: "integer",
          description: "Files of the graph whose imports were not read: edges from them are missing",
        },
      },
      required: ["graphFiles"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run(args) {
      const g = await graph();
      const { direction = "dependencies", depth = 1, limit = 200, includeTypeOnly = true } = args;
      const options = { depth, limit, includeTypeOnly };
      const file = args.path === undefined ? undefined : g.locate(args.path);
      const cycles =
        (args.cycles ?? file === undefined) ? g.cycles({ limit, includeTypeOnly, through: file }) : undefined;
      const notScanned = file === undefined ? undefined : g.skipped(file);
      const unscanned = g.unscanned;
      return {
        graphFiles: g.size,
        ...(unscanned > 0 ? { unscannedFiles: unscanned } : {}),
        ...(file === undefined ? {} : { file: show(file) }),
        ...(notScanned === undefined ? {} : { notScanned }),
        ...(file === undefined || direction === "dependents"
          ? {}
          : { dependencies: shape(g.dependencies(file, options)) }),
        ...(file === undefined || direction === "dependencies"
          ? {}
          : { dependents: shape(g.dependents(file, options)) }),
        ...(file === undefined || args.includeExternal === false ? {} : imports(g, file, limit)),
        ...(cycles === undefined
          ? {}
          : {
              cycles: {
                cycles: cycles.cycles.map((c) => ({ ...c, files: c.files.map(show) })),
                truncated: cycles.truncated,
              },
            }),
      };
    },
  });
}

/** A file's external and unresolved imports, each list cut at `limit`, and whether either was. */
function imports(graph: DependencyGraph, file: string, limit: number) {
  const externals = graph.externals(file);
  const unresolved = graph.unresolved(file);
  return {
    externals: externals.slice(0, limit),
    unresolved: unresolved.slice(0, limit),
    ...(externals.length > limit || unresolved.length > limit ? { importsTruncated: true } : {}),
  };
}
