import type { EditorState } from "../editor/editor-state.js";
import { type CodeDiagnostic, SEVERITY_RANK } from "./code-diagnostic.js";

/** The last lint of one file. */
export interface LintRecord {
  /** SHA-1 of the bytes linted. */
  hash: string;
  diagnostics: CodeDiagnostic[];
  /** Diagnostics of the lint not kept, past MAX_PER_FILE (the least severe go). */
  omitted: number;
  computedAt: number;
}

/** Files whose last lint is kept at most; the oldest record goes first. */
const MAX_FILES = 20_000;
/** Diagnostics kept per file, so a file of thousands of TODOs cannot grow the store without bound. */
export const MAX_PER_FILE = 1_000;

/**
 * Rune's own diagnostics between requests: the last lint of each file (keyed by content hash, so
 * a reader can tell whether it still describes the file) and when the editor last reported
 * diagnostics for each document (the editor state keeps the diagnostics, not their age).
 */
export class DiagnosticsHub {
  private readonly lint = new Map<string, LintRecord>();
  private readonly editorTimes = new Map<string, number>();

  constructor(
    editor: EditorState,
    private readonly now: () => number = Date.now,
  ) {
    editor.onEvent((event) => {
      if (event.kind === "diagnostics-changed") this.editorTimes.set(event.uri, this.now());
      else if (event.kind === "document-closed") this.editorTimes.delete(event.uri);
    });
  }

  recordLint(path: string, hash: string, diagnostics: CodeDiagnostic[]): void {
    this.lint.delete(path);
    const kept =
      diagnostics.length <= MAX_PER_FILE
        ? diagnostics
        : [...diagnostics]
            .sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity])
            .slice(0, MAX_PER_FILE);
    this.lint.set(path, {
      hash,
      diagnostics: kept,
      omitted: diagnostics.length - kept.length,
      computedAt: this.now(),
    });
    if (this.lint.size > MAX_FILES) this.lint.delete(this.lint.keys().next().value as string);
  }

  lintOf(path: string): LintRecord | undefined {
    return this.lint.get(path);
  }

  /** Files with a kept lint record. */
  lintedPaths(): string[] {
    return [...this.lint.keys()];
  }

  /** When the editor last reported diagnostics for `uri` (ms since the epoch), if it has. */
  editorUpdatedAt(uri: string): number | undefined {
    return this.editorTimes.get(uri);
  }

  clock(): number {
    return this.now();
  }
}
