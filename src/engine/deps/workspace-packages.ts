import { basename, dirname, join, sep } from "node:path";
import type { FileProbe } from "./file-probe.js";
import { NearestConfig } from "./nearest-config.js";
import { isObject } from "./tsconfig-paths.js";

/** The fields of a package.json that resolution reads. */
export interface PackageManifest {
  /** The folder holding the package.json. */
  folder: string;
  name: string | null;
  exports: unknown;
  imports: unknown;
  /** Entry points in preference order: `types`/`typings`, `module`, `main`. */
  entries: readonly string[];
  /** `type: "module"`: its .js and .ts files are ES modules under Node's rules. */
  esm: boolean;
}

/**
 * The npm packages that live in the workspace (a monorepo's packages), by name, from the
 * package.json files among the graph's files, and the package each file belongs to (for `#imports`
 * and a package importing itself by name). Packages under node_modules are not workspace packages.
 */
export class WorkspacePackages {
  private byName = new Map<string, string>();
  private readonly manifests = new Map<string, PackageManifest | null>();
  private readonly owners: NearestConfig<PackageManifest>;

  constructor(private readonly probe: FileProbe) {
    this.owners = new NearestConfig(probe, (folder) => this.manifest(folder));
  }

  /** Replaces the set of package.json files that define workspace packages. */
  setManifests(paths: Iterable<string>): void {
    this.byName.clear();
    this.clear();
    for (const path of paths) {
      if (basename(path) !== "package.json" || path.includes(`${sep}node_modules${sep}`)) continue;
      const manifest = this.manifest(dirname(path));
      if (manifest?.name && !this.byName.has(manifest.name)) this.byName.set(manifest.name, manifest.folder);
    }
  }

  /** Forgets cached manifests (after a package.json changed). */
  clear(): void {
    this.manifests.clear();
    this.owners.clear();
  }

  /** The workspace package named `name`, if any. */
  named(name: string): PackageManifest | null {
    const folder = this.byName.get(name);
    return folder === undefined ? null : this.manifest(folder);
  }

  /** The package whose folder holds `file`: the nearest package.json above it inside the roots. */
  owning(file: string): PackageManifest | null {
    return this.owners.find(dirname(file));
  }

  /** The manifest in `folder`, or null when it has none (or not one that parses). */
  manifest(folder: string): PackageManifest | null {
    const cached = this.manifests.get(folder);
    if (cached !== undefined) return cached;
    let manifest: PackageManifest | null = null;
    const text = this.probe.readText(join(folder, "package.json"));
    if (text !== null) {
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {}
      if (isObject(json)) {
        manifest = {
          folder,
          name: typeof json.name === "string" ? json.name : null,
          exports: json.exports,
          imports: json.imports,
          entries: [json.types, json.typings, json.module, json.main].filter(
            (v): v is string => typeof v === "string",
          ),
          esm: json.type === "module",
        };
      }
    }
    this.manifests.set(folder, manifest);
    return manifest;
  }
}

/** `@scope/name` or `name`: the package part of a bare specifier; the rest is the subpath. */
export function splitPackageSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split("/");
  const count = specifier.startsWith("@") ? 2 : 1;
  const name = parts.slice(0, count).join("/");
  const rest = parts.slice(count).join("/");
  return { name, subpath: rest === "" ? "." : `./${rest}` };
}
