import { defineTool } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";

/** edit_file: delta edits, all or nothing, with a hash precondition and a unified diff. */
export function editFileTool(scopes: SessionScopes) {
  return defineTool({
    name: "edit_file",
    title: "Edit file",
    description:
      "Applies a list of edits to one text file, all or nothing. An edit is either {oldText, newText} (oldText must occur exactly once, or set replaceAll) or {startLine, endLine, newText} (replace lines, 1-based inclusive; endLine = startLine - 1 inserts before startLine). All edits refer to the file as it is now, not to each other's results, and must not overlap. Line breaks in newText are converted to the file's style; BOM, encoding and mode are kept. Pass expectedSha256 (from read_file) to refuse the edit if the file changed since you read it. Returns a unified diff; dryRun previews without writing.",
    input: {
      type: "object",
      properties: {
        path: { type: "string", description: "File path, absolute or relative to the first workspace root" },
        edits: {
          type: "array",
          minItems: 1,
          maxItems: 1_000,
          items: {
            anyOf: [
              {
                type: "object",
                properties: {
                  oldText: { type: "string", minLength: 1, description: "Exact text to replace" },
                  newText: { type: "string" },
                  replaceAll: { type: "boolean", description: "Replace every occurrence" },
                },
                required: ["oldText", "newText"],
                additionalProperties: false,
              },
              {
                type: "object",
                properties: {
                  startLine: { type: "integer", minimum: 1 },
                  endLine: { type: "integer", minimum: 0 },
                  newText: { type: "string" },
                },
                required: ["startLine", "endLine", "newText"],
                additionalProperties: false,
              },
            ],
          },
        },
        expectedSha256: { type: "string", pattern: "^[0-9a-fA-F]{64}$" },
        dryRun: { type: "boolean", description: "Return the diff without writing" },
      },
      required: ["path", "edits"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        path: { type: "string" },
        dryRun: { type: "boolean" },
        replacements: { type: "integer" },
        sha256Before: { type: "string" },
        sha256: { type: "string", description: "The file's sha256 after the edit" },
        size: { type: "integer" },
        diff: { type: "string" },
      },
      required: ["path", "dryRun", "replacements", "sha256Before", "sha256", "size", "diff"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    async run({ path, edits, ...options }, context) {
      return (await scopes.of(context.session)).files.edit(path, edits, options);
    },
    text: (result) =>
      `${result.dryRun ? "Dry run: would apply" : "Applied"} ${result.replacements} change${result.replacements === 1 ? "" : "s"} to ${result.path} (sha256 ${result.sha256})\n${result.diff}`,
  });
}
