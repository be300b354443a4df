import { dirname, join } from "node:path";
import type { FileProbe } from "./file-probe.js";
import type { ImportRecord } from "./import-record.js";
import type { Resolution } from "./js-resolver.js";

/**
 * Resolves Python imports to module files: the package's `a/b/__init__.py` or else `a/b.py` (or
 * `.pyi`), as Python's finder prefers the package, with the `__init__.py` of each package on the
 * way (`import a.b.c` runs `a/__init__.py` and `a/b/__init__.py` too). Relative imports count
 * levels up from the importer's package, and lead nowhere past its top-level package. Absolute
 * imports are looked for where Python's path would find them in a project: beside the importer
 * when it is a script (not inside a package: Python 3 has no implicit relative imports), above its
 * top-level package, in each root and each root's `src/`. `from m import a, b` also resolves `a`
 * and `b` when they are submodules. What is not found in the workspace is an external module,
 * named by its top-level package.
 */
export class PythonResolver {
  constructor(
    private readonly probe: FileProbe,
    private readonly roots: readonly string[],
  ) {}

  resolve(record: ImportRecord, importer: string): Resolution {
    const dots = /^\.*/.exec(record.specifier)![0].length;
    const parts = record.specifier.slice(dots).split(".").filter(Boolean);
    if (dots > 0) {
      let base = dirname(importer);
      const top = this.isPackage(base) ? this.topPackage(base) : undefined;
      for (let level = 1; level < dots; level++) {
        // Past the top-level package, Python raises "attempted relative import beyond top-level package".
        if (base === top) return { type: "unresolved" };
        base = dirname(base);
      }
      if (!this.probe.inside(base)) return { type: "external", name: record.specifier };
      const files = this.within(base, parts, parts.length === 0, record.names, true);
      return files !== null ? { type: "files", files } : { type: "unresolved" };
    }
    for (const searchRoot of this.searchRoots(importer)) {
      const files = this.within(searchRoot, parts, false, record.names);
      if (files !== null) return { type: "files", files };
    }
    return { type: "external", name: parts[0] ?? record.specifier };
  }

  /**
   * The module `parts` below `base` (unless `packageOnly` names a bare `from . import`), the
   * packages on the way to it, and named submodules; null if the module is not there. A namespace
   * package inside a regular one is there, with no file of its own: the packages on the way run.
   */
  private within(
    base: string,
    parts: readonly string[],
    packageOnly: boolean,
    names: readonly string[] = [],
    relative = false,
  ): string[] | null {
    const path = join(base, ...parts);
    const files: string[] = [];
    for (const name of names) {
      const submodule = this.module(join(path, name));
      if (submodule) files.push(submodule);
    }
    const module = this.module(path);
    // A namespace package: under a regular one when absolute; any folder when relative (within the
    // importer's own package, nothing installed can shadow it), but a bare `from . import a` there
    // needs `a` itself.
    const namespace = relative
      ? this.probe.isDirectory(path) && (parts.length > 0 || names.length === 0)
      : this.namespaceInPackage(base, parts);
    if (!module && files.length === 0 && !namespace) return null;
    // `from . import a` needs the package's __init__ only when `a` is not a submodule; `from .
    // import *` (no names kept) always does.
    if (module && (!packageOnly || files.length < names.length || names.length === 0)) files.unshift(module);
    const parents: string[] = [];
    for (let i = 1; i < parts.length; i++) {
      const parent = join(base, ...parts.slice(0, i), "__init__.py");
      if (this.probe.isFile(parent)) parents.push(parent);
    }
    return [...parents, ...files];
  }

  /**
   * Whether `parts` name a namespace package (a folder with no `__init__.py`) under a regular
   * top-level package: Python finds it there. A namespace folder at the top level is not taken: an
   * installed regular package of that name would win over it.
   */
  private namespaceInPackage(base: string, parts: readonly string[]): boolean {
    return (
      parts.length >= 2 &&
      this.probe.isFile(join(base, parts[0] as string, "__init__.py")) &&
      this.probe.isDirectory(join(base, ...parts))
    );
  }

  private module(path: string): string | null {
    for (const candidate of [
      join(path, "__init__.py"),
      join(path, "__init__.pyi"),
      `${path}.py`,
      `${path}.pyi`,
    ]) {
      if (this.probe.isFile(candidate)) return candidate;
    }
    return null;
  }

  private isPackage(folder: string): boolean {
    return this.probe.isFile(join(folder, "__init__.py"));
  }

  /** The outermost package holding `folder` (a package), by `__init__.py` files up the tree. */
  private topPackage(folder: string): string {
    let top = folder;
    while (this.isPackage(dirname(top)) && this.probe.inside(dirname(top))) top = dirname(top);
    return top;
  }

  private searchRoots(importer: string): string[] {
    const folder = dirname(importer);
    const folders: string[] = [];
    if (this.isPackage(folder)) folders.push(dirname(this.topPackage(folder)));
    else folders.push(folder);
    for (const root of this.roots) folders.push(root, join(root, "src"));
    return [...new Set(folders)];
  }
}
