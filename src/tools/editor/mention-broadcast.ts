import type { EditorState, Mention } from "../../engine/index.js";
import type { JsonObject } from "../../protocol/mcp/types.js";
import type { Broadcaster } from "./selection-broadcast.js";

/**
 * Claude Code's `at_mentioned` parameters, as claudecode.nvim sends them: the absolute path, and
 * for a range its first and last lines, 0-based and both included (omitted for a whole file).
 */
export function atMentionedParams(mention: Mention): JsonObject {
  return mention.lineStart === undefined
    ? { filePath: mention.path }
    : { filePath: mention.path, lineStart: mention.lineStart, lineEnd: mention.lineEnd ?? mention.lineStart };
}

/**
 * Passes each mention the user makes in the editor to IDE clients as `at_mentioned`; Claude Code
 * puts it in its prompt as `@file#L3-7`. Returns the unsubscribe function.
 */
export function broadcastMentions(state: EditorState, to: Broadcaster): () => void {
  return state.onEvent((event) => {
    if (event.kind === "mentioned") to.broadcast("at_mentioned", atMentionedParams(event.mention));
  });
}
