import type { EditorHost, EditorState } from "../../engine/index.js";
import { toolError } from "../../protocol/mcp/tool-registry.js";
import type { CallToolResult, JsonSchema } from "../../protocol/mcp/types.js";

/**
 * The IDE tools' input schemas are written as Claude Code's IDE servers publish them (draft-07,
 * closed objects), so a client built against VS Code or claudecode.nvim sees the same contract.
 */
export function ideSchema(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return {
    type: "object",
    properties,
    ...(required.length > 0 ? { required } : {}),
    additionalProperties: false,
    $schema: "http://json-schema.org/draft-07/schema#",
  } as JsonSchema;
}

/** One text block, as every IDE tool answers: JSON text or a bare status word. */
export function textResult(text: string): CallToolResult {
  return { content: [{ type: "text", text }] };
}

/** A JSON value as the one text block IDE tools return. */
export function jsonResult(value: unknown): CallToolResult {
  return textResult(JSON.stringify(value));
}

/** The attached editor, or a tool error that says how to attach one. */
export function requireHost(state: EditorState, tool: string): EditorHost | CallToolResult {
  return (
    state.host ??
    toolError(
      `${tool} needs an editor, and none is attached: Rune is running headless. Start it with \`rune serve --nvim SOCKET\` (Neovim started with --listen SOCKET), or call require("rune").setup() from nvim/lua/rune (see the README).`,
    )
  );
}

export function isResult(value: unknown): value is CallToolResult {
  return typeof value === "object" && value !== null && "content" in value;
}
