import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { compileGlob } from "../workspace/glob.js";
import type { FileProbe } from "./file-probe.js";
import { parseJsonc } from "./jsonc.js";
import { NearestConfig } from "./nearest-config.js";

/** One `paths` entry: a pattern with at most one `*`, and where it maps to (absolute). */
export interface PathPattern {
  prefix: string;
  /** Null for a pattern without `*`, which matches only itself. */
  suffix: string | null;
  targets: readonly string[];
}

/** What of a tsconfig/jsconfig bears on resolution, with `extends` applied and paths absolute. */
export interface PathMapping {
  baseUrl: string | null;
  paths: readonly PathPattern[];
  /**
   * `module`/`moduleResolution` is node16 or nodenext: a file's module system is Node's (from its
   * extension and its package.json `type`), so a .ts file's imports in a CommonJS package are
   * require() calls once compiled.
   */
  nodeModules: boolean;
}

/** A config's mapping, and the configs it references (a solution-style tsconfig's projects). */
interface Project {
  mapping: PathMapping;
  references: readonly Referenced[];
}

/** A referenced project: its mapping, for the files its `files` and `include` take in. */
interface Referenced {
  mapping: PathMapping;
  holds: (file: string) => boolean;
}

const CONFIG_NAMES = ["tsconfig.json", "jsconfig.json"];
/** References followed from one config: a solution lists a few projects, not hundreds. */
const MAX_REFERENCES = 32;
/** `extends` chains longer than this are cycles or mistakes. */
const MAX_EXTENDS_DEPTH = 16;

interface RawOptions {
  baseUrl?: string;
  paths?: Record<string, unknown>;
  module?: string;
  moduleResolution?: string;
  /** The folder `paths` targets are relative to when there is no baseUrl: the defining config's. */
  pathsBase?: string;
}

/** TypeScript 5.5's stand-in for the folder of the config being used, in paths and baseUrl. */
// biome-ignore lint/suspicious/noTemplateCurlyInString: TypeScript's own placeholder, not a template
const CONFIG_DIR = "${configDir}";

/**
 * Finds the tsconfig.json (or jsconfig.json) nearest to a file and reads its `baseUrl` and `paths`,
 * following `extends` (relative, or a package's config under node_modules; arrays too). As
 * TypeScript does, `paths` targets are relative to `baseUrl` when set, else to the folder of the
 * config that defines `paths`, and `${configDir}` is the folder of the nearest config. The nearest
 * config applies even when it sets neither (a nested project does not take its parent's aliases).
 * Results are cached per folder until `clear`.
 */
export class TsconfigPaths {
  private readonly nearest: NearestConfig<Project>;

  constructor(private readonly probe: FileProbe) {
    this.nearest = new NearestConfig(probe, (folder) => {
      const config = CONFIG_NAMES.map((name) => join(folder, name)).find((path) => probe.isFile(path));
      return config ? this.project(config) : null;
    });
  }

  /**
   * The mapping that applies to `file`, or null when no config above it (inside the roots) has one.
   * When the nearest config references other projects (a solution-style tsconfig.json, as Vite's
   * template writes: no files of its own, `references` to tsconfig.app.json and tsconfig.node.json),
   * the first referenced project whose `files` or `include` hold the file applies, as editors pick it.
   */
  forFile(file: string): PathMapping | null {
    const project = this.nearest.find(dirname(file));
    if (project === null) return null;
    for (const referenced of project.references) if (referenced.holds(file)) return referenced.mapping;
    return project.mapping;
  }

  private project(config: string): Project {
    const folder = dirname(config);
    const json = parseJsonc(this.probe.readText(config) ?? "");
    const references: Referenced[] = [];
    const listed = isObject(json) && Array.isArray(json.references) ? json.references : [];
    for (const reference of listed.slice(0, MAX_REFERENCES)) {
      if (!isObject(reference) || typeof reference.path !== "string") continue;
      let path = resolve(folder, reference.path);
      if (this.probe.isDirectory(path)) path = join(path, "tsconfig.json");
      if (path === config || !this.probe.isFile(path)) continue;
      references.push({
        mapping: toMapping(this.load(path, dirname(path)), dirname(path)),
        holds: holder(this.scope(path, dirname(path)), dirname(path)),
      });
    }
    return { mapping: toMapping(this.load(config, folder), folder), references };
  }

  clear(): void {
    this.nearest.clear();
  }

  /**
   * What `own` reads of a config, over what it reads of the configs that one extends (later bases
   * over earlier ones), as TypeScript merges them. `own` gets the config and its folder.
   */
  private inherited<T extends object>(
    path: string,
    depth: number,
    own: (json: Record<string, unknown>, folder: string) => T,
  ): Partial<T> {
    const json = parseJsonc(this.probe.readText(path) ?? "");
    if (!isObject(json) || depth > MAX_EXTENDS_DEPTH) return {};
    let merged: Partial<T> = {};
    const bases =
      typeof json.extends === "string" ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
    for (const base of bases) {
      if (typeof base !== "string") continue;
      const found = this.extended(base, dirname(path));
      if (found) merged = { ...merged, ...this.inherited(found, depth + 1, own) };
    }
    return { ...merged, ...own(json, dirname(path)) };
  }

  /**
   * A config's `files` and `include`, as absolute paths and patterns: its own, else those it
   * inherits (relative to the config that writes them), `${configDir}` being `configDir`.
   */
  private scope(path: string, configDir: string): FileScope {
    return this.inherited<FileScope>(path, 0, (json, folder) => {
      const absolute = (list: unknown[]) =>
        list
          .filter((entry): entry is string => typeof entry === "string")
          .map((entry) =>
            resolve(
              folder,
              entry.replaceAll(CONFIG_DIR, () => configDir),
            ),
          );
      const scope: FileScope = {};
      if (Array.isArray(json.files)) scope.files = absolute(json.files);
      if (Array.isArray(json.include)) scope.include = absolute(json.include);
      return scope;
    });
  }

  /** The options resolution reads, `${configDir}` being `configDir` (the folder `extends` started from). */
  private load(path: string, configDir: string): RawOptions {
    return this.inherited<RawOptions>(path, 0, (json, folder) => {
      const options = isObject(json.compilerOptions) ? json.compilerOptions : {};
      const own: RawOptions = {};
      if (typeof options.baseUrl === "string")
        own.baseUrl = resolve(
          folder,
          options.baseUrl.replaceAll(CONFIG_DIR, () => configDir),
        );
      if (isObject(options.paths)) {
        own.paths = options.paths;
        own.pathsBase = folder;
      }
      if (typeof options.module === "string") own.module = options.module.toLowerCase();
      if (typeof options.moduleResolution === "string")
        own.moduleResolution = options.moduleResolution.toLowerCase();
      return own;
    });
  }

  /** The file an `extends` value names, if it exists inside the roots. */
  private extended(name: string, from: string): string | null {
    const candidates: string[] = [];
    if (name.startsWith(".") || isAbsolute(name)) {
      const path = resolve(from, name);
      candidates.push(path, `${path}.json`);
    } else {
      for (let folder = from; this.probe.inside(folder); folder = dirname(folder)) {
        const path = join(folder, "node_modules", name);
        candidates.push(path, `${path}.json`, join(path, "tsconfig.json"));
        if (dirname(folder) === folder) break;
      }
    }
    return candidates.find((path) => this.probe.isFile(path)) ?? null;
  }
}

/** A config's `files` and `include`, absolute; absent when neither it nor a base sets them. */
interface FileScope {
  files?: string[];
  include?: string[];
}

/**
 * Whether a config's `files` or `include` take in a file, as TypeScript reads them: a last segment
 * without a wildcard or an extension names a folder (all below it), `**` any depth; no `files`
 * and no `include` means everything below the config's folder. Patterns may lead out of that
 * folder (`../src`). Its `exclude` is not read: a reference is chosen among projects that split a
 * tree, not to hide files.
 */
function holder(scope: FileScope, folder: string): (file: string) => boolean {
  const files = scope.files ?? [];
  const patterns = scope.include ?? (scope.files === undefined ? [join(folder, "**/*")] : []);
  const globs: { base: string; matches: (path: string) => boolean }[] = [];
  for (const pattern of patterns) {
    // The folder before the first wildcard, and the glob for the rest, matched relative to it.
    const segments = pattern.split(sep);
    let literal = segments.findIndex((segment) => /[*?[{]/.test(segment));
    if (literal === -1) {
      const last = segments.at(-1) ?? "";
      if (last.includes(".")) literal = segments.length - 1;
      else {
        segments.push("**", "*");
        literal = segments.length - 2;
      }
    }
    try {
      const matches = compileGlob(segments.slice(literal).join("/"));
      globs.push({ base: segments.slice(0, literal).join(sep) || sep, matches });
    } catch {
      // A pattern the matcher refuses takes nothing in.
    }
  }
  return (file) => {
    if (files.includes(file)) return true;
    return globs.some(
      ({ base, matches }) =>
        file.startsWith(base.endsWith(sep) ? base : base + sep) &&
        matches(relative(base, file).split(sep).join("/")),
    );
  };
}

function toMapping(raw: RawOptions, configDir: string): PathMapping {
  const base = raw.baseUrl ?? raw.pathsBase ?? "/";
  const paths: PathPattern[] = [];
  for (const [pattern, targets] of Object.entries(raw.paths ?? {})) {
    if (!Array.isArray(targets)) continue;
    const star = pattern.indexOf("*");
    if (star !== pattern.lastIndexOf("*")) continue;
    paths.push({
      prefix: star === -1 ? pattern : pattern.slice(0, star),
      suffix: star === -1 ? null : pattern.slice(star + 1),
      targets: targets
        .filter((t): t is string => typeof t === "string")
        .map((t) =>
          resolve(
            base,
            t.replaceAll(CONFIG_DIR, () => configDir),
          ),
        ),
    });
  }
  // moduleResolution decides; without it, module node16/nodenext implies the same resolution.
  const resolution = raw.moduleResolution ?? raw.module ?? "";
  return {
    baseUrl: raw.baseUrl ?? null,
    paths,
    nodeModules: resolution === "node16" || resolution === "nodenext",
  };
}

/**
 * The candidate paths `specifier` maps to: the targets of the matching pattern with the longest
 * prefix (an exact pattern beats any wildcard), `*` replaced by what it matched.
 */
export function mapPaths(mapping: PathMapping, specifier: string): string[] {
  let best: PathPattern | null = null;
  let captured = "";
  for (const pattern of mapping.paths) {
    if (pattern.suffix === null) {
      if (pattern.prefix === specifier) return [...pattern.targets];
      continue;
    }
    const fits =
      specifier.length >= pattern.prefix.length + pattern.suffix.length &&
      specifier.startsWith(pattern.prefix) &&
      specifier.endsWith(pattern.suffix);
    if (fits && (best === null || pattern.prefix.length > best.prefix.length)) {
      best = pattern;
      captured = specifier.slice(pattern.prefix.length, specifier.length - pattern.suffix.length);
    }
  }
  return best ? best.targets.map((target) => target.replace("*", captured)) : [];
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
