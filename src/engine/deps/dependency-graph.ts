import { readFileSync, statSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { EngineError } from "../errors.js";
import { pathKind } from "../files/path-kind.js";
import { governedByIgnoreFile } from "../workspace/walker.js";
import { type WorkspaceRoots, within } from "../workspace/workspace-roots.js";
import { cyclicComponents, shortestCycle } from "./cycles.js";
import { type ImportRecord, languageOf, type SourceLanguage } from "./import-record.js";
import type { Resolution } from "./js-resolver.js";
import { ModuleResolver, type ResolverOptions } from "./module-resolver.js";
import { scanImports } from "./scan-imports.js";

export interface GraphOptions extends ResolverOptions {
  /** Files larger than this are listed but not scanned (generated bundles). Default 8 MiB. */
  maxFileBytes?: number;
  /**
   * The files under a folder, by the same rules as the files the graph was built from. An update
   * that names a folder lists it, since a folder moved or unpacked into the workspace arrives as
   * one event that names none of its files; without it, such files join only when named.
   */
  listFolder?(folder: string): Iterable<string> | AsyncIterable<string>;
  /**
   * Whether the files the graph was built from would include a file or folder under `root`: made
   * once per root and update, so a file an update names joins only if a build would have listed
   * it (not ignored, not hidden). Without it, every source file named joins.
   */
  reach?(root: string): { reaches(path: string, isFolder?: boolean): boolean };
}

/** An import as written, with where it led. */
export interface ResolvedImport extends ImportRecord {
  resolution: Resolution;
}

export interface TraversalOptions {
  /** How many import steps to follow; 1 means direct imports only. Default 1. */
  depth?: number;
  /** Bound on the files returned. Default 500. */
  limit?: number;
  /** Whether imports erased at compile time (`import type`) count. Default true. */
  includeTypeOnly?: boolean;
}

/** A file reached by a traversal, at its distance from the start. */
export interface ReachedFile {
  path: string;
  depth: number;
  /** The file it was first reached from (the start at depth 1). */
  via: string;
  /** Whether every import on that step is type-only. */
  typeOnly: boolean;
}

export interface Traversal {
  file: string;
  files: ReachedFile[];
  /** Whether files were left out because of `limit`. */
  truncated: boolean;
}

export interface DependencyCycle {
  /** A shortest cycle: each file imports the next, and the last imports the first. */
  files: string[];
  /** How many files the strongly connected component holding this cycle has. */
  componentSize: number;
  /** The cycle is longer than the files listed: `files` holds its first ones only. */
  truncated?: boolean;
}

export interface UpdateSummary {
  scanned: number;
  removed: number;
  /** Files whose imports were resolved again without being read. */
  reresolved: number;
}

interface Node {
  language: SourceLanguage;
  imports: ResolvedImport[];
  /** Each target file, and whether every import of it from this node is type-only. */
  targets: Map<string, boolean>;
  /** Why the file was not scanned (too large, unreadable), if it was not. */
  skipped?: string;
}

const DEFAULT_LIMIT = 500;
const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Longest stretch of synchronous reading and scanning before the event loop gets a turn. */
const YIELD_EVERY_MS = 10;

/**
 * The import graph of a set of source files (JavaScript/TypeScript, Python, Go) inside the
 * workspace roots: built once from a list of files, then kept current with `update`, which reads
 * only the files that changed. Edges join files; imports that lead outside the workspace are kept
 * per file as external module names and are never followed.
 */
export class DependencyGraph {
  private readonly nodes = new Map<string, Node>();
  /** How many of the graph's files lie below each folder (at any depth). */
  private readonly holding = new Map<string, number>();
  private readonly importers = new Map<string, Set<string>>();
  private readonly manifests = new Set<string>();
  private readonly resolver: ModuleResolver;
  private readonly maxFileBytes: number;
  private readonly listFolder: GraphOptions["listFolder"];
  private readonly reach: GraphOptions["reach"];
  private readonly roots: WorkspaceRoots;
  private readonly firstRoot: string;
  private updating: Promise<unknown> = Promise.resolve();

  private constructor(roots: WorkspaceRoots, options: GraphOptions) {
    this.resolver = new ModuleResolver(roots, options);
    this.firstRoot = roots.list()[0]!.path;
    this.maxFileBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    this.listFolder = options.listFolder;
    this.reach = options.reach;
    this.roots = roots;
  }

  /**
   * Builds the graph of `files` (absolute paths; other files such as package.json, tsconfig.json and
   * go.mod may be among them). Files outside the roots, or whose language is not supported, are
   * not nodes.
   */
  static async build(
    roots: WorkspaceRoots,
    files: Iterable<string> | AsyncIterable<string>,
    options: GraphOptions = {},
  ): Promise<DependencyGraph> {
    const graph = new DependencyGraph(roots, options);
    const sources: string[] = [];
    for await (const file of files) {
      if (basename(file) === "package.json") graph.manifests.add(resolve(file));
      else if (languageOf(file)) sources.push(file);
    }
    graph.resolver.setManifests(graph.manifests);
    await graph.scanAll(sources);
    for (const path of graph.nodes.keys()) graph.link(path);
    return graph;
  }

  /**
   * Brings the graph up to date after `changedPaths` were created, changed or deleted (as a file
   * watcher reports them). Only those files are read again. When files appear or disappear, or a
   * configuration file changes (tsconfig, package.json, go.mod), every file's imports are resolved
   * again from what was already read, since any of them may now lead elsewhere.
   */
  update(changedPaths: Iterable<string>): Promise<UpdateSummary> {
    const paths = [...changedPaths];
    // One update at a time: two interleaved would unlink and relink the same nodes.
    const done = this.updating.then(() => this.apply(paths));
    this.updating = done.catch(() => {});
    return done;
  }

  private async apply(changedPaths: readonly string[]): Promise<UpdateSummary> {
    let everything = false;
    const rescan: string[] = [];
    /** What `rescan` holds, for a folder of many new files. */
    const queued = new Set<string>();
    /** Paths where no folder is now: the graph's files under them leave, in one pass at the end. */
    const noFolder = new Set<string>();
    const reached = this.reachedIn();
    let removed = 0;
    // A changed ignore file changes what its folder's listing holds: that folder is listed again.
    const paths = changedPaths.map((given) => this.absolute(given));
    for (const path of [...paths]) {
      const governed = governedByIgnoreFile(path);
      if (governed !== undefined && within(governed, this.rootOf(governed))) paths.push(governed);
    }
    for (const path of paths) {
      if (this.resolver.invalidate(path)) everything = true;
      if (basename(path) === "package.json") {
        const exists = this.resolver.confine(path) !== null;
        if (exists) this.manifests.add(path);
        else this.manifests.delete(path);
      }
      // Not followed if a link: the build's listing holds none, and one may lead outside.
      const kind = pathKind(path);
      // A link is taken as itself, never as its target: that one is a node in its own right.
      const canonical = kind === "missing" || kind === "link" ? null : this.resolver.confine(path);
      const known = canonical ?? path;
      if (languageOf(path) && kind === "file" && canonical !== null && reached(canonical, false)) {
        if (!this.nodes.has(known)) everything = true;
        if (!queued.has(known)) {
          queued.add(known);
          rescan.push(known);
        }
        noFolder.add(path); // it may have replaced a folder of its name
        continue;
      }
      // Any other file coming or going may be what an import names (`./styles.css`).
      everything = true;
      if (this.nodes.has(known)) {
        // Gone, now a link or a folder, or now ignored: it leaves (a folder's files join below).
        this.remove(known);
        removed++;
      }
      if (kind !== "folder") {
        noFolder.add(path);
        continue;
      }
      // A folder that is there (new, moved in, or only touched): its files the graph lacks join
      // it, files under it that are gone leave it, and every cached listing is dropped, as any
      // folder below may have changed.
      this.resolver.clear();
      const listedHere = new Set<string>();
      for await (const file of this.listFolder?.(path) ?? []) {
        if (basename(file) === "package.json") this.manifests.add(resolve(file));
        const listed = languageOf(file) ? this.resolver.confine(file) : null;
        if (listed === null) continue;
        listedHere.add(listed);
        if (!this.nodes.has(listed) && !queued.has(listed)) {
          queued.add(listed);
          rescan.push(listed);
        }
      }
      // Gone, or no longer listed (ignored now): such files leave. Without a lister, only the gone.
      for (const file of [...this.nodes.keys()]) {
        if (!within(file, path) || file === path || listedHere.has(file)) continue;
        if (this.listFolder ? !queued.has(file) : pathKind(file) === "missing") {
          this.remove(file);
          removed++;
        }
      }
    }
    removed += this.removeUnder(noFolder);
    if (everything) this.resolver.setManifests(this.manifests);
    for (const path of rescan) this.unlink(path);
    await this.scanAll(rescan);
    const relink = everything ? [...this.nodes.keys()] : rescan;
    if (everything) for (const path of relink) this.unlink(path);
    for (const path of relink) this.link(path);
    return { scanned: rescan.length, removed, reresolved: relink.length - rescan.length };
  }

  /** The deepest root holding `path`, or the first root. */
  private rootOf(path: string): string {
    const holding = this.roots.list().filter((r) => within(path, r.path));
    return holding.sort((a, b) => b.path.length - a.path.length)[0]?.path ?? this.firstRoot;
  }

  /** Whether a build's listing would hold `path`, by the `reach` option (one per root per update). */
  private reachedIn(): (path: string, isFolder: boolean) => boolean {
    if (!this.reach) return () => true;
    const byRoot = new Map<string, { reaches(path: string, isFolder?: boolean): boolean }>();
    return (path, isFolder) => {
      const root = this.rootOf(path);
      if (!within(path, root)) return false;
      let reach = byRoot.get(root);
      if (!reach) {
        reach = this.reach?.(root) as { reaches(path: string, isFolder?: boolean): boolean };
        byRoot.set(root, reach);
      }
      return reach.reaches(path, isFolder);
    };
  }

  /** Removes the files under any of `folders` (gone, or replaced by a file); how many went. */
  private removeUnder(gone: ReadonlySet<string>): number {
    // Most paths named are files, which hold nothing: only folders that held files cost a pass.
    const folders = new Set([...gone].filter((path) => this.holding.has(path)));
    if (folders.size === 0) return 0;
    let removed = 0;
    for (const file of [...this.nodes.keys()]) {
      for (let folder = dirname(file); ; folder = dirname(folder)) {
        if (folders.has(folder)) {
          this.remove(file);
          removed++;
          break;
        }
        if (dirname(folder) === folder) break;
      }
    }
    return removed;
  }

  get size(): number {
    return this.nodes.size;
  }

  /** The source files in the graph, in the order they were added. */
  files(): string[] {
    return [...this.nodes.keys()];
  }

  has(file: string): boolean {
    return this.nodes.has(file);
  }

  /** The imports of `file`, each with where it led. */
  imports(file: string): readonly ResolvedImport[] {
    return this.node(file).imports;
  }

  /** The modules outside the workspace that `file` imports, by name, sorted. */
  externals(file: string): string[] {
    const names = new Set<string>();
    for (const record of this.node(file).imports) {
      if (record.resolution.type === "external") names.add(record.resolution.name);
    }
    return [...names].sort();
  }

  /** Specifiers of `file` that lead nowhere: a relative path to no file, say. */
  unresolved(file: string): string[] {
    return this.node(file)
      .imports.filter((record) => record.resolution.type === "unresolved")
      .map((record) => record.specifier);
  }

  /** Why `file` was listed but not scanned, if it was not. */
  skipped(file: string): string | undefined {
    return this.node(file).skipped;
  }

  /** How many of the graph's files were not scanned (too large, unreadable): their imports are unknown. */
  get unscanned(): number {
    let count = 0;
    for (const node of this.nodes.values()) if (node.skipped !== undefined) count++;
    return count;
  }

  /** The files `file` imports, directly (depth 1) or through others, nearest first. */
  dependencies(file: string, options: TraversalOptions = {}): Traversal {
    return this.traverse(file, options, (path) => this.nodes.get(path)?.targets ?? new Map());
  }

  /** The files that import `file`, directly (depth 1) or through others, nearest first. */
  dependents(file: string, options: TraversalOptions = {}): Traversal {
    return this.traverse(file, options, (path) => {
      const edges = new Map<string, boolean>();
      for (const importer of this.importers.get(path) ?? []) {
        edges.set(importer, this.nodes.get(importer)?.targets.get(path) ?? false);
      }
      return edges;
    });
  }

  /**
   * The import cycles: one shortest cycle per strongly connected component, largest first. With
   * `through`, only the cycle through that file (a shortest one), if it is on any. `limit` bounds
   * the files listed over all cycles: the first cycle is cut to it if longer (and says so), and a
   * later cycle is listed only if it fits whole; `truncated` says something was left out.
   */
  cycles(options: { limit?: number; includeTypeOnly?: boolean; through?: string } = {}): {
    cycles: DependencyCycle[];
    truncated: boolean;
  } {
    const limit = options.limit ?? DEFAULT_LIMIT;
    const includeTypeOnly = options.includeTypeOnly ?? true;
    const successors = (path: string): string[] => {
      const out: string[] = [];
      for (const [to, typeOnly] of this.nodes.get(path)?.targets ?? []) {
        if ((includeTypeOnly || !typeOnly) && this.nodes.has(to)) out.push(to);
      }
      return out;
    };
    const through = options.through === undefined ? undefined : this.known(options.through);
    let components = cyclicComponents([...this.nodes.keys()].sort(), successors);
    if (through !== undefined) {
      components = components
        .filter((component) => component.includes(through))
        .map((component) => [through, ...component.filter((file) => file !== through)]);
    }
    components.sort((a, b) => b.length - a.length);
    const cycles: DependencyCycle[] = [];
    let listed = 0;
    let truncated = false;
    for (const component of components) {
      if (listed >= limit) {
        truncated = true;
        break;
      }
      const files = shortestCycle(component[0]!, new Set(component), successors);
      if (cycles.length === 0 && files.length > limit) {
        cycles.push({ files: files.slice(0, limit), componentSize: component.length, truncated: true });
        listed = limit;
      } else if (listed + files.length <= limit) {
        cycles.push({ files, componentSize: component.length });
        listed += files.length;
      } else {
        truncated = true;
        continue;
      }
      truncated ||= files.length > limit;
    }
    return { cycles, truncated };
  }

  private traverse(
    file: string,
    options: TraversalOptions,
    edges: (path: string) => ReadonlyMap<string, boolean>,
  ): Traversal {
    const start = this.known(file);
    const depth = Math.max(1, options.depth ?? 1);
    const limit = options.limit ?? DEFAULT_LIMIT;
    const includeTypeOnly = options.includeTypeOnly ?? true;
    const files: ReachedFile[] = [];
    const seen = new Set([start]);
    let frontier = [start];
    for (let level = 1; level <= depth && frontier.length > 0; level++) {
      const next: string[] = [];
      for (const from of frontier) {
        for (const [to, typeOnly] of [...edges(from)].sort(([a], [b]) => (a < b ? -1 : 1))) {
          if (seen.has(to) || (!includeTypeOnly && typeOnly)) continue;
          if (files.length === limit) return { file: start, files, truncated: true };
          seen.add(to);
          files.push({ path: to, depth: level, via: from, typeOnly });
          next.push(to);
        }
      }
      frontier = next;
    }
    return { file: start, files, truncated: false };
  }

  /**
   * The path the graph knows `file` by (absolute, canonical), or NOT_FOUND. Relative paths are
   * taken from the first root.
   */
  locate(file: string): string {
    return this.known(file);
  }

  /** An absolute path; a relative one is taken from the first root, as everywhere in the engine. */
  private absolute(file: string): string {
    return resolve(this.firstRoot, file);
  }

  /** `file` as the graph knows it (canonical), or NOT_FOUND. */
  private known(file: string): string {
    const path = this.absolute(file);
    if (this.nodes.has(path)) return path;
    if (this.importers.has(path)) return path;
    const canonical = this.resolver.confine(path);
    if (canonical !== null && (this.nodes.has(canonical) || this.importers.has(canonical))) return canonical;
    throw new EngineError(
      "NOT_FOUND",
      `${file} is not in the dependency graph: not a JavaScript/TypeScript, Python or Go file inside the workspace roots, nor imported by one`,
    );
  }

  /** The node of `file`; a file that is only imported (JSON, a declaration file) has an empty one. */
  private node(file: string): Node {
    return this.nodes.get(this.known(file)) ?? { language: "javascript", imports: [], targets: new Map() };
  }

  /**
   * Reads and scans `paths`. Reads are synchronous: on a tree of 3,700 small files, promise-based
   * open/stat/read/close cost more than the scanning itself (3.5 s against about 1 s). The event
   * loop gets a turn every few milliseconds so a server stays responsive during a large build.
   */
  private async scanAll(paths: readonly string[]): Promise<void> {
    let turn = performance.now();
    for (const path of paths) {
      const canonical = this.resolver.confine(path);
      const language = languageOf(path);
      if (canonical === null || language === null) continue;
      if (!this.nodes.has(canonical)) this.hold(canonical, 1);
      this.nodes.set(canonical, this.scan(canonical, language));
      if (performance.now() - turn > YIELD_EVERY_MS) {
        await new Promise((resume) => setImmediate(resume));
        turn = performance.now();
      }
    }
  }

  private scan(path: string, language: SourceLanguage): Node {
    const node: Node = { language, imports: [], targets: new Map() };
    let text: string;
    try {
      const { size } = statSync(path);
      if (size > this.maxFileBytes) {
        node.skipped = `larger than ${this.maxFileBytes} bytes`;
        return node;
      }
      // One buffer decoded at once: readFile with "utf8" decodes chunk by chunk, 3x slower here.
      text = readFileSync(path).toString("utf8");
    } catch (error) {
      node.skipped = `unreadable: ${(error as Error).message}`;
      return node;
    }
    node.imports = scanImports(language, text, path).map((record) => ({
      ...record,
      resolution: { type: "unresolved" },
    }));
    return node;
  }

  /** Resolves the node's imports and records its edges both ways. */
  private link(path: string): void {
    const node = this.nodes.get(path);
    if (!node) return;
    for (const record of node.imports) {
      record.resolution = this.resolver.resolve(record, path, node.language);
      if (record.resolution.type !== "files") continue;
      for (const target of record.resolution.files) {
        if (target === path && node.language === "go") continue;
        node.targets.set(target, (node.targets.get(target) ?? true) && record.typeOnly);
        const importers = this.importers.get(target);
        if (importers) importers.add(path);
        else this.importers.set(target, new Set([path]));
      }
    }
  }

  private unlink(path: string): void {
    const node = this.nodes.get(path);
    if (!node) return;
    for (const target of node.targets.keys()) this.importers.get(target)?.delete(path);
    node.targets.clear();
  }

  private remove(path: string): void {
    this.unlink(path);
    if (this.nodes.delete(path)) this.hold(path, -1);
  }

  /** Counts `file` in (or out of, with -1) each folder above it, for `removeUnder`. */
  private hold(file: string, change: 1 | -1): void {
    for (let folder = dirname(file); ; folder = dirname(folder)) {
      const count = (this.holding.get(folder) ?? 0) + change;
      if (count > 0) this.holding.set(folder, count);
      else this.holding.delete(folder);
      if (dirname(folder) === folder) break;
    }
  }
}
