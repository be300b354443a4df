import type { Diagnostic } from "./diagnostic.js";
import type { EditorState } from "./editor-state.js";
import type { Range } from "./text-lines.js";

/**
 * Tokens a text costs, estimated at four characters a token: the usual rule of thumb for English
 * and code with BPE tokenizers. An estimate, so the packer keeps a margin rather than trusting it
 * to the token.
 */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export interface ContextRequest {
  /** The most tokens the packed context may cost (estimated). */
  budgetTokens: number;
  /** Lines to show above and below the cursor (default 20). */
  linesAround?: number;
}

/** The editor's context, packed into a budget, most relevant first. */
export interface PackedContext {
  activeFile: string | null;
  languageId: string | null;
  mode: string;
  cursor: { line: number; character: number } | null;
  selection: { text: string; range: Range; truncated: boolean } | null;
  /**
   * What the user sent to the agent from the editor (:RuneSend), newest first; lines 1-based and
   * included, absent for a whole file. The text comes along when the file is open in the editor.
   */
  mentions: { filePath: string; startLine?: number; endLine?: number; text?: string; truncated?: boolean }[];
  /** Lines around the cursor, numbered from `startLine` (1-based). */
  around: { startLine: number; endLine: number; text: string; truncated: boolean } | null;
  diagnostics: {
    filePath: string;
    line: number;
    character: number;
    severity: string;
    message: string;
    source?: string;
  }[];
  openFiles: { filePath: string; languageId: string; isDirty: boolean; isActive: boolean }[];
  /** Parts dropped or shortened to stay within the budget. */
  omitted: string[];
  tokens: { budget: number; used: number };
}

/**
 * Packs what the developer is looking at into `budgetTokens`, in order of relevance: the
 * selection, what the user sent with :RuneSend (mentions), the lines around the cursor, diagnostics (the active file's first, errors before
 * warnings), then the list of open files. A part that does not fit whole is shortened (text) or cut
 * (lists), and recorded in `omitted`, so the caller knows what it is missing.
 */
export function packContext(state: EditorState, request: ContextRequest): PackedContext {
  const budget = request.budgetTokens;
  let used = 0;
  const omitted: string[] = [];
  const take = (text: string): { text: string; truncated: boolean } => {
    const room = Math.max(0, (budget - used) * 4);
    const fits = text.length <= room;
    const kept = fits ? text : text.slice(0, room);
    used += estimateTokens(kept);
    return { text: kept, truncated: !fits };
  };
  const document = state.activeDocument;
  const snapshot = state.selection();
  const primary = snapshot?.selections[0];
  const packed: PackedContext = {
    activeFile: document ? (document.path ?? document.uri) : null,
    languageId: document?.languageId ?? null,
    mode: state.mode,
    cursor: primary ? { ...primary.active } : null,
    selection: null,
    mentions: [],
    around: null,
    diagnostics: [],
    openFiles: [],
    omitted,
    tokens: { budget, used: 0 },
  };
  used += estimateTokens(JSON.stringify({ ...packed, omitted: [] }));

  if (snapshot && !snapshot.isEmpty) {
    const selected = snapshot.primary;
    const { text, truncated } = take(selected.text);
    packed.selection = { text, range: selected.range, truncated };
    if (truncated) omitted.push("selection (shortened)");
  }
  let mentionsDropped = 0;
  for (const mention of state.mentions()) {
    const entry: PackedContext["mentions"][number] = { filePath: mention.path };
    if (mention.lineStart !== undefined) {
      entry.startLine = mention.lineStart + 1;
      entry.endLine = (mention.lineEnd ?? mention.lineStart) + 1;
    }
    const cost = estimateTokens(JSON.stringify(entry));
    if (used + cost > budget) {
      mentionsDropped++;
      continue;
    }
    used += cost;
    const open = state.documentAt(mention.path);
    if (open && mention.lineStart !== undefined) {
      const lines = open.lines;
      const last = Math.min(mention.lineEnd ?? mention.lineStart, lines.lineCount - 1);
      const { text, truncated } = take(lines.slice(lines.lineStart(mention.lineStart), lines.lineEnd(last)));
      entry.text = text;
      entry.truncated = truncated;
      if (truncated) omitted.push(`mention of ${mention.path} (shortened)`);
    }
    packed.mentions.push(entry);
  }
  if (mentionsDropped > 0) omitted.push(`${mentionsDropped} mentions`);
  if (document && primary) {
    const around = request.linesAround ?? 20;
    const lines = document.lines;
    const first = Math.max(0, primary.active.line - around);
    const last = Math.min(lines.lineCount - 1, primary.active.line + around);
    const { text, truncated } = take(lines.slice(lines.lineStart(first), lines.lineEnd(last)));
    if (text.length > 0 || !truncated) {
      const shown = text.split("\n").length;
      packed.around = { startLine: first + 1, endLine: first + shown, text, truncated };
    }
    if (truncated) omitted.push("lines around the cursor (shortened)");
  }

  const active = state.activeUri;
  const all = state.allDiagnostics().sort(([a], [b]) => Number(b === active) - Number(a === active));
  let dropped = 0;
  for (const [uri, list] of all) {
    const filePath = state.document(uri)?.path ?? uri;
    for (const d of list) {
      const entry = diagnosticEntry(filePath, d);
      const cost = estimateTokens(JSON.stringify(entry));
      if (used + cost > budget) dropped++;
      else {
        used += cost;
        packed.diagnostics.push(entry);
      }
    }
  }
  if (dropped > 0) omitted.push(`${dropped} diagnostics`);

  let filesDropped = 0;
  for (const doc of state.documents()) {
    const entry = {
      filePath: doc.path ?? doc.uri,
      languageId: doc.languageId,
      isDirty: doc.dirty,
      isActive: doc.uri === active,
    };
    const cost = estimateTokens(JSON.stringify(entry));
    if (used + cost > budget) filesDropped++;
    else {
      used += cost;
      packed.openFiles.push(entry);
    }
  }
  if (filesDropped > 0) omitted.push(`${filesDropped} open files`);
  packed.tokens.used = used;
  return packed;
}

function diagnosticEntry(filePath: string, d: Diagnostic): PackedContext["diagnostics"][number] {
  return {
    filePath,
    line: d.range.start.line + 1,
    character: d.range.start.character + 1,
    severity: d.severity,
    message: d.message,
    ...(d.source ? { source: d.source } : {}),
  };
}
