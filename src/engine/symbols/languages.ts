import { extname } from "node:path";

/** A language Rune can index: the grammar that parses it and the query that finds its symbols. */
export interface LanguageSpec {
  id: LanguageId;
  /** File name of the grammar in `@vscode/tree-sitter-wasm/wasm/`. */
  grammar: string;
}

export type LanguageId =
  | "typescript"
  | "tsx"
  | "javascript"
  | "python"
  | "go"
  | "rust"
  | "java"
  | "c"
  | "cpp"
  | "csharp"
  | "ruby";

const LANGUAGES: Record<LanguageId, LanguageSpec> = {
  typescript: { id: "typescript", grammar: "tree-sitter-typescript.wasm" },
  tsx: { id: "tsx", grammar: "tree-sitter-tsx.wasm" },
  javascript: { id: "javascript", grammar: "tree-sitter-javascript.wasm" },
  python: { id: "python", grammar: "tree-sitter-python.wasm" },
  go: { id: "go", grammar: "tree-sitter-go.wasm" },
  rust: { id: "rust", grammar: "tree-sitter-rust.wasm" },
  java: { id: "java", grammar: "tree-sitter-java.wasm" },
  // No C grammar ships with @vscode/tree-sitter-wasm; C++'s grammar is a superset that parses C
  // declarations the same way (a C file using `class` or `new` as a name is the rare casualty).
  c: { id: "c", grammar: "tree-sitter-cpp.wasm" },
  cpp: { id: "cpp", grammar: "tree-sitter-cpp.wasm" },
  csharp: { id: "csharp", grammar: "tree-sitter-c-sharp.wasm" },
  ruby: { id: "ruby", grammar: "tree-sitter-ruby.wasm" },
};

const BY_EXTENSION: Record<string, LanguageId> = {
  ".ts": "typescript",
  ".mts": "typescript",
  ".cts": "typescript",
  ".tsx": "tsx",
  ".js": "javascript",
  ".jsx": "javascript",
  ".mjs": "javascript",
  ".cjs": "javascript",
  ".py": "python",
  ".pyi": "python",
  ".go": "go",
  ".rs": "rust",
  ".java": "java",
  ".c": "c",
  ".h": "cpp",
  ".cc": "cpp",
  ".cpp": "cpp",
  ".cxx": "cpp",
  ".c++": "cpp",
  ".hh": "cpp",
  ".hpp": "cpp",
  ".hxx": "cpp",
  ".cs": "csharp",
  ".rb": "ruby",
};

/**
 * The same, looked up in a Map: V8 optimizes an object's lookup for the keys it has seen, so each
 * new extension (`.ts` after `.js`) would throw an indexing worker's optimized loop away.
 */
const SPEC_BY_EXTENSION = new Map(Object.entries(BY_EXTENSION).map(([ext, id]) => [ext, LANGUAGES[id]]));

/** The language of a file, by its extension (case-insensitive), or undefined if Rune cannot index it. */
export function languageOf(path: string): LanguageSpec | undefined {
  return SPEC_BY_EXTENSION.get(extname(path).toLowerCase());
}

/** Every extension with a language, as globs for the walker (`*.ts`, ...). */
export function indexedGlobs(): string[] {
  return Object.keys(BY_EXTENSION).map((ext) => `*${ext}`);
}

export function languageById(id: LanguageId): LanguageSpec {
  return LANGUAGES[id];
}
