import type { EditorState, Mention } from "../../engine/index.js";
import type { McpServer } from "../../protocol/mcp/server.js";
import type { JsonObject } from "../../protocol/mcp/types.js";
import type { Broadcaster } from "./selection-broadcast.js";

/** Where mentions go: the IDE endpoint, which knows how many clients it has. */
export interface MentionTarget extends Broadcaster {
  readonly clientCount: number;
}

export interface MentionBroadcastOptions {
  /**
   * Mentions made while no IDE client is connected wait for the next one to initialize, as long as
   * this (default 30 s); older ones are dropped, so a late client does not get stale context.
   */
  holdMs?: number;
  /** Mentions held at most (default 20, the oldest dropped first). */
  holdCount?: number;
  now?: () => number;
}

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
 * puts it in its prompt as `@file#L3-7`. A mention made before Claude Code has connected (the
 * user sent lines, then ran `claude`) is held and sent once a client has initialized, as
 * claudecode.nvim queues them. Returns the unsubscribe function.
 */
export function broadcastMentions(
  state: EditorState,
  to: MentionTarget,
  server: McpServer,
  options: MentionBroadcastOptions = {},
): () => void {
  const holdMs = options.holdMs ?? 30_000;
  const holdCount = options.holdCount ?? 20;
  const now = options.now ?? Date.now;
  const held: { params: JsonObject; at: number }[] = [];
  const off = state.onEvent((event) => {
    if (event.kind !== "mentioned") return;
    const params = atMentionedParams(event.mention);
    if (to.clientCount > 0) to.broadcast("at_mentioned", params);
    else {
      held.push({ params, at: now() });
      if (held.length > holdCount) held.shift();
    }
  });
  const { onInitialized } = server.hooks;
  server.hooks.onInitialized = (session) => {
    onInitialized?.(session);
    // Any session may initialize (stdio, HTTP); the held mentions wait for an IDE client.
    if (held.length === 0 || to.clientCount === 0) return;
    const oldest = now() - holdMs;
    for (const { params, at } of held.splice(0)) if (at >= oldest) to.broadcast("at_mentioned", params);
  };
  return off;
}
