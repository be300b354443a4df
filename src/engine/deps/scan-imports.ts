import { scanGoImports } from "./go-imports.js";
import type { ImportRecord, SourceLanguage } from "./import-record.js";
import { scanJsImports } from "./js-imports.js";
import { scanPythonImports } from "./python-imports.js";

/** Extensions of files that may hold JSX: React code is written in `.js` files too. */
const JSX = /\.(?:jsx|tsx|js)$/i;
const TYPESCRIPT = /\.(?:ts|tsx|mts|cts)$/i;

/** The imports written in `text` (the file at `path`), read with the scanner for `language`. */
export function scanImports(language: SourceLanguage, text: string, path = ""): ImportRecord[] {
  switch (language) {
    case "javascript":
      return scanJsImports(text, { jsx: JSX.test(path), typescript: TYPESCRIPT.test(path) });
    case "python":
      return scanPythonImports(text);
    case "go":
      return scanGoImports(text);
  }
}
