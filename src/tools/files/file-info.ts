import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";

/** file_info: metadata and content facts, cached and kept fresh by the watcher. */
export function fileInfoTool(scopes: SessionScopes) {
  return defineTool({
    name: "file_info",
    title: "File info",
    description:
      "Metadata of a file or folder in the workspace: type, size, modification time, mode, and for text files up to 8 MiB their encoding, line count, line-break style and sha256. Answers from a cache that file changes invalidate.",
    input: {
      type: "object",
      properties: { path: { type: "string", description: "Path, absolute or relative to the first root" } },
      required: ["path"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        path: { type: "string" },
        type: { type: "string", enum: ["file", "directory", "symlink", "other"] },
        size: { type: "integer" },
        mtime: { type: "string", format: "date-time" },
        mode: { type: "string" },
        symlinkTarget: { type: "string" },
        encoding: { type: "string" },
        binary: { type: "boolean" },
        validUtf8: { type: "boolean" },
        lines: { type: "integer" },
        eol: { type: "string" },
        sha256: { type: "string" },
      },
      required: ["path", "type", "size", "mtime", "mode"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path }, context) {
      return (await scopes.of(context.session)).files.info(path);
    },
  });
}
