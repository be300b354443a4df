import type { Engine } from "../engine/index.js";
import { defineTool } from "./define-tool.js";

/** workspace_info: which folders Rune serves and whether it may write to them. */
export function workspaceInfoTool(engine: Engine) {
  return defineTool({
    name: "workspace_info",
    title: "Workspace info",
    description: "Lists the workspace folders this server can read, and whether write tools are enabled.",
    input: { type: "object", properties: {}, additionalProperties: false },
    output: {
      type: "object",
      properties: {
        roots: {
          type: "array",
          items: {
            type: "object",
            properties: {
              path: { type: "string", description: "Absolute canonical path" },
              uri: { type: "string", description: "file:// URI" },
              name: { type: "string" },
            },
            required: ["path", "uri", "name"],
            additionalProperties: false,
          },
        },
        writesAllowed: { type: "boolean" },
      },
      required: ["roots", "writesAllowed"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run: () => ({ roots: engine.roots.list().map((r) => ({ ...r })), writesAllowed: engine.allowWrites }),
  });
}
