import type { ByteLru } from "../cache/byte-lru.js";
import type { EditorState } from "../editor/editor-state.js";
import { readForScan } from "../files/scan-read.js";
import { type LanguageId, type LanguageSpec, languageById, languageOf } from "../symbols/languages.js";
import { contentHash, DocumentTrees, type ParseKind } from "./document-trees.js";
import { type SyntaxProblem, syntaxProblems } from "./syntax-errors.js";

/** The syntax check of one file or buffer. */
export interface SyntaxFileResult {
  path: string;
  /** ok: parsed without errors; errors: parsed with errors; skipped: not parsed (see `message`). */
  status: "ok" | "errors" | "skipped";
  language?: LanguageId;
  /** Why a file was skipped, in words. */
  message?: string;
  skipped?: "binary" | "large" | "language" | "unreadable" | "invalid";
  errors: SyntaxProblem[];
  /** Errors found; more than `errors` holds when the per-file bound cut them. */
  totalErrors: number;
  /** SHA-1 of the text checked. */
  contentHash?: string;
  parse?: ParseKind;
  /** Where the text came from: the file on disk, the editor's buffer (maybe unsaved), or the caller. */
  source: "disk" | "editor" | "text";
  /** The editor's version of the document, when the text came from the editor. */
  documentVersion?: number;
}

export interface SyntaxCheckOptions {
  /** Errors reported per file at most (default 50). */
  maxErrors?: number;
  /** Larger files are not parsed (default 8 MiB). */
  maxFileBytes?: number;
}

export const DEFAULT_MAX_FILE_BYTES = 8 * 1024 * 1024;
/**
 * The most a caller may raise maxFileBytes to: a text is parsed on the server's main thread and its
 * tree kept (the kept trees hold 32 Mi characters in all), so a bigger one is refused.
 */
export const MAX_FILE_BYTES_LIMIT = 32 * 1024 * 1024;

/** Editors' language ids (VS Code's, Neovim's filetypes) for the grammars Rune has. */
const EDITOR_LANGUAGES: Record<string, LanguageId> = {
  typescriptreact: "tsx",
  javascriptreact: "javascript",
  py: "python",
  golang: "go",
  "c#": "csharp",
  cs: "csharp",
  ts: "typescript",
  js: "javascript",
  rb: "ruby",
  rs: "rust",
};

/** The grammar for a language name (`typescript`, `tsx`, `python`, ... or an editor's id), if any. */
export function languageNamed(name: string): LanguageSpec | undefined {
  const id = (EDITOR_LANGUAGES[name.toLowerCase()] ?? name.toLowerCase()) as LanguageId;
  return (languageById(id) as LanguageSpec | undefined) ?? undefined;
}

/**
 * Syntax checks with trees kept per document, so that a file checked again after an edit is
 * parsed incrementally. A file open in the editor is checked as the editor holds it (unsaved
 * changes included); any other file as it is on disk. Shared by every scope of an engine: callers
 * resolve and confine paths first.
 */
export class SyntaxService {
  readonly trees: DocumentTrees;

  constructor(
    private readonly editor: EditorState,
    cache?: ByteLru,
  ) {
    this.trees = new DocumentTrees(cache ? { cache } : {});
  }

  /** Checks one file (an absolute, confined path). A file that cannot be parsed says why. */
  async checkFile(path: string, options: SyntaxCheckOptions = {}): Promise<SyntaxFileResult> {
    const document = this.editor.documentAt(path);
    const language = languageOf(path) ?? (document ? languageNamed(document.languageId) : undefined);
    if (!language) {
      return skipped(path, "language", "no tree-sitter grammar for this file type: not checked");
    }
    if (document) {
      const result = await this.checkText(path, language, document.text, options, "editor");
      result.documentVersion = document.version;
      return result;
    }
    const limit = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
    const bytes = readForScan(path, limit);
    if (bytes === "unreadable")
      return skipped(path, "unreadable", "the file is missing, not a regular file, or cannot be read");
    if (bytes === "large")
      return skipped(path, "large", `larger than ${limit} bytes (maxFileBytes): not parsed`);
    if (bytes === "binary")
      return skipped(path, "binary", "binary file (a NUL byte in its first 8,000 bytes)");
    // Decoded before any await: the bytes live in a buffer the thread reuses.
    return this.checkText(path, language, bytes.toString("utf8"), options, "disk");
  }

  /** Checks text under `key` (a path, or a name for an unsaved buffer). */
  async checkText(
    key: string,
    language: LanguageSpec,
    text: string,
    options: SyntaxCheckOptions = {},
    source: SyntaxFileResult["source"] = "text",
  ): Promise<SyntaxFileResult> {
    const hash = contentHash(text);
    const { value, parse } = await this.trees.withTree(
      key,
      language,
      text,
      (tree) => syntaxProblems(tree, options.maxErrors ?? 50),
      hash,
    );
    const { problems, total } = value;
    return {
      path: key,
      status: total === 0 ? "ok" : "errors",
      language: language.id,
      errors: problems,
      totalErrors: total,
      contentHash: hash,
      parse,
      source,
    };
  }

  /**
   * Re-parses a document already kept (after an edit, a change on disk or in the editor), so its
   * tree follows the text; documents never checked are left alone.
   */
  async refresh(path: string): Promise<void> {
    if (!this.trees.has(path)) return;
    try {
      const result = await this.checkFile(path);
      if (result.status === "skipped") this.trees.forget(path);
    } catch {
      this.trees.forget(path); // the next check parses from scratch and reports what failed
    }
  }

  dispose(): void {
    this.trees.dispose();
  }
}

export function skipped(
  path: string,
  reason: NonNullable<SyntaxFileResult["skipped"]>,
  message: string,
): SyntaxFileResult {
  return { path, status: "skipped", skipped: reason, message, errors: [], totalErrors: 0, source: "disk" };
}
