import { readForScan } from "../files/scan-read.js";
import { sha1 } from "../files/text-content.js";
import { threadGrammarLoader } from "../symbols/grammar-loader.js";
import { languageOf } from "../symbols/languages.js";
import { minified } from "../symbols/symbols-task.js";
import { analysisQueries } from "./analysis-queries.js";
import type { CodeDiagnostic } from "./code-diagnostic.js";
import type { LintSettings } from "./lint-config.js";
import { lintTree } from "./lint-rules.js";
import { markersInText } from "./todo-comments.js";

/** One worker task: lint a batch of files. */
export interface LintTask {
  files: string[];
  settings: LintSettings;
  maxFileBytes: number;
}

export interface LintedFile {
  path: string;
  /** SHA-1 of the bytes linted: which version the diagnostics are for. */
  hash: string;
  diagnostics: CodeDiagnostic[];
  /** Parsed with a grammar (else only the comment-marker scan ran). */
  parsed: boolean;
  error?: string;
}

export interface LintTaskResult {
  files: LintedFile[];
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
  /** Minified files: their lines are machine-made, so size rules and markers mean nothing there. */
  skippedMinified: number;
}

const loader = threadGrammarLoader();
/** Files that hold no comments of their own: JSON, and source maps (whose embedded sources are not the workspace's). */
const NO_COMMENTS = /\.(?:map|json|lock)$/i;

/**
 * Runs in a worker thread: parses each file of a language with a grammar and runs the rules over
 * its tree; any other text file gets the TODO/FIXME scan alone. Trees are freed at once.
 */
export async function lintFiles(task: LintTask): Promise<LintTaskResult> {
  const result: LintTaskResult = {
    files: [],
    bytes: 0,
    skippedBinary: 0,
    skippedLarge: 0,
    skippedMinified: 0,
  };
  const todos = task.settings.rules.includes("todo-comment");
  for (const path of task.files) {
    const language = languageOf(path);
    if (!language && (!todos || NO_COMMENTS.test(path))) continue;
    const bytes = readForScan(path, task.maxFileBytes, true);
    if (bytes === "unreadable") continue;
    if (bytes === "large") {
      result.skippedLarge++;
      continue;
    }
    if (bytes === "binary") {
      result.skippedBinary++;
      continue;
    }
    if (minified(bytes)) {
      result.skippedMinified++;
      continue;
    }
    result.bytes += bytes.length;
    const hash = sha1(bytes);
    // Decoded before any await: the bytes live in a buffer the thread reuses.
    const text = bytes.toString("utf8");
    const file: LintedFile = { path, hash, diagnostics: [], parsed: false };
    result.files.push(file);
    if (!language) {
      if (todos) file.diagnostics = todoDiagnostics(path, text);
      continue;
    }
    try {
      const { parser, grammar } = await loader.parserFor(language);
      const queries = await analysisQueries(grammar.language);
      if (parser.language !== grammar.language) parser.setLanguage(grammar.language);
      const tree = parser.parse(text);
      if (!tree) throw new Error("the parser returned no tree");
      try {
        file.diagnostics = lintTree(tree, language.id, path, task.settings, queries);
        file.parsed = true;
      } finally {
        tree.delete();
      }
    } catch (error) {
      file.error = `${language.id}: ${(error as Error).message}`;
      if (todos) file.diagnostics = todoDiagnostics(path, text);
    }
  }
  return result;
}

function todoDiagnostics(path: string, text: string): CodeDiagnostic[] {
  return markersInText(text).map((marker) => ({
    path,
    range: marker.range,
    severity: "information",
    ruleId: "todo-comment",
    message: `${marker.tag}${marker.text ? `: ${marker.text}` : ""}`,
    source: "rune-lint",
  }));
}
