import { pathToFileURL } from "node:url";
import { EngineError } from "../errors.js";
import { compareDiagnostics, type Diagnostic } from "./diagnostic.js";
import { type DocumentInit, EditorDocument, type TextChange } from "./editor-document.js";
import type { EditorHost } from "./editor-host.js";
import { checkMention, type Mention, type MentionInput } from "./mention.js";
import type { Selection } from "./selection.js";
import { SelectionHistory } from "./selection-history.js";
import { SelectionSnapshot } from "./selection-snapshot.js";

/** What changed, with the state's version after the change. */
export type EditorEvent =
  | { version: number; kind: "document-opened" | "document-changed" | "document-closed"; uri: string }
  | { version: number; kind: "document-saved"; uri: string }
  | { version: number; kind: "active-changed"; uri: string | undefined }
  | { version: number; kind: "selection-changed"; uri: string; snapshot: SelectionSnapshot }
  | { version: number; kind: "diagnostics-changed"; uri: string }
  | { version: number; kind: "mode-changed"; mode: string }
  | { version: number; kind: "host-changed"; host: string | undefined }
  | { version: number; kind: "mentioned"; mention: Mention };

/** A document change as adapters report it: full text, or changes against the current text. */
export interface DocumentUpdate {
  text?: string;
  changes?: readonly TextChange[];
  version?: number;
  dirty?: boolean;
  languageId?: string;
  tabSize?: number;
}

/** One document's new cursors, for a batch update. */
export interface SelectionUpdate {
  uri: string;
  selections: readonly Selection[];
}

export interface EditorStateOptions {
  /** Latest non-empty selections kept (default 50). */
  historySize?: number;
  /** Latest mentions kept (default 20). */
  mentionsKept?: number;
  /** The clock, for tests. */
  now?: () => number;
}

/**
 * Everything an editor shows, held in memory so tools answer without asking the editor: open
 * documents, the active one, each document's cursors (several, for multi-cursor editors), a
 * history of recent non-empty selections, diagnostics, the editor's mode. Adapters push into it;
 * every update bumps `version` and is announced to listeners with that version, so a consumer can
 * tell which state an answer came from and whether it missed an update.
 */
export class EditorState {
  private currentVersion = 0;
  private readonly docs = new Map<string, EditorDocument>();
  private readonly cursors = new Map<string, SelectionSnapshot>();
  private readonly problems = new Map<string, readonly Diagnostic[]>();
  private readonly listeners = new Set<(event: EditorEvent) => void>();
  private active: string | undefined;
  private editorMode = "n";
  private attached: EditorHost | undefined;
  private readonly mentioned: Mention[] = [];
  private readonly mentionsKept: number;
  readonly history: SelectionHistory;
  private readonly now: () => number;

  constructor(options: EditorStateOptions = {}) {
    this.history = new SelectionHistory(options.historySize ?? 50);
    this.mentionsKept = options.mentionsKept ?? 20;
    this.now = options.now ?? Date.now;
  }

  /** Bumped by every update. */
  get version(): number {
    return this.currentVersion;
  }

  /** The editor attached, if any; undefined in headless mode. */
  get host(): EditorHost | undefined {
    return this.attached;
  }

  get mode(): string {
    return this.editorMode;
  }

  get activeUri(): string | undefined {
    return this.active;
  }

  get activeDocument(): EditorDocument | undefined {
    return this.active === undefined ? undefined : this.docs.get(this.active);
  }

  /** Open documents in the order they were opened. */
  documents(): EditorDocument[] {
    return [...this.docs.values()];
  }

  document(uri: string): EditorDocument | undefined {
    return this.docs.get(uri);
  }

  /** The open document of an absolute path, if any. */
  documentAt(path: string): EditorDocument | undefined {
    return this.docs.get(fileUri(path)) ?? [...this.docs.values()].find((d) => d.path === path);
  }

  /** Subscribes to updates; returns the unsubscribe function. */
  onEvent(listener: (event: EditorEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  attachHost(host: EditorHost | undefined): void {
    this.attached = host;
    this.emit({ kind: "host-changed", host: host?.name });
  }

  /** Opens a document, or replaces what is known of it. */
  open(init: DocumentInit): EditorDocument {
    const document = new EditorDocument(init);
    this.docs.set(init.uri, document);
    this.cursors.delete(init.uri);
    this.emit({ kind: "document-opened", uri: init.uri });
    return document;
  }

  update(uri: string, update: DocumentUpdate): EditorDocument {
    const document = this.require(uri);
    if (update.text !== undefined) document.setText(update.text, update.version);
    else if (update.changes) document.applyChanges(update.changes, update.version);
    else if (update.version !== undefined) document.version = update.version;
    if (update.dirty !== undefined) document.dirty = update.dirty;
    if (update.languageId !== undefined) document.languageId = update.languageId;
    if (update.tabSize !== undefined) document.tabSize = update.tabSize;
    this.emit({ kind: "document-changed", uri });
    return document;
  }

  /** The document was written to disk. */
  saved(uri: string, version?: number): void {
    const document = this.require(uri);
    document.dirty = false;
    if (version !== undefined) document.version = version;
    this.emit({ kind: "document-saved", uri });
  }

  close(uri: string): void {
    if (!this.docs.delete(uri)) return;
    this.cursors.delete(uri);
    this.problems.delete(uri);
    this.history.forget(uri);
    if (this.active === uri) this.active = undefined;
    this.emit({ kind: "document-closed", uri });
  }

  setActive(uri: string | undefined): void {
    if (uri !== undefined) this.require(uri);
    if (this.active === uri) return;
    this.active = uri;
    this.emit({ kind: "active-changed", uri });
  }

  setMode(mode: string): void {
    if (this.editorMode === mode) return;
    this.editorMode = mode;
    this.emit({ kind: "mode-changed", mode });
  }

  /** Sets one document's cursors (the first is the primary); returns the snapshot taken. */
  setSelections(uri: string, selections: readonly Selection[]): SelectionSnapshot {
    return this.setSelectionsBatch([{ uri, selections }])[0] as SelectionSnapshot;
  }

  /**
   * Sets the cursors of several documents at once: every document is checked before any is
   * changed, so a bad entry changes nothing. One event per document, all under consecutive versions.
   */
  setSelectionsBatch(updates: readonly SelectionUpdate[]): SelectionSnapshot[] {
    for (const update of updates) {
      this.require(update.uri);
      if (update.selections.length === 0) {
        throw new EngineError("INVALID_ARGUMENT", `no selections given for ${update.uri}: give at least one`);
      }
    }
    return updates.map((update) => {
      const document = this.require(update.uri);
      const snapshot = new SelectionSnapshot(
        document.uri,
        document.path,
        update.selections.map((s) => ({ ...s })),
        document.version,
        this.currentVersion + 1,
        document.lines,
        document.tabSize,
        this.now(),
      );
      this.cursors.set(update.uri, snapshot);
      this.history.record(snapshot);
      this.emit({ kind: "selection-changed", uri: update.uri, snapshot });
      return snapshot;
    });
  }

  /** The cursors of a document (the active one by default), as last set. */
  selection(uri = this.active): SelectionSnapshot | undefined {
    return uri === undefined ? undefined : this.cursors.get(uri);
  }

  /** The most recent non-empty selection in any document, even one no longer active. */
  latestSelection(): SelectionSnapshot | undefined {
    return this.history.latest();
  }

  /**
   * The user sent a file or lines to the agent (Neovim's :RuneSend, say). Checked, kept among the
   * latest mentions, and announced, so the IDE endpoint can pass it on as `at_mentioned`.
   */
  mention(input: MentionInput): Mention {
    const mention = checkMention(input, this.now());
    this.mentioned.unshift(mention);
    if (this.mentioned.length > this.mentionsKept) this.mentioned.pop();
    this.emit({ kind: "mentioned", mention });
    return mention;
  }

  /** The latest mentions, newest first. */
  mentions(): readonly Mention[] {
    return this.mentioned;
  }

  setDiagnostics(uri: string, diagnostics: readonly Diagnostic[]): void {
    if (diagnostics.length === 0) this.problems.delete(uri);
    else this.problems.set(uri, [...diagnostics].sort(compareDiagnostics));
    this.emit({ kind: "diagnostics-changed", uri });
  }

  /** Diagnostics of one document, most severe first. */
  diagnostics(uri: string): readonly Diagnostic[] {
    return this.problems.get(uri) ?? [];
  }

  /** Every document's diagnostics that has any. */
  allDiagnostics(): [string, readonly Diagnostic[]][] {
    return [...this.problems.entries()];
  }

  private require(uri: string): EditorDocument {
    const document = this.docs.get(uri);
    if (!document) throw new EngineError("NOT_FOUND", `${uri} is not open in the editor`);
    return document;
  }

  private emit(event: DistributiveOmit<EditorEvent, "version">): void {
    this.currentVersion++;
    const full = { ...event, version: this.currentVersion } as EditorEvent;
    for (const listener of this.listeners) listener(full);
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** The file:// URI of an absolute path, as editors write it. */
export function fileUri(path: string): string {
  return pathToFileURL(path).href;
}
