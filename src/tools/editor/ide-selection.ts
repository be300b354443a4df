import type { SelectionSnapshot } from "../../engine/index.js";

/** A selection as the Claude Code IDE protocol carries it (selection_changed, getCurrentSelection). */
export interface IdeSelection {
  text: string;
  filePath: string;
  fileUrl: string;
  selection: {
    start: { line: number; character: number };
    end: { line: number; character: number };
    isEmpty: boolean;
  };
}

/** The primary selection of a snapshot in the protocol's shape: text, file, LSP range, isEmpty. */
export function ideSelection(snapshot: SelectionSnapshot): IdeSelection {
  const { text, range, isEmpty } = snapshot.primary;
  return {
    text,
    filePath: snapshot.path ?? snapshot.uri,
    fileUrl: snapshot.uri,
    selection: { start: range.start, end: range.end, isEmpty },
  };
}
