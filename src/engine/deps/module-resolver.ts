import { basename, extname } from "node:path";
import { EngineError } from "../errors.js";
import { PathSandbox } from "../files/path-sandbox.js";
import type { WorkspaceRoots } from "../workspace/workspace-roots.js";
import { FileProbe } from "./file-probe.js";
import { GoResolver } from "./go-resolver.js";
import type { ImportRecord, SourceLanguage } from "./import-record.js";
import { JsResolver, type Resolution } from "./js-resolver.js";
import { PythonResolver } from "./python-resolver.js";
import { TsconfigPaths } from "./tsconfig-paths.js";
import { WorkspacePackages } from "./workspace-packages.js";

export interface ResolverOptions {
  /** Whether a Go package's _test.go files count as part of it. Default false. */
  goTests?: boolean;
}

/** Files whose change can alter how other files' imports resolve. */
const CONFIG_NAMES = new Set(["package.json", "go.mod", "tsconfig.json", "jsconfig.json"]);

/**
 * Resolves an import of any supported language to files, confined to the workspace roots: every
 * file found is canonicalised with realpath and checked by the sandbox, so a symlink out of the
 * workspace leads to an external module (named by the specifier), never to a file outside.
 * Lookups are cached until `invalidate`.
 */
export class ModuleResolver {
  private readonly probe: FileProbe;
  private readonly sandbox: PathSandbox;
  private readonly tsconfigs: TsconfigPaths;
  private readonly packages: WorkspacePackages;
  private readonly js: JsResolver;
  private readonly python: PythonResolver;
  private readonly go: GoResolver;
  /** Canonical form of each file found, or null when it resolves outside the roots. */
  private readonly canonical = new Map<string, string | null>();
  private readonly folders = new Map<string, string | null>();

  constructor(roots: WorkspaceRoots, options: ResolverOptions = {}) {
    const rootPaths = roots.list().map((root) => root.path);
    this.probe = new FileProbe(rootPaths);
    this.sandbox = new PathSandbox(roots);
    this.tsconfigs = new TsconfigPaths(this.probe);
    this.packages = new WorkspacePackages(this.probe);
    this.js = new JsResolver(this.probe, this.tsconfigs, this.packages);
    this.python = new PythonResolver(this.probe, rootPaths);
    this.go = new GoResolver(this.probe, options.goTests ?? false);
  }

  /** The canonical path of `path` if it exists inside the roots; null otherwise. */
  confine(path: string): string | null {
    let canonical = this.canonical.get(path);
    if (canonical !== undefined) return canonical;
    try {
      canonical = this.sandbox.resolveSync(path, { mustExist: true, folders: this.folders });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      canonical = null;
    }
    this.canonical.set(path, canonical);
    return canonical;
  }

  /** Tells the resolver which package.json files define the workspace's own npm packages. */
  setManifests(paths: Iterable<string>): void {
    this.packages.setManifests(paths);
  }

  resolve(record: ImportRecord, importer: string, language: SourceLanguage): Resolution {
    const resolution =
      language === "javascript"
        ? this.js.resolve(record.specifier, importer, record.kind)
        : language === "python"
          ? this.python.resolve(record, importer)
          : this.go.resolve(record.specifier, importer);
    if (resolution.type !== "files") return resolution;
    const files: string[] = [];
    for (const file of resolution.files) {
      const canonical = this.confine(file);
      if (canonical === null) return { type: "external", name: record.specifier };
      files.push(canonical);
    }
    return { type: "files", files };
  }

  /**
   * Forgets what is cached about `path`. True when it is a configuration file (tsconfig, package.json,
   * go.mod, any JSON a tsconfig may extend): then any import anywhere may resolve differently.
   */
  invalidate(path: string): boolean {
    this.probe.invalidate(path);
    this.canonical.delete(path);
    this.folders.clear();
    const config = CONFIG_NAMES.has(basename(path)) || extname(path) === ".json";
    if (config) {
      this.tsconfigs.clear();
      this.packages.clear();
      this.js.clear();
      this.go.clear();
    }
    return config;
  }

  /** Forgets everything cached (after a change too broad to follow path by path). */
  clear(): void {
    this.probe.clear();
    this.canonical.clear();
    this.folders.clear();
    this.tsconfigs.clear();
    this.packages.clear();
    this.js.clear();
    this.go.clear();
  }
}
