import type { EditorState } from "../../engine/index.js";
import type { JsonObject } from "../../protocol/mcp/types.js";
import { ideSelection } from "./ide-selection.js";

/** Anything that can send a notification to every connected IDE client. */
export interface Broadcaster {
  broadcast(method: string, params: JsonObject): void;
}

/**
 * Sends Claude Code's `selection_changed` notification whenever the active document's selection
 * changes, as IDE servers do. The editor state's updates are already debounced by the adapter, so
 * each one goes out at once: waiting here would only add latency. Returns the unsubscribe function.
 */
export function broadcastSelections(state: EditorState, to: Broadcaster): () => void {
  let last = "";
  return state.onEvent((event) => {
    if (event.kind !== "selection-changed" || event.uri !== state.activeUri) return;
    const params = ideSelection(event.snapshot);
    // An unchanged selection (the cursor reported again after a mode change, say) is not news.
    const key = `${params.fileUrl}:${JSON.stringify(params.selection)}:${event.snapshot.documentVersion}`;
    if (key === last) return;
    last = key;
    to.broadcast("selection_changed", params as unknown as JsonObject);
  });
}
