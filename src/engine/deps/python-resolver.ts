import { dirname, join } from "node:path";
import type { FileProbe } from "./file-probe.js";
import type { ImportRecord } from "./import-record.js";
import type { Resolution } from "./js-resolver.js";

/**
 * Resolves Python imports to module files: `a/b.py` (or `.pyi`) or the package's `a/b/__init__.py`.
 * Relative imports count levels up from the importer's package. Absolute imports are looked for
 * where Python's path would find them in a project: beside the importer, above its top-level
 * package, in each root and each root's `src/`. `from m import a, b` also resolves `a` and `b`
 * when they are submodules. What is not found in the workspace is an external module, named by
 * its top-level package.
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
      for (let level = 1; level < dots; level++) base = dirname(base);
      if (!this.probe.inside(base)) return { type: "external", name: record.specifier };
      const files = this.within(join(base, ...parts), parts.length === 0, record.names);
      return files.length > 0 ? { type: "files", files } : { type: "unresolved" };
    }
    for (const searchRoot of this.searchRoots(importer)) {
      const files = this.within(join(searchRoot, ...parts), false, record.names);
      if (files.length > 0) return { type: "files", files };
    }
    return { type: "external", name: parts[0] ?? record.specifier };
  }

  /** The module at `path` (unless `packageOnly` names a bare `from . import`) and named submodules. */
  private within(path: string, packageOnly: boolean, names: readonly string[] = []): string[] {
    const files: string[] = [];
    for (const name of names) {
      const submodule = this.module(join(path, name));
      if (submodule) files.push(submodule);
    }
    const module = this.module(path);
    // `from . import a` needs the package's __init__ only when `a` is not a submodule.
    if (module && (!packageOnly || files.length < names.length)) files.unshift(module);
    return files;
  }

  private module(path: string): string | null {
    for (const candidate of [
      `${path}.py`,
      `${path}.pyi`,
      join(path, "__init__.py"),
      join(path, "__init__.pyi"),
    ]) {
      if (this.probe.isFile(candidate)) return candidate;
    }
    return null;
  }

  private searchRoots(importer: string): string[] {
    const folders = [dirname(importer)];
    let top = dirname(importer);
    while (this.probe.isFile(join(top, "__init__.py")) && this.probe.inside(dirname(top))) top = dirname(top);
    folders.push(top);
    for (const root of this.roots) folders.push(root, join(root, "src"));
    return [...new Set(folders)];
  }
}
