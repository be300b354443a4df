import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";

/** write_file: a whole file, written atomically. */
export function writeFileTool(scopes: SessionScopes) {
  return defineTool({
    name: "write_file",
    title: "Write file",
    description:
      "Creates or replaces a whole text file (UTF-8), atomically: readers see the old file or the new one, never half of it. Missing parent folders are created. Set overwrite: false to refuse replacing an existing file, or expectedSha256 to replace it only if it is unchanged since you read it. Prefer edit_file for changes to existing files.",
    input: {
      type: "object",
      properties: {
        path: { type: "string", description: "File path, absolute or relative to the first workspace root" },
        content: { type: "string" },
        overwrite: { type: "boolean", description: "Replace an existing file (default true)" },
        expectedSha256: { type: "string", pattern: "^[0-9a-fA-F]{64}$" },
      },
      required: ["path", "content"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        path: { type: "string" },
        created: { type: "boolean" },
        size: { type: "integer" },
        sha256: { type: "string" },
      },
      required: ["path", "created", "size", "sha256"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path, content, ...options }, context) {
      return (await scopes.of(context.session)).files.write(path, content, options);
    },
    text: (result) =>
      `${result.created ? "Created" : "Replaced"} ${result.path} (${result.size} bytes, sha256 ${result.sha256})`,
  });
}
