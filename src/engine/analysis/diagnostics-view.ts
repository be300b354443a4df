import { fileURLToPath } from "node:url";
import type { Diagnostic as EditorDiagnostic } from "../editor/diagnostic.js";
import { type EditorState, fileUri } from "../editor/editor-state.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import { readForScan } from "../files/scan-read.js";
import { sha1 } from "../files/text-content.js";
import { languageOf } from "../symbols/languages.js";
import { within } from "../workspace/workspace-roots.js";
import { SEVERITY_RANK, type Severity, type SourceRange } from "./code-diagnostic.js";
import { type DiagnosticsHub, MAX_PER_FILE } from "./diagnostics-hub.js";
import type { LintAnalyzer } from "./lint-analyzer.js";
import { LINT_MAX_FILE_BYTES } from "./lint-config.js";
import { languageNamed, type SyntaxFileResult, type SyntaxService } from "./syntax-service.js";

export type DiagnosticSource = "editor" | "syntax" | "lint";

export interface DiagnosticsRequest {
  /** Files (paths or file:// URIs); default: every file the editor or Rune has diagnostics for. */
  paths?: readonly string[];
  minSeverity?: Severity;
  sources?: readonly DiagnosticSource[];
  /** Diagnostics returned at most, over all files (default 500). */
  maxResults?: number;
}

export interface MergedDiagnostic {
  range: SourceRange;
  severity: Severity;
  message: string;
  /** editor (with the editor's own source in `origin`), syntax, rune-lint, eslint, tsc, ruff. */
  source: string;
  origin?: string;
  ruleId?: string;
}

/** How current each source's diagnostics for a file are. */
export type Freshness =
  | { source: "editor"; updatedAt?: string; ageMs?: number; documentVersion?: number; open: boolean }
  | {
      source: "syntax";
      computedFor?: string;
      stale: false;
      parse?: string;
      documentVersion?: number;
      note?: string;
    }
  | {
      source: "lint";
      computedFor?: string;
      computedAt?: string;
      stale: boolean;
      recomputed: boolean;
      note?: string;
    };

export interface FileDiagnostics {
  path?: string;
  uri: string;
  diagnostics: MergedDiagnostic[];
  freshness: Freshness[];
}

export interface DiagnosticsResult {
  files: FileDiagnostics[];
  total: number;
  returned: number;
  truncated: boolean;
}

const EDITOR_SEVERITY: Record<EditorDiagnostic["severity"], Severity> = {
  Error: "error",
  Warning: "warning",
  Information: "information",
  Hint: "hint",
};
/** Stale lints recomputed per request at most; the rest are returned marked stale. */
const MAX_RELINT = 64;
/**
 * Files syntax-checked per request when no paths are named (open editor documents first): after a
 * lint of a large tree, checking every file with a finding would parse thousands on the main thread.
 */
export const MAX_SYNTAX_UNASKED = 64;

/**
 * get_diagnostics: the editor's diagnostics merged with Rune's own (syntax errors, the last lint),
 * each source saying how current it is. Rune's own are brought up to date for the files asked
 * about: the syntax check from the kept tree (incrementally), a lint whose file changed since is
 * run again.
 */
export class DiagnosticsView {
  constructor(
    private readonly sandbox: PathSandbox,
    private readonly editor: EditorState,
    private readonly hub: DiagnosticsHub,
    private readonly syntax: SyntaxService,
    private readonly linter: LintAnalyzer,
  ) {}

  async get(request: DiagnosticsRequest = {}): Promise<DiagnosticsResult> {
    const sources = new Set<DiagnosticSource>(request.sources ?? ["editor", "syntax", "lint"]);
    const explicit = request.paths !== undefined && request.paths.length > 0;
    const targets = explicit ? (request.paths ?? []).map((p) => this.target(p)) : this.knownTargets();
    const minRank = SEVERITY_RANK[request.minSeverity ?? "hint"];
    const relint = sources.has("lint") ? await this.relint(targets, explicit) : new Set<string>();
    const files: FileDiagnostics[] = [];
    let syntaxBudget = explicit ? Number.POSITIVE_INFINITY : MAX_SYNTAX_UNASKED;
    for (const target of targets) {
      const file: FileDiagnostics = { uri: target.uri, diagnostics: [], freshness: [] };
      if (target.path) file.path = target.path;
      if (sources.has("editor")) this.fromEditor(target.uri, file);
      if (sources.has("syntax")) {
        if (syntaxBudget-- > 0) await this.fromSyntax(target, file);
        else
          file.freshness.push({
            source: "syntax",
            stale: false,
            note: `not checked: without paths, at most ${MAX_SYNTAX_UNASKED} files are syntax-checked a call; name this file in paths`,
          });
      }
      if (sources.has("lint") && target.path) this.fromLint(target.path, file, relint.has(target.path));
      file.diagnostics = file.diagnostics.filter((d) => SEVERITY_RANK[d.severity] >= minRank);
      file.diagnostics.sort(
        (a, b) =>
          SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
          a.range.start.line - b.range.start.line ||
          a.range.start.column - b.range.start.column,
      );
      if (explicit || file.diagnostics.length > 0) files.push(file);
    }
    const max = request.maxResults ?? 500;
    let left = max;
    let total = 0;
    for (const file of files) {
      total += file.diagnostics.length;
      if (file.diagnostics.length > left) file.diagnostics = file.diagnostics.slice(0, left);
      left -= file.diagnostics.length;
    }
    return { files, total, returned: Math.min(total, max), truncated: total > max };
  }

  private target(requested: string): { uri: string; path?: string } {
    if (requested.startsWith("file:") || !requested.includes(":")) {
      const path = this.sandbox.resolveSync(requested);
      return { uri: fileUri(path), path };
    }
    // An untitled buffer's URI: only the editor knows it.
    return { uri: requested };
  }

  /** Every file the editor or the last lints have diagnostics for, inside the scope's roots. */
  private knownTargets(): { uri: string; path?: string }[] {
    const roots = this.sandbox.roots.list().map((r) => r.path);
    const inside = (path: string) => roots.some((root) => within(path, root));
    const byUri = new Map<string, { uri: string; path?: string }>();
    for (const [uri] of this.editor.allDiagnostics()) {
      const path = this.editor.document(uri)?.path ?? pathOf(uri);
      if (path === undefined) byUri.set(uri, { uri });
      else if (inside(path)) byUri.set(uri, { uri, path });
    }
    for (const document of this.editor.documents()) {
      if (document.path && inside(document.path))
        byUri.set(document.uri, { uri: document.uri, path: document.path });
    }
    for (const path of this.hub.lintedPaths()) {
      const uri = fileUri(path);
      if (inside(path) && !byUri.has(uri) && (this.hub.lintOf(path)?.diagnostics.length ?? 0) > 0)
        byUri.set(uri, { uri, path });
    }
    return [...byUri.values()];
  }

  private fromEditor(uri: string, file: FileDiagnostics): void {
    const document = this.editor.document(uri);
    const updated = this.hub.editorUpdatedAt(uri);
    const freshness: Freshness = { source: "editor", open: document !== undefined };
    if (updated !== undefined) {
      freshness.updatedAt = new Date(updated).toISOString();
      freshness.ageMs = Math.max(0, this.hub.clock() - updated);
    }
    if (document) freshness.documentVersion = document.version;
    file.freshness.push(freshness);
    for (const d of this.editor.diagnostics(uri)) {
      const merged: MergedDiagnostic = {
        range: {
          start: { line: d.range.start.line + 1, column: d.range.start.character + 1 },
          end: { line: d.range.end.line + 1, column: d.range.end.character + 1 },
        },
        severity: EDITOR_SEVERITY[d.severity],
        message: d.message,
        source: "editor",
      };
      if (d.source) merged.origin = d.source;
      if (d.code) merged.ruleId = d.code;
      file.diagnostics.push(merged);
    }
  }

  /** Syntax errors of a file of a known language, or of an untitled buffer the editor holds. */
  private async fromSyntax(target: { uri: string; path?: string }, file: FileDiagnostics): Promise<void> {
    let result: SyntaxFileResult;
    if (target.path) {
      if (!languageOf(target.path) && !this.editor.documentAt(target.path)) return;
      result = await this.syntax.checkFile(target.path);
    } else {
      const document = this.editor.document(target.uri);
      const language = document ? languageNamed(document.languageId) : undefined;
      if (!document || !language) return;
      result = await this.syntax.checkText(target.uri, language, document.text, {}, "editor");
      result.documentVersion = document.version;
    }
    if (result.status === "skipped") {
      file.freshness.push({ source: "syntax", stale: false, note: result.message });
      return;
    }
    const freshness: Freshness = {
      source: "syntax",
      computedFor: result.contentHash,
      stale: false,
      parse: result.parse,
    };
    if (result.documentVersion !== undefined) freshness.documentVersion = result.documentVersion;
    file.freshness.push(freshness);
    for (const error of result.errors) {
      file.diagnostics.push({
        range: error.range,
        severity: "error",
        message: error.message,
        source: "syntax",
        ruleId: `syntax/${error.kind}`,
      });
    }
  }

  private fromLint(path: string, file: FileDiagnostics, recomputed: boolean): void {
    const record = this.hub.lintOf(path);
    if (!record) {
      file.freshness.push({
        source: "lint",
        stale: false,
        recomputed: false,
        note: "not linted yet: run lint_analysis",
      });
      return;
    }
    const current = diskHash(path);
    file.freshness.push({
      source: "lint",
      computedFor: record.hash,
      computedAt: new Date(record.computedAt).toISOString(),
      stale: current !== record.hash,
      recomputed,
      ...(record.omitted > 0
        ? {
            note: `${record.omitted} less severe lint diagnostics of this file were not kept (at most ${MAX_PER_FILE} per file)`,
          }
        : {}),
    });
    for (const d of record.diagnostics) {
      file.diagnostics.push({
        range: d.range,
        severity: d.severity,
        message: d.message,
        source: d.source,
        ruleId: d.ruleId,
      });
    }
  }

  /** Lints again the files whose last lint no longer matches them (and, when named, never linted). */
  private async relint(targets: { path?: string }[], explicit: boolean): Promise<Set<string>> {
    const stale = targets
      .flatMap((t) => (t.path ? [t.path] : []))
      .filter((path) => {
        const record = this.hub.lintOf(path);
        if (!record) return explicit && diskHash(path) !== undefined;
        return diskHash(path) !== record.hash;
      })
      .slice(0, MAX_RELINT);
    if (stale.length > 0) await this.linter.lint({ paths: stale, maxDiagnostics: 1, external: [] });
    return new Set(stale);
  }
}

/** SHA-1 of a file's bytes as lint reads them; undefined for a file lint skips. */
function diskHash(path: string): string | undefined {
  const bytes = readForScan(path, LINT_MAX_FILE_BYTES);
  return typeof bytes === "string" ? undefined : sha1(bytes);
}

function pathOf(uri: string): string | undefined {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
