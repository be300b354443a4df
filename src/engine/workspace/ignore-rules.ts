import { readFileSync } from "node:fs";
import { join, posix, relative, sep } from "node:path";
import ignore, { type Ignore } from "ignore";

/** The ignore files honoured in every folder, as git and ripgrep read them. */
const IGNORE_FILES = [".gitignore", ".ignore"] as const;

/** One folder's rules: the patterns of its ignore files, matched relative to the folder. */
interface RuleSet {
  /** The folder, relative to the walk's root, in POSIX form ("" for the root). */
  base: string;
  rules: Ignore;
}

/**
 * The ignore rules in force in one folder: its own files' rules on top of its parents'. A deeper
 * rule wins, so a nested `!keep.log` re-includes what a parent's `*.log` excluded, as in git.
 * Immutable: a child folder gets a new stack only when it has ignore files of its own.
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
  ): IgnoreStack {
    const texts: string[] = [];
    for (const name of IGNORE_FILES) if (names.has(name)) texts.push(readText(join(folder, name)));
    for (const path of extra) texts.push(readText(path));
    const patterns = texts.filter((t) => t.trim() !== "");
    if (patterns.length === 0) return this;
    const rules = ignore({ allowRelativePaths: true });
    // One add per file: given an array, `ignore` takes each element as a single pattern.
    for (const text of patterns) rules.add(text);
    return new IgnoreStack([...this.sets, { base, rules }]);
  }

  /**
   * Whether `path` (relative to the walk's root, POSIX form) is ignored, given that its folder is
   * not: the walker never enters an ignored folder, so only the path's own name is matched, as git
   * does while it walks. (Asking a set about the whole path would let a parent's `*.tmp` hide
   * `a/e.tmp/x` even though `a/.gitignore` re-included `e.tmp`.)
   */
  ignores(path: string, isDirectory: boolean): boolean {
    let ignored = false;
    for (const set of this.sets) {
      const local = set.base === "" ? path : posix.relative(set.base, path);
      // Outside the set's folder (`..b.log` is a name inside it).
      if (local === ".." || local.startsWith("../")) continue;
      const result = ownVerdict(set.rules, isDirectory ? `${local}/` : local);
      if (result.ignored) ignored = true;
      else if (result.unignored) ignored = false;
    }
    return ignored;
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

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return ""; // unreadable ignore files are skipped, as git does
  }
}

/** `path` relative to `root` in POSIX form, as ignore patterns and globs are written. */
export function posixRelative(root: string, path: string): string {
  const rel = relative(root, path);
  return sep === "/" ? rel : rel.split(sep).join("/");
}
