import type { Parser, Tree } from "web-tree-sitter";
import { readForScan } from "../files/scan-read.js";
import { sha1 } from "../files/text-content.js";
import { holdShape } from "../hold-shape.js";
import { extractSymbols } from "./extract-symbols.js";
import { threadGrammarLoader } from "./grammar-loader.js";
import { type LanguageId, type LanguageSpec, languageOf } from "./languages.js";
import { ShortenedText } from "./shortened-text.js";
import { type PackedSymbols, packSymbols } from "./symbol.js";
import { symbolFreeBlocks } from "./symbol-free-blocks.js";
import { WARM_UP_ROUNDS, WARM_UP_SAMPLES, WARM_UP_SYNTAX_ERROR } from "./warm-up.js";

/** One worker task: the symbols of a batch of files. */
export interface SymbolsTask {
  files: { path: string /** The content hash the index already has symbols for. */; known?: string }[];
  /** Larger files are skipped (bundles, generated code). */
  maxFileBytes: number;
  /** Skip minified files (the index does; an outline asked for by name does not). */
  skipMinified?: boolean;
}

/**
 * Why a file has no symbols: gone or unreadable, larger than the bound, binary (a NUL byte in its
 * first 8,000 bytes, as git decides), minified (long lines: names there are meaningless and parsing
 * is slow), or of no indexed language.
 */
export type SkipReason = "unreadable" | "large" | "binary" | "minified" | "language";

/** What a worker found in one file. */
export interface FileSymbols {
  path: string;
  /** The index drops a skipped file. */
  skipped?: SkipReason;
  language?: LanguageId;
  /** SHA-1 of the file's bytes: the cache key. */
  hash?: string;
  /** Packed; absent when the hash is the one the index already knows: its symbols are unchanged. */
  symbols?: PackedSymbols;
  /** A grammar that failed to load, or a parse that failed: the file has no symbols. */
  error?: string;
}

export interface SymbolsTaskResult {
  files: FileSymbols[];
  /** Files parsed (not answered from the known hash). */
  parsed: number;
  bytes: number;
}

/** Files smaller than this are never judged minified: they parse quickly whatever they hold. */
const MINIFIED_MIN_BYTES = 16 * 1024;
/** Hand-written source averages under 50 bytes a line; minified or generated code runs to thousands. */
const MINIFIED_LINE_BYTES = 400;

const loader = threadGrammarLoader();

/**
 * Runs in a worker thread: reads and hashes each file, and parses it only if its hash is not the
 * one the index already holds. Trees are freed at once: they live in the WebAssembly heap, which
 * the garbage collector does not see.
 */
export async function parseSymbols(task: SymbolsTask): Promise<SymbolsTaskResult> {
  const result: SymbolsTaskResult = { files: [], parsed: 0, bytes: 0 };
  for (const { path, known } of task.files) {
    const language = languageOf(path);
    // Links are not followed: an index path that became one leaves the index (see readForScan).
    const bytes = language ? readForScan(path, task.maxFileBytes, true) : "language";
    // Skipped files take the same steps as the others (the entry, the push): see skipReason.
    const skipped = skipReason(bytes, task.skipMinified === true);
    const hash = skipped === undefined && typeof bytes !== "string" ? sha1(bytes) : undefined;
    const entry: FileSymbols = { path, skipped, language: language?.id, hash };
    result.files.push(entry);
    if (hash === undefined || language === undefined || typeof bytes === "string") continue;
    result.bytes += bytes.length;
    if (hash === known) continue;
    result.parsed++;
    // Decoded before any await: the bytes live in a buffer the thread reuses. A byte-order mark is
    // no part of the first line (columns count from the character after it, as everywhere in Rune).
    const decoded = bytes.toString("utf8");
    const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
    try {
      // An index build warms the thread up first; one file (an outline, an update) does not wait.
      if (task.files.length >= WARM_UP_FILES) await warmUp(language);
      const { parser, grammar } = await loader.parserFor(language);
      const { tree, source } = parseForSymbols(parser, text, language.id);
      try {
        entry.symbols = packSymbols(extractSymbols(tree, grammar.query, source));
      } finally {
        tree.delete();
      }
    } catch (error) {
      entry.symbols = [];
      entry.error = `${language.id}: ${(error as Error).message}`;
    }
  }
  return result;
}

/**
 * Why a file read for indexing is skipped, if it is. A skipped file takes the same steps here and
 * in the loop above as any other: V8 optimizes that loop after the first few files, and a step no
 * file had taken yet (a comparison, a store) would throw the optimized loop away at the first
 * skipped file, a large one say.
 */
function skipReason(
  bytes: ReturnType<typeof readForScan> | "language",
  skipMinified: boolean,
): SkipReason | undefined {
  if (typeof bytes === "string") return bytes;
  return skipMinified && minified(bytes) ? "minified" : undefined;
}

/** Tasks of at least this many files warm the thread up (warm-up.ts) before their first parse. */
const WARM_UP_FILES = 8;
const warmed = new Set<LanguageId>();

/**
 * Runs the language's warm-up sample through the symbol pass, once per thread and language. The
 * tokenizer pass, which every ECMAScript language shares, sees all the samples the first time:
 * a branch it meets only in a later language would undo its optimized code then.
 */
async function warmUp(language: LanguageSpec): Promise<void> {
  const sample = WARM_UP_SAMPLES[language.id];
  if (warmed.has(language.id) || sample === undefined) return;
  if (warmed.size === 0) {
    for (let round = 0; round < WARM_UP_ROUNDS; round++)
      for (const [id, text] of Object.entries(WARM_UP_SAMPLES)) symbolFreeBlocks(text, id as LanguageId);
  }
  warmed.add(language.id);
  try {
    const { parser, grammar } = await loader.parserFor(language);
    for (let round = 0; round < WARM_UP_ROUNDS; round++) {
      // The last round's text has a syntax error, so the fallback to a whole parse runs too.
      const text = round < WARM_UP_ROUNDS - 1 ? sample : sample + WARM_UP_SYNTAX_ERROR;
      const { tree, source } = parseForSymbols(parser, text, language.id);
      try {
        packSymbols(extractSymbols(tree, grammar.query, source));
        // The sample's tree (freed) and a node of it keep their hidden classes (hold-shape.ts).
        holdShape("tree", tree);
        holdShape("tree-node", tree.rootNode);
      } finally {
        tree.delete();
      }
    }
  } catch {
    // Only speed is lost: a grammar that will not load fails the file's own parse, with its name.
  }
}

/** A parsed file, and the text it was parsed from, with the way back to the original's positions. */
export interface SymbolTree {
  tree: Tree;
  source: ShortenedText;
}

/** No range left out: a whole parse's text. */
const NOTHING: readonly number[] = [];

/**
 * A tree that holds every symbol of `text`. For the ECMAScript family the parser is given the file
 * without the text that cannot hold one (symbol-free-blocks.ts: block contents, statement runs,
 * comments on lines of their own), which is most of the file; if that tree has a syntax error (the tokenizer misread something, or the file is
 * broken), the whole file is parsed instead, so the symbols are those of a whole parse (an error
 * inside a skipped body, which the shortened parse never sees, is the exception).
 */
export function parseForSymbols(parser: Parser, text: string, language: LanguageId): SymbolTree {
  const ecmascript = language === "javascript" || language === "typescript" || language === "tsx";
  const skipped = ecmascript ? symbolFreeBlocks(text, language) : undefined;
  if (skipped && skipped.length > 0) {
    const shortened = new ShortenedText(text, skipped);
    const tree = parser.parse(shortened.text);
    if (tree && !tree.rootNode.hasError) return { tree, source: shortened };
    tree?.delete();
  }
  const tree = parser.parse(text);
  if (!tree) throw new Error("the parser returned no tree");
  return { tree, source: new ShortenedText(text, NOTHING) };
}

/** Whether `bytes` look minified: long enough, with too few line breaks for their size. */
export function minified(bytes: Buffer): boolean {
  if (bytes.length < MINIFIED_MIN_BYTES) return false;
  const enough = Math.ceil(bytes.length / MINIFIED_LINE_BYTES);
  let lines = 0;
  for (let at = bytes.indexOf(10); at !== -1; at = bytes.indexOf(10, at + 1)) {
    if (++lines >= enough) return false;
  }
  return true;
}
