import { defineTool, WithText } from "../define-tool.js";
import type { SessionScopes } from "../session-scopes.js";
import { RANGE } from "./analysis-schemas.js";

/** syntax_check: tree-sitter parse errors of files or an unsaved buffer. */
export function syntaxCheckTool(scopes: SessionScopes) {
  return defineTool({
    name: "syntax_check",
    title: "Syntax check",
    description:
      "Parses files with tree-sitter (TypeScript, TSX, JavaScript, Python, Go, Rust, Java, C, C++, C#, Ruby) and returns their syntax errors: missing tokens (`Missing \\`)\\``) and text the parser could not place (`Unexpected \\`}\\``), with the construct around them. Ranges are 1-based lines and 1-based UTF-16 columns, end exclusive. A file open in the editor is checked as the editor holds it (unsaved changes included). Give `paths`, or `text` with `language` for an unsaved buffer. Trees are kept per document, so checking a file again after an edit re-parses incrementally (`parse`: full, incremental or cached). Binary, oversized (maxFileBytes) and unsupported files are reported per file with a message, not as a failure.",
    input: {
      type: "object",
      properties: {
        paths: {
          type: "array",
          items: { type: "string" },
          minItems: 1,
          maxItems: 500,
          description: "Files to check",
        },
        text: { type: "string", description: "An unsaved buffer's text (instead of paths)" },
        language: {
          type: "string",
          description:
            "The text's language: typescript, tsx, javascript, python, go, rust, java, c, cpp, csharp, ruby",
        },
        name: {
          type: "string",
          description: "A name for the buffer, so its next version parses incrementally",
        },
        maxErrorsPerFile: { type: "integer", minimum: 1, maximum: 1000, description: "Default 50" },
        maxFileBytes: {
          type: "integer",
          minimum: 1,
          maximum: 32 * 1024 * 1024,
          description: "Files larger than this are not parsed (default 8 MiB, at most 32 MiB)",
        },
      },
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
              path: { type: "string" },
              status: { type: "string", enum: ["ok", "errors", "skipped"] },
              language: { type: "string" },
              message: { type: "string", description: "Why the file was skipped" },
              skipped: { type: "string", enum: ["binary", "large", "language", "unreadable", "invalid"] },
              errors: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    kind: { type: "string", enum: ["missing", "unexpected"] },
                    range: RANGE,
                    message: { type: "string" },
                  },
                  required: ["kind", "range", "message"],
                  additionalProperties: false,
                },
              },
              totalErrors: { type: "integer" },
              contentHash: { type: "string", description: "SHA-1 of the text checked" },
              parse: { type: "string", enum: ["full", "incremental", "cached"] },
              source: { type: "string", enum: ["disk", "editor", "text"] },
              documentVersion: { type: "integer" },
            },
            required: ["path", "status", "errors", "totalErrors", "source"],
            additionalProperties: false,
          },
        },
        omitted: { type: "integer", description: "Files not checked (more than 200 given)" },
      },
      required: ["files", "omitted"],
      additionalProperties: false,
    },
    annotations: { readOnlyHint: true, idempotentHint: true, openWorldHint: false },
    async run({ maxErrorsPerFile, ...request }, context) {
      const scope = await scopes.of(context.session);
      const result = await scope.syntax.check({ ...request, maxErrors: maxErrorsPerFile });
      const lines: string[] = [];
      for (const file of result.files) {
        const name = file.path.startsWith("untitled:") ? file.path : scope.files.display(file.path);
        if (file.status === "skipped") lines.push(`${name}: skipped: ${file.message}`);
        else if (file.status === "ok") lines.push(`${name}: ok`);
        for (const e of file.errors)
          lines.push(`${name}:${e.range.start.line}:${e.range.start.column}: error ${e.message}`);
        if (file.totalErrors > file.errors.length)
          lines.push(`${name}: ${file.totalErrors - file.errors.length} more errors`);
      }
      if (result.omitted > 0) lines.push(`${result.omitted} files not checked (at most 200 a call)`);
      return new WithText(result, [lines.join("\n")]);
    },
  });
}
