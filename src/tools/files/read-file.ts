import { defineTool, WithText } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { WINDOW_INPUT, WINDOW_OUTPUT, WINDOW_REQUIRED, windowFacts, windowText } from "./read-schemas.js";

/** read_file: a window of one file, bounded, with a continuation. */
export function readFileTool(scopes: SessionScopes) {
  return defineTool({
    name: "read_file",
    title: "Read file",
    description:
      "Reads a text file in the workspace: whole, a line range (startLine/endLine, 1-based inclusive), the first or last N lines (head/tail), or a byte range (offset/limit). Results are bounded; when truncated, `next` gives the arguments that continue. Reports encoding, line count, and the sha256 that edit_file accepts as a precondition. Binary files are detected and not returned. The file text is the text content of the result; the structured result describes it.",
    input: {
      type: "object",
      properties: {
        path: { type: "string", description: "File path, absolute or relative to the first workspace root" },
        ...WINDOW_INPUT,
        maxBytes: { type: "integer", minimum: 1, maximum: 16_777_216, description: "Bound on content bytes" },
      },
      required: ["path"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: WINDOW_OUTPUT,
      required: WINDOW_REQUIRED,
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ path, ...options }, context) {
      const window = await (await scopes.of(context.session)).files.read(path, options);
      return new WithText(windowFacts(window), [windowText(window)]);
    },
  });
}
