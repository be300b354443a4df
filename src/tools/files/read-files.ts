import { defineTool } from "../define-tool.js";
import type { SessionFiles } from "../session-files.js";
import { WINDOW_INPUT, WINDOW_OUTPUT, windowText } from "./read-schemas.js";

/** read_files: many files in one call; one failure does not fail the batch. */
export function readFilesTool(files: SessionFiles) {
  return defineTool({
    name: "read_files",
    title: "Read files",
    description:
      "Reads several files in one call, with the same window options as read_file applied to each. A file that cannot be read gets an `error` entry and the others are still returned. The whole batch is bounded by maxBytes; files past the bound are listed in `omitted`.",
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
      return (await files.of(context.session)).readMany(paths, options);
    },
    text(batch) {
      const parts = batch.files.map((file) =>
        file.error
          ? `==> ${file.requested} <==\n[${file.error.code}] ${file.error.message}\n`
          : `==> ${file.requested} <==\n${windowText(file as Parameters<typeof windowText>[0])}`,
      );
      if (batch.omitted.length > 0) {
        parts.push(`[not read, past the batch's byte bound: ${batch.omitted.join(", ")}]\n`);
      }
      return parts.join("\n");
    },
  });
}
