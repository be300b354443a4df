import { realpathSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { dirname, extname, join, resolve, sep } from "node:path";
import type { FileProbe } from "./file-probe.js";
import type { ImportKind } from "./import-record.js";
import { mapSubpath } from "./package-maps.js";
import { mapPaths, type PathMapping, type TsconfigPaths } from "./tsconfig-paths.js";
import { type PackageManifest, splitPackageSpecifier, type WorkspacePackages } from "./workspace-packages.js";

/** Where a specifier leads: files in the workspace, a module outside it (by name), or nowhere. */
export type Resolution =
  | { type: "files"; files: string[] }
  | { type: "external"; name: string }
  | { type: "unresolved" };

const BUILTINS = new Set(builtinModules);
const TS_SOURCES = new Set([".ts", ".tsx", ".mts", ".cts"]);
/** TypeScript's order for a name without an extension, then JavaScript's. */
const EXTENSIONS = [
  ".ts",
  ".tsx",
  ".d.ts",
  ".js",
  ".jsx",
  ".mts",
  ".d.mts",
  ".mjs",
  ".cts",
  ".d.cts",
  ".cjs",
];
/** The TypeScript files an emitted-JavaScript name may stand for (`./a.js` written in a.ts's importer). */
const TS_FOR_JS: Record<string, readonly string[]> = {
  ".js": [".ts", ".tsx", ".d.ts"],
  ".jsx": [".tsx", ".d.ts"],
  ".mjs": [".mts", ".d.mts"],
  ".cjs": [".cts", ".d.cts"],
};
const RESOLVED_NOWHERE: Resolution = { type: "unresolved" };

/**
 * Resolves JavaScript and TypeScript specifiers the way TypeScript's bundler resolution and Node
 * agree on, in order: `node:` built-ins; relative paths (exact file, TypeScript's `.js` → `.ts`
 * convention, extension probing, a folder's package.json entry or index file); tsconfig `paths`;
 * package `#imports`; tsconfig `baseUrl`; other Node built-ins; a package importing itself; the
 * package installed in node_modules (a workspace package when it links back into the workspace,
 * else an external one); a workspace package by name when nothing is installed, through `exports`
 * (or its entry fields and subpaths). Any other bare specifier is an external package, named
 * without its subpath.
 */
export class JsResolver {
  /** What each node_modules/<name> path holds (see `installed`), until `clear`. */
  private readonly installs = new Map<string, PackageManifest | "elsewhere" | null>();
  /**
   * `installed`'s answer per importing folder and name, until `clear`: every file of a folder asks
   * the same, and walking up to the root per import (a path joined per level) kept the graph build
   * at about 520 ms for 4,000 files against 245 ms with this.
   */
  private readonly installedFrom = new Map<string, PackageManifest | "elsewhere" | null>();

  constructor(
    private readonly probe: FileProbe,
    private readonly tsconfigs: TsconfigPaths,
    private readonly packages: WorkspacePackages,
  ) {}

  resolve(specifier: string, importer: string, kind: ImportKind): Resolution {
    if (specifier.startsWith("node:")) return { type: "external", name: specifier };
    const fromTs = TS_SOURCES.has(extname(importer)) || importer.endsWith(".d.ts");
    if (specifier.startsWith(".") || specifier.startsWith("/")) {
      const base = resolve(dirname(importer), specifier);
      if (!this.probe.inside(base)) return { type: "external", name: specifier };
      return found(this.path(base, fromTs));
    }
    // tsconfig `paths` come first, as in TypeScript: they may map `#x`, or shadow a built-in's name.
    const mapping = this.tsconfigs.forFile(importer);
    const mapped = mapping ? mapPaths(mapping, specifier) : [];
    for (const target of mapped) {
      const file = this.path(target, fromTs);
      if (file) return { type: "files", files: [file] };
    }
    const conditions = conditionsFor(kind, importer, fromTs, this.commonJs(importer, mapping));
    if (specifier.startsWith("#")) {
      const owner = this.packages.owning(importer);
      return owner
        ? this.viaMap(owner, owner.imports, specifier, conditions, fromTs, importer)
        : RESOLVED_NOWHERE;
    }
    // As in TypeScript: `baseUrl` is not tried for a specifier a `paths` pattern matched, and is
    // tried before Node's built-ins (`baseUrl: "src"` with a src/events.ts means that file).
    if (mapping?.baseUrl && mapped.length === 0) {
      const file = this.path(join(mapping.baseUrl, specifier), fromTs);
      if (file) return { type: "files", files: [file] };
    }
    if (BUILTINS.has(specifier)) return { type: "external", name: specifier };
    const { name, subpath } = splitPackageSpecifier(specifier);
    const owner = this.packages.owning(importer);
    // A package importing itself by name; else what is installed, as Node and TypeScript find it;
    // else (dependencies not installed) the workspace package of that name.
    let pkg = owner?.name === name ? owner : undefined;
    if (pkg === undefined) {
      const installed = this.installed(name, importer);
      if (installed === "elsewhere") return { type: "external", name };
      pkg = installed ?? this.packages.named(name) ?? undefined;
    }
    if (pkg) {
      if (pkg.exports !== undefined)
        return this.viaMap(pkg, pkg.exports, subpath, conditions, fromTs, importer);
      const file = subpath === "." ? this.entry(pkg, fromTs) : this.path(join(pkg.folder, subpath), fromTs);
      if (file) return { type: "files", files: [file] };
    }
    return { type: "external", name };
  }

  /**
   * The package `name` as installed in the node_modules folders above `importer`, nearest first:
   * a workspace package when it links into the workspace (as npm, yarn and pnpm install them),
   * "elsewhere" when it is a real dependency, undefined when none holds it. A folder that merely
   * has a package.json of that name (a test fixture called `lodash`) does not stand in for the
   * installed package.
   */
  private installed(name: string, importer: string): PackageManifest | "elsewhere" | undefined {
    const from = dirname(importer);
    const key = `${from}\0${name}`;
    let answer = this.installedFrom.get(key);
    if (answer === undefined) {
      answer = null;
      // Up to the file system's root: a package installed above the workspace (one package of a
      // monorepo opened alone) is installed all the same. Above the roots only a stat is made.
      for (let folder = from; answer === null; folder = dirname(folder)) {
        answer = this.installedAt(join(folder, "node_modules", name));
        if (dirname(folder) === folder) break;
      }
      this.installedFrom.set(key, answer);
    }
    return answer ?? undefined;
  }

  /** What `path` (a node_modules/<name>) holds: a workspace package, another package, or nothing. */
  private installedAt(path: string): PackageManifest | "elsewhere" | null {
    const known = this.installs.get(path);
    if (known !== undefined) return known;
    let found: PackageManifest | "elsewhere" | null = null;
    if (this.probe.inside(path) ? this.probe.isDirectory(path) : isFolder(path)) {
      found = "elsewhere";
      try {
        const real = realpathSync(path);
        if (this.probe.inside(real) && !real.split(sep).includes("node_modules"))
          found = this.packages.manifest(real) ?? "elsewhere";
      } catch {
        // Gone since the stat: another package, as far as this import is concerned.
      }
    }
    this.installs.set(path, found);
    return found;
  }

  /** Forgets what node_modules folders were found to hold. */
  clear(): void {
    this.installs.clear();
    this.installedFrom.clear();
  }

  /**
   * Whether `importer` is CommonJS by Node's rules where TypeScript applies them (node16/nodenext):
   * a .ts/.js file whose nearest package.json is not `type: "module"`. Bundler resolution and
   * plain JavaScript projects take every import as an ES import.
   */
  private commonJs(importer: string, mapping: PathMapping | null): boolean {
    if (!mapping?.nodeModules || /\.(?:m[jt]s|c[jt]s)$/.test(importer)) return false;
    return this.packages.owning(importer)?.esm !== true;
  }

  /** A package's `exports` or `imports`: the first candidate target that exists. */
  private viaMap(
    pkg: PackageManifest,
    map: unknown,
    subpath: string,
    conditions: ReadonlySet<string>,
    fromTs: boolean,
    importer: string,
  ): Resolution {
    for (const target of mapSubpath(map, subpath, conditions)) {
      if (target.startsWith("./")) {
        const path = resolve(pkg.folder, target);
        if (!this.probe.inside(path)) continue;
        const file = this.path(path, fromTs);
        if (file) return { type: "files", files: [file] };
      } else if (!target.startsWith("#") && !target.startsWith(".")) {
        // `imports` may map to another package.
        return this.resolve(target, importer, "static");
      }
    }
    return subpath.startsWith("#") ? RESOLVED_NOWHERE : { type: "external", name: pkg.name ?? subpath };
  }

  /** The file `path` names: itself, its TypeScript source, with an extension, or as a folder. */
  private path(path: string, fromTs: boolean): string | null {
    return this.file(path, fromTs) ?? this.folder(path, fromTs);
  }

  private file(path: string, fromTs: boolean): string | null {
    const ext = extname(path);
    const tsForms = TS_FOR_JS[ext]?.map((tsExt) => path.slice(0, -ext.length) + tsExt) ?? [];
    // A TypeScript importer that writes `./a.js` means a.ts when both exist (a.js being its output).
    const candidates = fromTs ? [...tsForms, path] : [path, ...tsForms];
    for (const candidate of candidates) if (this.probe.isFile(candidate)) return candidate;
    for (const extension of EXTENSIONS) {
      if (this.probe.isFile(path + extension)) return path + extension;
    }
    return null;
  }

  private folder(path: string, fromTs: boolean): string | null {
    if (!this.probe.isDirectory(path)) return null;
    const manifest = this.packages.manifest(path);
    return (manifest && this.entry(manifest, fromTs)) ?? this.file(join(path, "index"), fromTs);
  }

  /** A package's main entry: its `types`/`module`/`main` fields (a file, or a folder's index), then its index file. */
  private entry(pkg: PackageManifest, fromTs: boolean): string | null {
    for (const entry of pkg.entries) {
      const path = resolve(pkg.folder, entry);
      if (!this.probe.inside(path)) continue;
      const file = this.file(path, fromTs) ?? this.file(join(path, "index"), fromTs);
      if (file) return file;
    }
    return this.file(join(pkg.folder, "index"), fromTs);
  }
}

/** Whether `path` is a folder (a link to one counts), for paths outside the roots, which are not listed. */
function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function found(file: string | null): Resolution {
  return file ? { type: "files", files: [file] } : RESOLVED_NOWHERE;
}

const ESM_CONDITIONS = new Set(["import", "node", "module"]);
const CJS_CONDITIONS = new Set(["require", "node"]);

/** Files that are CommonJS whatever they write: their imports compile to require(). */
const COMMONJS_FILES = /\.c[jt]s$/;

/**
 * The package conditions that apply to an import: the module system's (a require(), `import x =
 * require()`, any import in a .cts/.cjs file, and under node16/nodenext any static import in a
 * CommonJS package's .ts/.js file is CommonJS), and for TypeScript importers `types` too (what the
 * compiler follows). Key order in the package decides among them.
 */
function conditionsFor(
  kind: ImportKind,
  importer: string,
  fromTs: boolean,
  commonJsPackage: boolean,
): ReadonlySet<string> {
  const commonjs =
    kind === "require" || (kind !== "dynamic" && (COMMONJS_FILES.test(importer) || commonJsPackage));
  const base = commonjs ? CJS_CONDITIONS : ESM_CONDITIONS;
  return fromTs ? new Set([...base, "types"]) : base;
}
