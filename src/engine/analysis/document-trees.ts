import { createHash } from "node:crypto";
import type { Edit, Point, Tree } from "web-tree-sitter";
import type { ByteLru } from "../cache/byte-lru.js";
import { GrammarLoader } from "../symbols/grammar-loader.js";
import type { LanguageSpec } from "../symbols/languages.js";

/** How a document's tree was obtained. */
export type ParseKind = "full" | "incremental" | "cached";

/** The syntax tree of one version of a document, kept so the next version parses incrementally. */
export interface ParsedDocument {
  key: string;
  language: LanguageSpec;
  text: string;
  /** SHA-1 of the text (UTF-8): which version the tree is for. */
  hash: string;
  tree: Tree;
  parse: ParseKind;
  parsedAt: number;
}

export interface DocumentTreesOptions {
  /** Documents kept (default 128); the least recently used tree is freed first. */
  maxDocuments?: number;
  /** Total text kept, in UTF-16 code units (default 32 Mi): trees cost several times their text. */
  maxChars?: number;
  /**
   * The engine's shared cache: each kept tree is an entry of kind "tree" there, so trees share
   * its byte budget, its least-recently-used order and its shrinking under memory pressure, and
   * their hits and misses show in its statistics. An entry that leaves the cache frees its tree.
   */
  cache?: ByteLru;
}

/**
 * Bytes a kept document is reckoned to hold: its text (UTF-16) and its tree in the WebAssembly
 * heap, which runs to about ten bytes of nodes per character of source.
 */
function retainedBytes(text: string): number {
  return text.length * 12 + 1024;
}

/** SHA-1 of a text's UTF-8 bytes, the content hash every analysis is keyed by. */
export function contentHash(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

/**
 * Syntax trees of the documents analysed lately, by key (a path, or a name for an unsaved buffer),
 * each with the text it was parsed from. A new version of a known document is parsed
 * incrementally: the change between the two texts (their common prefix and suffix) is applied to
 * the old tree with `tree.edit()`, and `parser.parse(text, oldTree)` reuses every subtree outside
 * it. Trees live in the WebAssembly heap, which the garbage collector does not see, so the cache
 * is bounded and frees what it drops.
 */
export class DocumentTrees {
  private readonly loader = new GrammarLoader();
  private readonly docs = new Map<string, ParsedDocument>();
  private readonly maxDocuments: number;
  private readonly maxChars: number;
  private readonly cache: ByteLru | undefined;
  private chars = 0;
  /** Parses done, by kind (for tests and benchmarks). */
  readonly counts = { full: 0, incremental: 0, cached: 0 };

  constructor(options: DocumentTreesOptions = {}) {
    this.maxDocuments = options.maxDocuments ?? 128;
    this.maxChars = options.maxChars ?? 32 * 1024 * 1024;
    this.cache = options.cache;
  }

  /** The document as last parsed, if kept. */
  get(key: string): ParsedDocument | undefined {
    return this.docs.get(key);
  }

  has(key: string): boolean {
    return this.docs.has(key);
  }

  /**
   * Runs `use` on the tree of `text` under `key`: the kept one if the text is unchanged, else a
   * new one, parsed incrementally from the kept tree when there is one of the same language.
   * `use` runs before anything else can replace (and free) the tree, which is why the tree is
   * lent to a callback rather than returned.
   */
  async withTree<T>(
    key: string,
    language: LanguageSpec,
    text: string,
    use: (tree: Tree) => T,
    hash = contentHash(text),
  ): Promise<{ value: T; parse: ParseKind }> {
    const { parser, grammar } = await this.loader.parserFor(language);
    // From here on nothing awaits, so no other parse can replace the tree before `use` has run.
    // A parse of another language may have set the parser's language since `parserFor` did.
    if (parser.language !== grammar.language) parser.setLanguage(grammar.language);
    // The cache's look-up counts the hit or miss and marks the entry recently used.
    this.cache?.get("tree", key);
    const old = this.docs.get(key);
    if (old && old.hash === hash && old.language.id === language.id) {
      this.touch(key, old);
      this.counts.cached++;
      return { value: use(old.tree), parse: "cached" };
    }
    const reuse = old && old.language.id === language.id ? old : undefined;
    let tree: Tree | null;
    try {
      if (reuse) {
        reuse.tree.edit(editBetween(reuse.text, text));
        tree = parser.parse(text, reuse.tree);
      } else {
        tree = parser.parse(text);
      }
      if (!tree) throw new Error(`the ${language.id} parser returned no tree`);
    } catch (error) {
      // The kept tree may have been edited already: it no longer matches its text.
      this.forget(key);
      throw error;
    }
    const parse: ParseKind = reuse ? "incremental" : "full";
    this.counts[parse]++;
    this.forget(key);
    const bytes = retainedBytes(text);
    if (this.cache && bytes > this.cache.budgetBytes) {
      // Larger than the whole cache: used once and freed, never kept.
      try {
        return { value: use(tree), parse };
      } finally {
        tree.delete();
      }
    }
    const doc: ParsedDocument = { key, language, text, hash, tree, parse, parsedAt: Date.now() };
    this.docs.set(key, doc);
    this.chars += text.length;
    this.cache?.set("tree", key, doc, bytes, undefined, (left) => this.release(left));
    this.evict(key);
    return { value: use(tree), parse };
  }

  /** Drops a document and frees its tree. */
  forget(key: string): void {
    const doc = this.docs.get(key);
    if (!doc) return;
    // The cache's entry goes too, and its release frees the tree; without a cache, free it here.
    if (this.cache?.has("tree", key)) this.cache.delete("tree", key);
    else this.release(doc);
  }

  /** A document leaves: out of the index (if it is still the one there) and its tree freed. */
  private release(doc: ParsedDocument): void {
    if (this.docs.get(doc.key) === doc) {
      this.docs.delete(doc.key);
      this.chars -= doc.text.length;
    }
    doc.tree.delete();
  }

  keys(): string[] {
    return [...this.docs.keys()];
  }

  dispose(): void {
    for (const key of [...this.docs.keys()]) this.forget(key);
  }

  private touch(key: string, doc: ParsedDocument): void {
    this.docs.delete(key);
    this.docs.set(key, doc);
  }

  private evict(keep: string): void {
    for (const key of this.docs.keys()) {
      if (this.docs.size <= this.maxDocuments && this.chars <= this.maxChars) return;
      if (key !== keep) this.forget(key);
    }
  }
}

/**
 * The edit that turns `before` into `after`: the span between their common prefix and suffix.
 * Indices and columns are UTF-16 code units, as tree-sitter counts them for JavaScript strings;
 * the span is widened so it never splits a surrogate pair.
 */
export function editBetween(before: string, after: string): Edit {
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  const startPosition = pointAt(before, prefix);
  return {
    startIndex: prefix,
    oldEndIndex: before.length - suffix,
    newEndIndex: after.length - suffix,
    startPosition,
    oldEndPosition: pointFrom(before, prefix, before.length - suffix, startPosition),
    newEndPosition: pointFrom(after, prefix, after.length - suffix, startPosition),
  } as Edit;
}

function pointAt(text: string, offset: number): Point {
  return pointFrom(text, 0, offset, { row: 0, column: 0 });
}

/** The point at `offset`, counting rows (tree-sitter breaks rows at LF only) from `start` at `from`. */
function pointFrom(text: string, from: number, offset: number, start: Point): Point {
  let row = start.row;
  let lineStart = -1;
  for (let at = text.indexOf("\n", from); at !== -1 && at < offset; at = text.indexOf("\n", at + 1)) {
    row++;
    lineStart = at + 1;
  }
  return lineStart === -1
    ? { row, column: start.column + (offset - from) }
    : { row, column: offset - lineStart };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}
