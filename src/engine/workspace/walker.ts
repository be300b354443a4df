import {
  type Dirent,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  realpathSync,
  type Stats,
  statfsSync,
  statSync,
} from "node:fs";
import { homedir } from "node:os";
import { basename, dirname, join, resolve, sep } from "node:path";
import { compileGlob } from "./glob.js";
import { IgnoreStack, posixRelative } from "./ignore-rules.js";

export interface WalkOptions {
  /** Include dot-files and dot-folders (default false, as ripgrep). `.git` is never entered. */
  hidden?: boolean;
  /** Honour .gitignore, .ignore and .git/info/exclude (default true). */
  ignoreFiles?: boolean;
  /** Only files matching one of these globs (relative to the root; a glob without "/" matches names). */
  include?: readonly string[];
  /** Leave out files and folders matching one of these globs. */
  exclude?: readonly string[];
  /**
   * The workspace root the walk is in, when `start` is below it: ignore files in the folders
   * between them apply too, and globs are matched relative to it. Defaults to `start`.
   */
  root?: string;
  /** Entries per yielded batch (default 256). */
  batchSize?: number;
  signal?: AbortSignal;
}

/** A file found by the walk. */
export interface WalkEntry {
  /** Absolute path. */
  path: string;
  /** Path relative to the root, in POSIX form. */
  relative: string;
}

/** Folders nobody searches: version-control internals. Dependency folders are left to ignore files. */
const NEVER = new Set([".git", ".hg", ".svn"]);

interface Pending {
  folder: string;
  /** The folder relative to the root, in POSIX form ("" for the root): built as the walk goes down. */
  base: string;
  rules: IgnoreStack;
}

/**
 * Walks a folder tree depth-first in name order, yielding files in batches: the one walker that
 * search, file finding and indexing share. It honours ignore files the way git does (nested
 * files, negations, a folder once ignored is not entered), skips hidden entries unless asked, and
 * never follows symbolic links, so a walk cannot leave the tree it started in. Folders it cannot
 * read are skipped. Directory reads are synchronous (one system call per folder, cheaper than a
 * trip through the thread pool), and a folder unchanged since an earlier walk is not read again
 * (see readFolder); the event loop gets a turn between batches.
 */
export async function* walk(start: string, options: WalkOptions = {}): AsyncGenerator<WalkEntry[]> {
  // Normalized once, so paths below can be built by concatenation (join normalizes each time).
  start = resolve(start);
  const root = resolve(options.root ?? start);
  const batchSize = options.batchSize ?? 256;
  const useIgnoreFiles = options.ignoreFiles !== false;
  // Include globs that are all `!` globs select everything else; exclude globs that are all `!`
  // globs leave nothing out.
  const include = matcher(options.include, true);
  const exclude = matcher(options.exclude, false);
  const stack: Pending[] = [
    {
      folder: start,
      base: posixRelative(root, start),
      rules: useIgnoreFiles ? ancestorRules(root, start) : IgnoreStack.EMPTY,
    },
  ];
  let batch: WalkEntry[] = [];
  while (stack.length > 0) {
    if (options.signal?.aborted) return;
    const { folder, base, rules: inherited } = stack.pop() as Pending;
    const entries = readFolder(folder);
    if (!entries) continue;
    const prefix = folder.endsWith(sep) ? folder : folder + sep;
    const rules = useIgnoreFiles ? rulesHere(inherited, folder, base, entries) : inherited;
    const folders: Pending[] = [];
    for (const entry of entries) {
      const name = entry.name;
      if (!options.hidden && name.charCodeAt(0) === 46 /* . */) continue;
      const relative = base === "" ? name : `${base}/${name}`;
      if (entry.isDirectory()) {
        if (NEVER.has(name)) continue;
        if (rules.size > 0 && rules.ignores(relative, true)) continue;
        if (exclude?.selects(relative, true)) continue;
        // A folder a `!` include leaves out is not entered (`!vendor/`); others are, for their files.
        if (include?.negates(relative, true)) continue;
        folders.push({ folder: prefix + name, base: relative, rules });
      } else if (entry.isFile()) {
        if (rules.size > 0 && rules.ignores(relative, false)) continue;
        if (exclude?.selects(relative, false)) continue;
        if (include && !include.selects(relative, false)) continue;
        batch.push({ path: prefix + name, relative });
        if (batch.length >= batchSize) {
          yield batch;
          batch = [];
        }
      }
      // Symbolic links, sockets and devices are not walked.
    }
    // Pushed in reverse so the stack pops them in name order.
    for (let i = folders.length - 1; i >= 0; i--) stack.push(folders[i] as Pending);
  }
  if (batch.length > 0) yield batch;
}

/** A folder's entries as a walk read them, sorted by name, and what the folder's stat said then. */
interface Listing {
  entries: Dirent[];
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
  size: number;
}

/**
 * Listings kept between walks, least recently used first. A search walks the whole tree each
 * time, and reading every folder was most of that walk's cost, on the thread that also hands out
 * the work; a stat says whether a folder changed, for a fraction of a read.
 */
const listings = new Map<string, Listing>();
/** What the kept listings weigh: one per listing and one per entry. */
let listedWeight = 0;

/**
 * File systems (Linux's statfs magic numbers) known to update a folder's modification time
 * whenever an entry is added, removed or renamed: ext2/3/4, XFS, Btrfs, tmpfs, overlayfs, ZFS,
 * F2FS, bcachefs and ramfs. Elsewhere (network and FUSE mounts, /proc, other systems) folder
 * times need not follow their contents, so every folder is read on every walk.
 */
const TRUSTED_FILE_SYSTEMS = new Set([
  0xef53, 0x58465342, 0x9123683e, 0x01021994, 0x794c7630, 0x2fc12fc1, 0xf2f52010, 0xca451a4e, 0x858458f6,
]);
/** Whether each device's folder times can be trusted, by device number. */
const trustedDevices = new Map<number, boolean>();

function trusted(folder: string, dev: number): boolean {
  let known = trustedDevices.get(dev);
  if (known === undefined) {
    try {
      known = process.platform === "linux" && TRUSTED_FILE_SYSTEMS.has(Number(statfsSync(folder).type));
    } catch {
      known = false;
    }
    trustedDevices.set(dev, known);
  }
  return known;
}

/**
 * Counters of folders read from disk and answered from an earlier read, and two settings tests
 * change: `racyMs`, the window in which a just-changed folder is not kept (two changes within one
 * tick of the file system's clock leave the same times, so a listing read between them would look
 * current after the second; git guards its index the same way), and `maxWeight`, the weight kept
 * at most (names and types: some tens of MB at most), of which no one listing may take over a
 * quarter, so one huge folder neither empties the cache nor sits in it.
 */
export const folderListings = { read: 0, reused: 0, racyMs: 3_000, maxWeight: 250_000 };

/**
 * A folder's entries sorted by name, or undefined if it cannot be read. A listing kept from an
 * earlier walk is used while the folder's modification and change times, inode, device and size
 * are what they were when it was read: adding, removing or renaming an entry changes them. The
 * stat is taken before the read, so a change during the read shows up as a newer time next walk.
 */
function readFolder(folder: string): Dirent[] | undefined {
  let stats: Stats;
  let entries: Dirent[];
  try {
    stats = statSync(folder);
    const kept = listings.get(folder);
    if (
      kept &&
      kept.mtimeMs === stats.mtimeMs &&
      kept.ctimeMs === stats.ctimeMs &&
      kept.ino === stats.ino &&
      kept.dev === stats.dev &&
      kept.size === stats.size
    ) {
      listings.delete(folder);
      listings.set(folder, kept);
      folderListings.reused++;
      return kept.entries;
    }
    entries = readdirSync(folder, { withFileTypes: true });
  } catch {
    return undefined;
  }
  folderListings.read++;
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  forget(folder);
  const weight = 1 + entries.length;
  const settled = Date.now() - Math.max(stats.mtimeMs, stats.ctimeMs) > folderListings.racyMs;
  if (settled && weight <= folderListings.maxWeight / 4 && trusted(folder, stats.dev)) {
    const { mtimeMs, ctimeMs, ino, dev, size } = stats;
    listings.set(folder, { entries, mtimeMs, ctimeMs, ino, dev, size });
    listedWeight += weight;
    for (const [oldest] of listings) {
      if (listedWeight <= folderListings.maxWeight) break;
      forget(oldest);
    }
  }
  return entries;
}

function forget(folder: string): void {
  const kept = listings.get(folder);
  if (!kept) return;
  listings.delete(folder);
  listedWeight -= 1 + kept.entries.length;
}

/** Every file a walk finds, as one array (for tests and small trees). */
export async function walkAll(start: string, options: WalkOptions = {}): Promise<WalkEntry[]> {
  const all: WalkEntry[] = [];
  for await (const batch of walk(start, options)) all.push(...batch);
  return all;
}

/** The last segment of a POSIX path. */
function nameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

/** A list of globs, compiled. */
interface Globs {
  /** Some plain glob matches `path` (or there are none), and no `!` glob does. */
  selects(path: string, isFolder: boolean): boolean;
  /** Some `!` glob matches `path`. */
  negates(path: string, isFolder: boolean): boolean;
}

/**
 * A list of globs, read as ripgrep's `-g` reads them: a glob without `/` matches a name at any
 * depth, one with `/` the path from the root (a leading `/` only anchors it there), one ending in
 * `/` folders only, and `!glob` leaves out what it matches. `undefined` when there are none (an
 * empty glob, `!` or `/`, is none). With only `!` globs, `selectAllWithoutPlain` says whether the
 * rest is selected.
 */
function matcher(globs: readonly string[] | undefined, selectAllWithoutPlain: boolean): Globs | undefined {
  if (!globs || globs.length === 0) return undefined;
  const compiled = globs.flatMap((glob) => {
    const negated = glob.startsWith("!");
    let body = negated ? glob.slice(1) : glob;
    const foldersOnly = body.endsWith("/");
    if (foldersOnly) body = body.slice(0, -1);
    const anchored = body.startsWith("/");
    if (anchored) body = body.slice(1);
    // A glob with nothing left (`!`, `/`) matches nothing.
    if (body === "") return [];
    const compiled = compileGlob(body);
    const test = !anchored && !body.includes("/") ? (path: string) => compiled(nameOf(path)) : compiled;
    return [{ negated, foldersOnly, test }];
  });
  if (compiled.length === 0) return undefined;
  const plain = compiled.filter((glob) => !glob.negated);
  const negated = compiled.filter((glob) => glob.negated);
  const applies = (glob: (typeof compiled)[number], path: string, isFolder: boolean) =>
    (isFolder || !glob.foldersOnly) && glob.test(path);
  const negates = (path: string, isFolder: boolean) => negated.some((glob) => applies(glob, path, isFolder));
  return {
    negates,
    selects: (path, isFolder) =>
      (plain.length === 0 ? selectAllWithoutPlain : plain.some((glob) => applies(glob, path, isFolder))) &&
      !negates(path, isFolder),
  };
}

function rulesHere(inherited: IgnoreStack, folder: string, base: string, entries: Dirent[]): IgnoreStack {
  const names = new Set<string>();
  let gitFolder = false;
  for (const entry of entries) {
    if (entry.name === ".gitignore" || entry.name === ".ignore") names.add(entry.name);
    else if (entry.name === ".git") gitFolder = true;
  }
  const extra = gitFolder ? repositoryExcludes(folder) : [];
  // Another repository's own rules start here: the ones above it do not reach into it.
  const rules = gitFolder && inherited.size > 0 ? inherited.withoutGitRules() : inherited;
  if (names.size === 0 && extra.length === 0) return rules;
  return rules.within(folder, base, names, extra);
}

/**
 * The exclude files of the repository whose top is `top`, weakest first: the user's global one
 * (git's core.excludesFile, by default `$XDG_CONFIG_HOME/git/ignore`), then the repository's
 * `info/exclude`. Within one kind a later file's rule wins, so the repository's decides.
 */
function repositoryExcludes(top: string): string[] {
  const gitDir = gitDirOf(top);
  const files: string[] = [];
  const global = globalExcludes(top, gitDir);
  if (global !== undefined) files.push(global);
  if (gitDir !== undefined) {
    const exclude = join(gitDir, "info", "exclude");
    if (existsSync(exclude)) files.push(exclude);
  }
  return files;
}

/**
 * The user's global excludes file, as git finds it: core.excludesFile from the XDG config, then
 * ~/.gitconfig, then the repository's own config (the last setting wins), `~` expanded and a
 * relative path taken from the repository's top; else `$XDG_CONFIG_HOME/git/ignore`. Links are
 * followed: these are the user's own files (dotfile managers link them). `[include]` is not read.
 */
function globalExcludes(top: string, gitDir: string | undefined): string | undefined {
  const home = homedir();
  const xdg = process.env.XDG_CONFIG_HOME || join(home, ".config");
  const configs = [join(xdg, "git", "config"), join(home, ".gitconfig")];
  if (gitDir !== undefined) configs.push(join(gitDir, "config"));
  let configured: string | undefined;
  for (const config of configs)
    configured = coreExcludesFile(readSmallText(config, CONFIG_BYTES)) ?? configured;
  // Set to nothing (`excludesFile =`): no global excludes, not even the default file.
  if (configured === "") return undefined;
  const path =
    configured === undefined
      ? join(xdg, "git", "ignore")
      : resolve(top, configured.replace(/^~(?=\/|$)/, home));
  try {
    const real = realpathSync(path);
    return statSync(real).isFile() ? real : undefined;
  } catch {
    return undefined;
  }
}

/** Config files git reads whole; a repository's with many branches can pass 64 KiB. */
const CONFIG_BYTES = 4 * 1024 * 1024;

/**
 * The last core.excludesFile a git config file's text sets, unquoted and without comments ("" if
 * set to nothing). Lines ending in a backslash continue on the next; a key may follow its section
 * header on the same line (`[core] excludesFile = x`).
 */
function coreExcludesFile(text: string): string | undefined {
  let section = "";
  let found: string | undefined;
  for (const raw of text.replace(/\\\r?\n/g, "").split(/\r?\n|\r/)) {
    let line = raw.trim();
    const header = /^\[\s*([A-Za-z0-9.-]+)(\s+"(?:[^"\\]|\\.)*")?\s*\]/.exec(line);
    if (header) {
      section = header[2] === undefined ? (header[1] as string).toLowerCase() : "";
      line = line.slice(header[0].length).trim();
    }
    const entry = /^([A-Za-z][A-Za-z0-9-]*)\s*=(.*)$/.exec(line);
    if (section === "core" && entry && (entry[1] as string).toLowerCase() === "excludesfile")
      found = configValue(entry[2] as string);
  }
  return found;
}

/** A git config value: quotes removed, `\"`, `\\`, `\t`, `\n` unescaped, a comment (`#`, `;`) cut. */
function configValue(raw: string): string {
  let out = "";
  let quoted = false;
  let pending = ""; // unquoted spaces, kept only if more follows
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i] as string;
    if (c === "\\") {
      const next = raw[++i];
      out += pending + (next === "t" ? "\t" : next === "n" ? "\n" : next === "b" ? "\b" : (next ?? ""));
      pending = "";
    } else if (c === '"') quoted = !quoted;
    else if (!quoted && (c === "#" || c === ";")) break;
    else if (!quoted && (c === " " || c === "\t")) {
      if (out !== "") pending += c;
    } else {
      out += pending + c;
      pending = "";
    }
  }
  return out;
}

/**
 * The git folder of the repository whose top is `top`: its `.git` folder (followed if a link),
 * or for a worktree or a submodule (`.git` is then a file naming the git folder) the common git
 * folder it belongs to, where git keeps `info/exclude` and the shared config.
 */
function gitDirOf(top: string): string | undefined {
  const dotGit = join(top, ".git");
  try {
    if (statSync(dotGit).isDirectory()) return dotGit;
    const pointer = /^gitdir:\s*(.+?)\s*$/m.exec(readSmallText(dotGit));
    if (!pointer) return undefined;
    const gitDir = resolve(top, pointer[1] as string);
    const common = readSmallText(join(gitDir, "commondir")).trim();
    return common === "" ? gitDir : resolve(gitDir, common);
  } catch {
    return undefined;
  }
}

/** A small regular file's text (through links), or "" (missing, larger than `max`, not a regular file). */
function readSmallText(path: string, max = 64 * 1024): string {
  try {
    const stats = statSync(path);
    return stats.isFile() && stats.size <= max ? readFileSync(path, "utf8") : "";
  } catch {
    return "";
  }
}

/**
 * The rules of the folders above `root` in its git repository, when `root` lies below the
 * repository's top (a package of a monorepo, a subfolder an editor opened): their `.gitignore` and
 * `.ignore` files, and the top's `.git/info/exclude`, as git and ripgrep apply them. Nothing when
 * `root` is the top or in no repository.
 */
function rulesAboveRoot(root: string): IgnoreStack {
  if (existsSync(join(root, ".git"))) return IgnoreStack.EMPTY;
  const chain: string[] = [];
  for (let folder = dirname(root); ; folder = dirname(folder)) {
    chain.unshift(folder);
    if (existsSync(join(folder, ".git"))) break;
    if (dirname(folder) === folder) return IgnoreStack.EMPTY; // in no repository
  }
  let rules = IgnoreStack.EMPTY;
  for (const folder of chain) {
    const names = new Set([".ignore", ".gitignore"].filter((name) => existsSync(join(folder, name))));
    const extra = folder === chain[0] ? repositoryExcludes(folder) : [];
    if (names.size === 0 && extra.length === 0) continue;
    rules = rules.within(folder, "", names, extra, `${posixRelative(folder, root)}/`);
  }
  return rules;
}

/**
 * Whether a walk from `root` (with default options) would reach paths that appeared since it ran:
 * nothing on the way, the path included, is hidden, version-control internals, a symbolic link, or
 * ignored. Each folder's rules are read once per `Reach`, so a burst of events in one folder costs
 * one read of the folders above it; make a new one to see later changes to ignore files. (A walk
 * that starts at a folder walks it whatever it is: a folder asked for by name is searched, as
 * ripgrep does.)
 */
export class Reach {
  private readonly root: string;
  /** Per folder reached: the rules in force inside it; null when the walk does not reach it. */
  private readonly folders = new Map<string, IgnoreStack | null>();

  constructor(root: string) {
    this.root = resolve(root);
  }

  /** Whether the walk reaches `path`, a folder, or a file with `isFolder` false. */
  reaches(path: string, isFolder = true): boolean {
    path = resolve(path);
    if (path === this.root) return isFolder;
    if (!path.startsWith(this.root + sep)) return false;
    const rules = this.rulesIn(dirname(path));
    return rules !== null && this.entryReached(rules, path, isFolder);
  }

  /** The rules in force inside `folder`, or null when the walk does not enter it. */
  private rulesIn(folder: string): IgnoreStack | null {
    let rules = this.folders.get(folder);
    if (rules !== undefined) return rules;
    if (folder === this.root) rules = this.read(rulesAboveRoot(folder), folder);
    else {
      const parent = this.rulesIn(dirname(folder));
      rules = parent !== null && this.entryReached(parent, folder, true) ? this.read(parent, folder) : null;
    }
    this.folders.set(folder, rules);
    return rules;
  }

  private read(inherited: IgnoreStack, folder: string): IgnoreStack | null {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return null;
    }
    return rulesHere(inherited, folder, posixRelative(this.root, folder), entries);
  }

  /** Whether an entry of a folder the walk entered, with that folder's `rules`, is reached too. */
  private entryReached(rules: IgnoreStack, path: string, isFolder: boolean): boolean {
    const name = basename(path);
    if (name.charCodeAt(0) === 46 /* . */ || NEVER.has(name)) return false;
    try {
      const stats = lstatSync(path);
      if (isFolder ? !stats.isDirectory() : !stats.isFile()) return false;
    } catch {
      return false;
    }
    return rules.size === 0 || !rules.ignores(posixRelative(this.root, path), isFolder);
  }
}

/** `new Reach(root).reaches(path, isFolder)`, for one question. */
export function walkedFrom(root: string, path: string, isFolder = true): boolean {
  return new Reach(root).reaches(path, isFolder);
}

/**
 * The folder whose walk an ignore file's rules decide, if `path` names one: a `.gitignore` or
 * `.ignore` decides its own folder, `.git/info/exclude` the repository's. When one changes, what a
 * walk of that folder reaches may change anywhere below it.
 */
export function governedByIgnoreFile(path: string): string | undefined {
  const name = basename(path);
  if (name === ".gitignore" || name === ".ignore") return dirname(path);
  if (name === "exclude" && basename(dirname(path)) === "info" && basename(dirname(dirname(path))) === ".git")
    return dirname(dirname(dirname(path)));
  return undefined;
}

/** The rules of the folders from `root` down to `start`'s parent, for a walk that starts below the root. */
function ancestorRules(root: string, start: string): IgnoreStack {
  let rules = rulesAboveRoot(root);
  if (start === root || !start.startsWith(root + sep)) return rules;
  const chain: string[] = [];
  for (let folder = dirname(start); folder.length >= root.length; folder = dirname(folder)) {
    chain.unshift(folder);
    if (folder === root) break;
  }
  for (const folder of chain) {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      continue;
    }
    rules = rulesHere(rules, folder, posixRelative(root, folder), entries);
  }
  return rules;
}
