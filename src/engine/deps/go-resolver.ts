import { dirname, join, resolve } from "node:path";
import type { FileProbe } from "./file-probe.js";
import type { Resolution } from "./js-resolver.js";
import { NearestConfig } from "./nearest-config.js";

interface GoModule {
  path: string;
  folder: string;
  /** `replace old => ./local` directives: module path to an absolute folder. */
  replaced: ReadonlyMap<string, string>;
}

/**
 * Resolves Go import paths inside the importer's module (the nearest go.mod: its `module` path
 * prefixes the package's folder, unless a go.mod on the way makes that folder another module) and
 * through go.mod `replace` directives that point at a local folder (the longest matching module
 * path wins, as in the go command). A package is its folder's .go files, without _test.go files
 * unless asked for, and without the files the go command ignores (names starting with `_` or `.`).
 * Any other path (the standard library, other modules) is external, named by its import path.
 */
export class GoResolver {
  private readonly modules: NearestConfig<GoModule>;

  constructor(
    private readonly probe: FileProbe,
    private readonly includeTests: boolean,
  ) {
    this.modules = new NearestConfig(probe, (folder) => {
      const text = probe.readText(join(folder, "go.mod"));
      return text === null ? null : parseGoMod(text, folder);
    });
  }

  resolve(specifier: string, importer: string): Resolution {
    const module = this.modules.find(dirname(importer));
    if (!module) return { type: "external", name: specifier };
    let folder: string | null = null;
    if (specifier === module.path || specifier.startsWith(`${module.path}/`)) {
      folder = join(module.folder, specifier.slice(module.path.length));
      // A folder below a go.mod of its own belongs to that module, not to this one.
      if (this.probe.inside(folder) && this.modules.find(folder)?.folder !== module.folder)
        return { type: "external", name: specifier };
    } else {
      let longest = "";
      for (const [path, local] of module.replaced) {
        if ((specifier === path || specifier.startsWith(`${path}/`)) && path.length > longest.length) {
          longest = path;
          folder = join(local, specifier.slice(path.length));
        }
      }
    }
    if (folder === null) return { type: "external", name: specifier };
    if (!this.probe.inside(folder)) return { type: "external", name: specifier };
    const files = this.probe
      .filesIn(folder)
      .filter(
        (name) =>
          name.endsWith(".go") &&
          !name.startsWith("_") &&
          !name.startsWith(".") &&
          (this.includeTests || !name.endsWith("_test.go")),
      )
      .sort()
      .map((name) => join(folder, name));
    return files.length > 0 ? { type: "files", files } : { type: "unresolved" };
  }

  clear(): void {
    this.modules.clear();
  }
}

/** The module path and local replacements of a go.mod; null without a `module` line. */
export function parseGoMod(text: string, folder: string): GoModule | null {
  const source = text.replace(/\/\/[^\n]*/g, "");
  const path = /^\s*module\s+"?([^\s"]+)"?/m.exec(source)?.[1];
  if (!path) return null;
  const replaced = new Map<string, string>();
  const lines = [
    ...source.matchAll(/^\s*replace\s+([^(\s][^\n]*)$/gm),
    ...[...source.matchAll(/^\s*replace\s*\(([^)]*)\)/gm)].flatMap((block) =>
      block[1]!.split("\n").map((line) => [line, line] as const),
    ),
  ].map((match) => match[1]!);
  for (const line of lines) {
    const local = /^\s*(\S+)(?:\s+\S+)?\s*=>\s*(\.{1,2}\/\S*|\/\S*)\s*$/.exec(line);
    if (local) replaced.set(local[1]!, resolve(folder, local[2]!));
  }
  return { path, folder, replaced };
}
