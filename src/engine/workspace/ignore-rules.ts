import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";
import { readFully } from "../files/read-fully.js";

/**
 * One folder's rules, matched relative to the folder, by kind in ripgrep's order of precedence:
 * `.ignore`, then `.gitignore`, then `.git/info/exclude`.
 */
interface RuleSet {
  /** The folder, relative to the walk's root, in POSIX form ("" for the root). */
  base: string;
  /**
   * For a folder above the walk's root (in the same git repository): the root relative to it,
   * ending in `/`, put before a path to match it from there.
   */
  prefix?: string;
  kinds: readonly (Ignore | undefined)[];
}

/** The ignore files of each kind, highest precedence first (see RuleSet). */
const KINDS = [[".ignore"], [".gitignore"]] as const;

/**
 * The ignore rules in force in one folder: its own files' rules on top of its parents'. As in
 * ripgrep, a `.ignore` rule decides before any `.gitignore` rule, and a `.gitignore` rule before
 * `.git/info/exclude`; within one kind the deepest folder's file with a rule for the path decides,
 * so a nested `!keep.log` re-includes what a parent's `*.log` excluded, as in git. Immutable: a
 * child folder gets a new stack only when it has ignore files of its own.
 */
export class IgnoreStack {
  private constructor(private readonly sets: readonly RuleSet[]) {}

  static readonly EMPTY = new IgnoreStack([]);

  /**
   * The stack for `folder` (absolute), given the names it holds; `base` is its path relative to
   * the walk's root. `extra` adds files read at this level only (.git/info/exclude at a repo root).
   */
  within(
    folder: string,
    base: string,
    names: ReadonlySet<string>,
    extra: readonly string[] = [],
    prefix?: string,
  ): IgnoreStack {
    const texts = [
      ...KINDS.map((kind) =>
        kind.filter((name) => names.has(name)).map((name) => readText(join(folder, name))),
      ),
      extra.map(readText),
    ];
    const kinds = texts.map((found) => {
      const patterns = found.filter((t) => t.trim() !== "");
      if (patterns.length === 0) return undefined;
      const rules = ignore({ allowRelativePaths: true, ignorecase: CASE_INSENSITIVE_NAMES });
      // One add per file: given an array, `ignore` takes each element as a single pattern.
      for (const text of patterns) rules.add(text);
      return rules;
    });
    if (kinds.every((rules) => rules === undefined)) return this;
    return new IgnoreStack([...this.sets, prefix === undefined ? { base, kinds } : { base, prefix, kinds }]);
  }

  /**
   * The stack inside another git repository (a folder with its own `.git`): the `.gitignore` and
   * `info/exclude` rules from above stop at it, as in git and ripgrep; `.ignore` rules go on.
   */
  withoutGitRules(): IgnoreStack {
    if (this.sets.every((set) => set.kinds.every((rules, kind) => kind === 0 || rules === undefined)))
      return this;
    const sets = this.sets
      .map((set) => ({ ...set, kinds: set.kinds.map((rules, kind) => (kind === 0 ? rules : undefined)) }))
      .filter((set) => set.kinds[0] !== undefined);
    return new IgnoreStack(sets);
  }

  /**
   * Whether `path` (relative to the walk's root, POSIX form) is ignored, given that its folder is
   * not: the walker never enters an ignored folder, so only the path's own name is matched, as git
   * does while it walks. (Asking a set about the whole path would let a parent's `*.tmp` hide
   * `a/e.tmp/x` even though `a/.gitignore` re-included `e.tmp`.)
   */
  ignores(path: string, isDirectory: boolean): boolean {
    for (let kind = 0; kind <= KINDS.length; kind++) {
      for (let i = this.sets.length - 1; i >= 0; i--) {
        const set = this.sets[i] as RuleSet;
        const rules = set.kinds[kind];
        if (rules === undefined) continue;
        const local =
          set.prefix !== undefined
            ? set.prefix + path
            : set.base === ""
              ? path
              : posix.relative(set.base, path);
        // Outside the set's folder (`..b.log` is a name inside it).
        if (local === ".." || local.startsWith("../")) continue;
        const result = ownVerdict(rules, isDirectory ? `${local}/` : local);
        if (result.ignored) return true;
        if (result.unignored) return false;
      }
    }
    return false;
  }

  get size(): number {
    return this.sets.length;
  }
}

interface Verdict {
  ignored: boolean;
  unignored: boolean;
}

/**
 * `rules`' verdict on `path` alone, without the verdicts on its parent folders that `test` folds
 * in. `ignore` (pinned at 7.0.16) has no public call for this; its rule list's `test(path, "regex")`
 * is exactly it. If a later version moves it, the public `test` is used, which is right whenever
 * no ignore file re-includes a folder a parent excluded (and the walker's property test against
 * git fails, so the change is noticed).
 */
function ownVerdict(rules: Ignore, path: string): Verdict {
  const list = (rules as unknown as { _rules?: { test?(path: string, mode: string): Verdict } })._rules;
  return typeof list?.test === "function" ? list.test(path, "regex") : rules.test(path);
}

/**
 * Whether patterns match names ignoring case: as git's core.ignorecase defaults, only where file
 * names themselves are case-insensitive (macOS, Windows): on Linux a `Backup*` folder pattern leaves
 * `backup` in.
 */
const CASE_INSENSITIVE_NAMES = process.platform === "darwin" || process.platform === "win32";

/** Ignore files longer than this are not read: real ones are a few KB. */
const MAX_IGNORE_FILE_BYTES = 1024 * 1024;

/**
 * An ignore file's text, read only if it is a regular file of sane size, and not through a link
 * (git follows none since 2.32): a FIFO would block the thread that walks for every tool, a link
 * to /dev/zero would fill its memory, and one to a file outside the workspace would apply, and
 * so reveal by its effect, text from there. Anything else reads as empty, as git skips it.
 */
function readText(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch {
    return "";
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_IGNORE_FILE_BYTES) return "";
    return readFully(fd, stats.size).toString("utf8");
  } catch {
    return "";
  } finally {
    closeSync(fd);
  }
}

/** `path` relative to `root` in POSIX form, as ignore patterns and globs are written. */
export function posixRelative(root: string, path: string): string {
  const rel = relative(root, path);
  return sep === "/" ? rel : rel.split(sep).join("/");
}
