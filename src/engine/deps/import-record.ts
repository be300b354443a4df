import { extname } from "node:path";

/** How a module names another: the syntax decides how it resolves and whether it runs. */
export type ImportKind =
  /** `import ... from "x"`, `import "x"` */
  | "static"
  /** `export ... from "x"` */
  | "reexport"
  /** `import("x")` with a literal */
  | "dynamic"
  /** `require("x")` with a literal, and TypeScript's `import x = require("x")` */
  | "require"
  /** Python `import x` / `from x import y` */
  | "python"
  /** Go `import "x"` */
  | "go";

/** One import as written in a source file, before resolution. */
export interface ImportRecord {
  /** The module as written: `./a.js`, `..pkg.mod`, `example.com/m/pkg`. */
  specifier: string;
  kind: ImportKind;
  /** Erased at compile time (`import type`, all-`type` named imports); TS only. */
  typeOnly: boolean;
  /** 1-based line of the specifier. */
  line: number;
  /** Python `from m import a, b`: the names, since each may be a submodule. */
  names?: readonly string[];
}

export type SourceLanguage = "javascript" | "python" | "go";

const LANGUAGES: ReadonlyMap<string, SourceLanguage> = new Map([
  [".ts", "javascript"],
  [".tsx", "javascript"],
  [".mts", "javascript"],
  [".cts", "javascript"],
  [".js", "javascript"],
  [".jsx", "javascript"],
  [".mjs", "javascript"],
  [".cjs", "javascript"],
  [".py", "python"],
  [".pyi", "python"],
  [".go", "go"],
]);

/** The language whose imports a file's extension says it holds, or null for any other file. */
export function languageOf(path: string): SourceLanguage | null {
  return LANGUAGES.get(extname(path).toLowerCase()) ?? null;
}

/**
 * 1-based line numbers of ascending offsets, found in one pass over the text: scanners record
 * offsets and convert once at the end instead of counting lines as they skip.
 */
export function linesOf(text: string, offsets: readonly number[]): number[] {
  const lines: number[] = [];
  let line = 1;
  let at = 0;
  for (const offset of offsets) {
    for (;;) {
      const next = text.indexOf("\n", at);
      if (next === -1 || next >= offset) break;
      line++;
      at = next + 1;
    }
    lines.push(line);
  }
  return lines;
}
