import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync } from "node:fs";
import { readFully } from "../files/read-fully.js";
import { extractSymbols } from "./extract-symbols.js";
import { GrammarLoader } from "./grammar-loader.js";
import { type LanguageId, languageOf } from "./languages.js";
import type { DocumentSymbol } from "./symbol.js";

/** One worker task: the symbols of a batch of files. */
export interface SymbolsTask {
  files: { path: string /** The content hash the index already has symbols for. */; known?: string }[];
  /** Larger files are skipped (bundles, generated code). */
  maxFileBytes: number;
}

/** What a worker found in one file. */
export interface FileSymbols {
  path: string;
  /** Gone, unreadable, too large or of no indexed language: the index drops it. */
  skipped?: "missing" | "large" | "language";
  language?: LanguageId;
  /** SHA-1 of the file's bytes: the cache key. */
  hash?: string;
  /** Absent when the hash is the one the index already knows: its symbols are unchanged. */
  symbols?: DocumentSymbol[];
  /** A grammar that failed to load, or a parse that failed: the file has no symbols. */
  error?: string;
}

export interface SymbolsTaskResult {
  files: FileSymbols[];
  /** Files parsed (not answered from the known hash). */
  parsed: number;
  bytes: number;
}

const loader = new GrammarLoader();
// One buffer per worker, reused: nothing returned refers to the bytes.
let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * Runs in a worker thread: reads and hashes each file, and parses it only if its hash is not the
 * one the index already holds. Trees are freed at once: they live in the WebAssembly heap, which
 * the garbage collector does not see.
 */
export async function parseSymbols(task: SymbolsTask): Promise<SymbolsTaskResult> {
  const result: SymbolsTaskResult = { files: [], parsed: 0, bytes: 0 };
  for (const { path, known } of task.files) {
    const language = languageOf(path);
    if (!language) {
      result.files.push({ path, skipped: "language" });
      continue;
    }
    const bytes = read(path, task.maxFileBytes);
    if (typeof bytes === "string") {
      result.files.push({ path, skipped: bytes });
      continue;
    }
    result.bytes += bytes.length;
    const hash = createHash("sha1").update(bytes).digest("hex");
    const entry: FileSymbols = { path, language: language.id, hash };
    result.files.push(entry);
    if (hash === known) continue;
    result.parsed++;
    try {
      const { parser, grammar } = await loader.parserFor(language);
      const tree = parser.parse(bytes.toString("utf8"));
      if (!tree) throw new Error("the parser returned no tree");
      try {
        entry.symbols = extractSymbols(tree, grammar.query);
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

/** The file's bytes (in the worker's scratch buffer), or why it was skipped. */
function read(path: string, maxBytes: number): Buffer | "missing" | "large" {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return "missing";
  }
  try {
    const size = fstatSync(fd).size;
    if (size > maxBytes) return "large";
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    return readFully(fd, size, scratch);
  } catch {
    return "missing";
  } finally {
    closeSync(fd);
  }
}
