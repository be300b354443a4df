import type { Selection } from "./selection.js";

/** Where openFile puts the cursor: lines (1-based) and/or text to find. */
export interface OpenFileRequest {
  path: string;
  /** Open without taking focus (Claude Code's makeFrontmost: false). */
  background?: boolean;
  startLine?: number;
  endLine?: number;
  startText?: string;
  endText?: string;
  selectToEndOfLine?: boolean;
}

/** A proposed change shown side by side with the file, for the user to accept or reject. */
export interface DiffRequest {
  oldPath: string;
  newPath: string;
  newContents: string;
  tabName: string;
}

/** A selection for the editor to show: the primary cursor of a set_selections batch. */
export interface SelectRequest {
  path: string;
  selection: Selection;
}

/** What the user did with a diff: accepted (saved, with the final text) or rejected. */
export type DiffOutcome = { accepted: true; contents: string } | { accepted: false };

/**
 * What a running editor can be asked to do. Adapters implement it; the editor state holds at most
 * one, and tools that need an editor refuse clearly when none is attached (headless mode).
 */
export interface EditorHost {
  /** Shown to users and models: "Neovim 0.7.2", say. */
  readonly name: string;
  openFile(request: OpenFileRequest): Promise<void>;
  /** Resolves when the user has accepted or rejected the diff (it blocks, as in the IDEs). */
  openDiff(request: DiffRequest): Promise<DiffOutcome>;
  /** Saves an open document; false if it is not open. */
  save(path: string): Promise<boolean>;
  /** Closes the tab or window showing `tabName` (a diff's name, or a file); false if none. */
  closeTab(tabName: string): Promise<boolean>;
  /** Closes every diff the host opened; resolves with how many. */
  closeAllDiffTabs(): Promise<number>;
  /**
   * Shows a selection in the editor, making its document current. Optional: an editor with one
   * cursor shows the primary one; a host without it leaves the editor as it is.
   */
  select?(request: SelectRequest): Promise<void>;
}
