import { Utf8Text } from "../../protocol/jsonrpc/utf8-text.js";
import { defineTool, WithText } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { WINDOW_INPUT, WINDOW_OUTPUT, windowFacts, windowParts } from "./read-schemas.js";

/** read_files: many files in one call; one failure does not fail the batch. */
export function readFilesTool(scopes: SessionScopes) {
  return defineTool({
    name: "read_files",
    title: "Read files",
    description:
      "Reads several files in one call, with the same window options as read_file applied to each. A file that cannot be read gets an `error` entry and the others are still returned. The whole batch is bounded by maxBytes; files past the bound are listed in `omitted`. Each file's text is one text block of the result, headed `==> path <==`; the structured result describes each file.",
    input: {
      type: "object",
      properties: {
        paths: {
          type: "array",
          items: { type: "string" },
          minItems: 1,
          maxItems: 5_000,
          description: "File paths, absolute or relative to the first workspace root",
        },
        ...WINDOW_INPUT,
        maxBytes: {
          type: "integer",
          minimum: 1,
          maximum: 67_108_864,
          description: "Bound on the content bytes of the whole batch",
        },
      },
      required: ["paths"],
      additionalProperties: false,
    },
    output: {
      type: "object",
      properties: {
        files: {
          type: "array",
          items: {
            type: "object",
            properties: {
              requested: { type: "string", description: "The path as it was asked for" },
              ...WINDOW_OUTPUT,
              error: {
                type: "object",
                properties: { code: { type: "string" }, message: { type: "string" } },
                required: ["code", "message"],
                additionalProperties: false,
              },
            },
            required: ["requested"],
            additionalProperties: false,
          },
        },
        omitted: { type: "array", items: { type: "string" } },
      },
      required: ["files", "omitted"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ paths, ...options }, context) {
      const batch = await (await scopes.of(context.session)).files.readMany(paths, options);
      // Each file's text stays the bytes read from disk on its way to the client (see Utf8Text).
      // Once a stdio frame holds all of them, the batch's buffers serve the next batch.
      const text: (string | Utf8Text)[] = [];
      let unframed = 0;
      const framed = () => {
        if (--unframed === 0) batch.release();
      };
      const entries = batch.files.map((file) => {
        if ("error" in file) {
          text.push(`==> ${file.requested} <==\n[${file.error.code}] ${file.error.message}\n`);
          return file;
        }
        unframed++;
        // readBytes gives well-formed UTF-8 (ill-formed runs already replaced).
        const parts = [`==> ${file.requested} <==\n`, ...windowParts(file.read)];
        text.push(Utf8Text.wellFormed(parts).whenFramed(framed));
        return windowFacts(file.read, file.requested);
      });
      if (batch.omitted.length > 0) {
        text.push(`[not read, past the batch's byte bound: ${batch.omitted.join(", ")}]\n`);
      }
      return new WithText({ files: entries, omitted: batch.omitted }, text);
    },
  });
}
