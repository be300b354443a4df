import { fileURLToPath } from "node:url";
import { DiagnosticsHub } from "./analysis/diagnostics-hub.js";
import { DiagnosticsView } from "./analysis/diagnostics-view.js";
import { HotspotProfiler } from "./analysis/hotspot-profiler.js";
import { LintAnalyzer } from "./analysis/lint-analyzer.js";
import { SecurityScanner } from "./analysis/security-scan.js";
import { SyntaxChecker } from "./analysis/syntax-checker.js";
import { SyntaxService } from "./analysis/syntax-service.js";
import { ByteLru, type ByteLruOptions, type CacheStats } from "./cache/byte-lru.js";
import { MemoryPressure, type MemoryPressureOptions } from "./cache/memory-pressure.js";
import { DependencyGraph } from "./deps/dependency-graph.js";
import { EditorState } from "./editor/editor-state.js";
import { FileInfoCache } from "./files/file-info.js";
import { FileReader } from "./files/file-reader.js";
import { FileService } from "./files/file-service.js";
import { type FileChange, FileWatcher } from "./files/file-watcher.js";
import { PathSandbox } from "./files/path-sandbox.js";
import { WorkspaceSearch } from "./search/workspace-search.js";
import type { SymbolCacheOptions } from "./symbols/symbol-cache.js";
import { SymbolIndex } from "./symbols/symbol-index.js";
import { WorkspaceSymbols } from "./symbols/workspace-symbols.js";
import { WorkerPool, type WorkerPoolStats } from "./workers/worker-pool.js";
import { Reach, walk, walkedFrom } from "./workspace/walker.js";
import { WorkspaceRoots, within } from "./workspace/workspace-roots.js";

/** What one client may reach: file operations, search and analysis, confined to the same roots. */
export interface WorkspaceScope {
  readonly files: FileService;
  readonly search: WorkspaceSearch;
  readonly symbols: WorkspaceSymbols;
  readonly security: SecurityScanner;
  readonly syntax: SyntaxChecker;
  readonly lint: LintAnalyzer;
  readonly hotspots: HotspotProfiler;
  readonly diagnostics: DiagnosticsView;
}

export interface EngineOptions {
  /** Folders to serve; canonicalised on start. */
  roots: readonly string[];
  /** Whether tools that change files may run. */
  allowWrites: boolean;
  /**
   * Whether the project's own executables may run (eslint, tsc, ruff from its node_modules/.bin or
   * PATH, with its configs): code from the workspace, so off unless the user turns it on.
   */
  allowExec?: boolean;
  /** The symbol index's on-disk cache, or false for none (default: under $XDG_CACHE_HOME or the temp folder). */
  symbolCache?: SymbolCacheOptions | false;
  /** Worker threads (default: one per core). */
  workers?: number;
  /** The in-memory cache's byte budget and memory thresholds (see ByteLru, MemoryPressure). */
  cache?: ByteLruOptions & MemoryPressureOptions;
}

/** What the engine is doing, for health checks and operations views. */
export interface EngineStatus {
  /** The workspace symbol index: idle until first asked for, then building, ready or failed. */
  index: { state: "idle" | "building" | "ready" | "failed"; files: number; symbols: number };
  editor: { attached: boolean; name: string | undefined };
  watching: boolean;
  roots: string[];
  workers: WorkerPoolStats;
  cache: CacheStats;
}

/**
 * The engine's front door: one object per served workspace, created and disposed explicitly so
 * tests can run many in one process. It knows nothing of MCP.
 */
export class Engine {
  readonly roots: WorkspaceRoots;
  readonly allowWrites: boolean;
  readonly allowExec: boolean;
  /** The one in-memory cache (file contents, line indexes, search results), bounded in bytes. */
  readonly cache: ByteLru;
  readonly reader: FileReader;
  private readonly pressure: MemoryPressure;
  readonly fileInfo = new FileInfoCache();
  /** Worker threads for search and parsing, started on first use. */
  readonly workers: WorkerPool;
  /** Everything confined to the engine's own roots. */
  readonly scope: WorkspaceScope;
  /** What the attached editor shows (empty and hostless when headless); adapters push into it. */
  readonly editor = new EditorState();
  /** Syntax trees kept per document, re-parsed incrementally as documents change. */
  readonly syntax: SyntaxService;
  /** Rune's own diagnostics between requests (last lints) and the age of the editor's. */
  readonly diagnosticsHub: DiagnosticsHub;
  private readonly listeners = new Set<(changes: FileChange[]) => void>();
  private watcher: FileWatcher | undefined;
  private graph: Promise<DependencyGraph> | undefined;
  private disposed = false;
  private symbolIndex: SymbolIndex | undefined;
  private readonly symbolCache: SymbolCacheOptions | false | undefined;

  constructor(options: EngineOptions) {
    this.roots = new WorkspaceRoots(options.roots);
    this.allowWrites = options.allowWrites;
    this.allowExec = options.allowExec ?? false;
    this.symbolCache = options.symbolCache;
    this.workers = new WorkerPool({ threads: options.workers || undefined });
    this.cache = new ByteLru(options.cache);
    this.pressure = new MemoryPressure(this.cache, options.cache);
    this.reader = new FileReader({ cache: this.cache });
    this.syntax = new SyntaxService(this.editor, this.cache);
    this.diagnosticsHub = new DiagnosticsHub(this.editor);
    this.followForSyntax();
    this.scope = this.scopeWithin(this.roots);
  }

  /** File operations confined to the engine's roots. */
  get files(): FileService {
    return this.scope.files;
  }

  /**
   * The workspace symbol index, created on first use (its build starts on the first lookup) and
   * kept current from the file watcher's changes.
   */
  get symbols(): SymbolIndex {
    if (!this.symbolIndex) {
      const index = new SymbolIndex({
        roots: this.roots.list().map((r) => r.path),
        pool: this.workers,
        ...(this.symbolCache === undefined ? {} : { cache: this.symbolCache }),
      });
      this.onChanges((changes) => void index.update(changes.map((c) => c.path)).catch(() => {}));
      this.symbolIndex = index;
    }
    return this.symbolIndex;
  }

  /**
   * A scope confined to `roots` (a client's MCP roots, say), sharing this engine's caches and
   * workers. Use `roots.narrowedTo` so it stays inside the engine's own roots.
   */
  scopeWithin(roots: WorkspaceRoots): WorkspaceScope {
    const sandbox = new PathSandbox(roots);
    const lint = new LintAnalyzer(sandbox, this.workers, this.diagnosticsHub, this.allowExec);
    return {
      files: new FileService(sandbox, {
        reader: this.reader,
        info: this.fileInfo,
        allowWrites: this.allowWrites,
        changed: (path) => this.forget(path),
      }),
      search: new WorkspaceSearch(sandbox, this.workers, {
        cache: this.cache,
        // Results can be reused only while the watcher reports every change that would alter them.
        cacheable: () => this.watching,
      }),
      symbols: new WorkspaceSymbols(sandbox, () => this.symbols),
      security: new SecurityScanner(sandbox, this.workers),
      syntax: new SyntaxChecker(sandbox, this.syntax),
      lint,
      hotspots: new HotspotProfiler(sandbox, this.workers),
      diagnostics: new DiagnosticsView(sandbox, this.editor, this.diagnosticsHub, this.syntax, lint),
    };
  }

  /**
   * Starts watching the roots: caches drop what changed, and listeners hear of it. Rune's own
   * writes are announced at once, without waiting for the watcher.
   */
  async watch(onError: (error: Error) => void = () => {}): Promise<void> {
    if (this.watcher || this.disposed) return;
    const watcher = await FileWatcher.start(
      this.roots.list().map((r) => r.path),
      (changes) => {
        for (const change of changes) this.forget(change.path, false);
        // A root removed or replaced (the watcher reports it alone): nothing cached under it holds.
        const roots = this.roots.list().map((r) => r.path);
        if (changes.some((change) => roots.includes(change.path))) this.cache.clear();
        this.updateGraph(changes.map((c) => c.path));
        this.emit(changes);
      },
      onError,
    );
    if (this.disposed || this.watcher) await watcher.close();
    else this.watcher = watcher;
  }

  /**
   * The workspace's import graph: built on first use from the walker's listing (so ignored files
   * stay out), then kept current by the watcher and by Rune's own writes.
   */
  dependencyGraph(): Promise<DependencyGraph> {
    const listFolder = (folder: string) => this.listFiles(folder);
    const reach = (root: string) => new Reach(root);
    this.graph ??= DependencyGraph.build(this.roots, this.listFiles(), { listFolder, reach }).catch(
      (error: unknown) => {
        this.graph = undefined; // the next call tries again
        throw error;
      },
    );
    return this.graph;
  }

  /**
   * Every file the walker finds under the roots, or under `folder` only (with the ignore files of
   * the root holding it), honouring ignore files.
   */
  async *listFiles(folder?: string): AsyncGenerator<string> {
    const roots = this.roots.list().filter((root) => folder === undefined || within(folder, root.path));
    // A folder the root's walk would not enter (ignored, hidden) lists nothing, as a build would.
    if (folder !== undefined && roots[0] !== undefined && !walkedFrom(roots[0].path, folder)) return;
    for (const root of folder === undefined ? roots : roots.slice(0, 1)) {
      for await (const batch of walk(folder ?? root.path, { root: root.path }))
        for (const entry of batch) yield entry.path;
    }
  }

  /** Whether every change under the roots is being reported (not while a root is missing). */
  get watching(): boolean {
    return this.watcher?.healthy === true;
  }

  /** Calls `listener` with batches of changes under the roots; returns the unsubscribe function. */
  onChanges(listener: (changes: FileChange[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Index, editor, watcher, workers and cache, as they stand now. */
  status(): EngineStatus {
    const index = this.symbolIndex;
    return {
      index: { state: index?.state ?? "idle", ...(index?.size ?? { files: 0, symbols: 0 }) },
      editor: { attached: this.editor.host !== undefined, name: this.editor.host?.name },
      watching: this.watching,
      roots: this.roots.list().map((r) => r.path),
      workers: this.workers.stats(),
      cache: this.cache.snapshot(),
    };
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.pressure.close();
    this.cache.clear();
    this.syntax.dispose();
    await this.symbolIndex?.close();
    await Promise.all([this.watcher?.close(), this.workers.close()]);
    this.watcher = undefined;
    this.listeners.clear();
  }

  /**
   * Keeps the syntax trees of checked documents current: a change on disk (the watcher, Rune's own
   * writes) or in the editor re-parses the document incrementally from its kept tree.
   */
  private followForSyntax(): void {
    this.onChanges((changes) => {
      for (const change of changes) void this.syntax.refresh(change.path);
    });
    this.editor.onEvent((event) => {
      if (
        event.kind !== "document-changed" &&
        event.kind !== "document-opened" &&
        event.kind !== "document-closed"
      )
        return;
      const path =
        this.editor.document(event.uri)?.path ??
        (event.uri.startsWith("file:") ? fileURLToPath(event.uri) : undefined);
      if (path !== undefined) void this.syntax.refresh(path);
    });
  }

  private forget(path: string, announce = true): void {
    this.fileInfo.invalidate(path);
    this.cache.invalidate(path);
    if (announce) {
      this.updateGraph([path]);
      this.emit([{ type: "update", path }]);
    }
  }

  /** Re-scans changed files in the import graph, if it has been built. */
  private updateGraph(paths: string[]): void {
    void this.graph
      ?.then((graph) => graph.update(paths))
      .catch(() => {
        // A failed update leaves the graph as it was; the next change or rebuild corrects it.
      });
  }

  private emit(changes: FileChange[]): void {
    for (const listener of this.listeners) listener(changes);
  }
}
