import { Type } from "@sinclair/typebox";
import type { Engine } from "../engine/index.js";
import { defineTool } from "./define-tool.js";

const Root = Type.Object({
  path: Type.String({ description: "Absolute canonical path" }),
  uri: Type.String({ description: "file:// URI" }),
  name: Type.String(),
});

/** workspace_info: which folders Rune serves and whether it may write to them. */
export function workspaceInfoTool(engine: Engine) {
  return defineTool({
    name: "workspace_info",
    title: "Workspace info",
    description: "Lists the workspace folders this server can read, and whether write tools are enabled.",
    input: Type.Object({}, { additionalProperties: false }),
    output: Type.Object({ roots: Type.Array(Root), writesAllowed: Type.Boolean() }),
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    run: () => ({ roots: [...engine.roots.list()], writesAllowed: engine.allowWrites }),
  });
}
