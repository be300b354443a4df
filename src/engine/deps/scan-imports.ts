import { scanGoImports } from "./go-imports.js";
import type { ImportRecord, SourceLanguage } from "./import-record.js";
import { scanJsImports } from "./js-imports.js";
import { scanPythonImports } from "./python-imports.js";

/** The imports written in `text`, read with the scanner for `language`. */
export function scanImports(language: SourceLanguage, text: string): ImportRecord[] {
  switch (language) {
    case "javascript":
      return scanJsImports(text);
    case "python":
      return scanPythonImports(text);
    case "go":
      return scanGoImports(text);
  }
}
