import type { FromSchema, JSONSchema } from "json-schema-to-ts";
import { EngineError } from "../engine/index.js";
import type { Utf8Text } from "../protocol/jsonrpc/utf8-text.js";
import type { RequestContext } from "../protocol/mcp/request-context.js";
import { type ToolDefinition, toolError } from "../protocol/mcp/tool-registry.js";
import type { CallToolResult, JsonSchema, ToolAnnotations } from "../protocol/mcp/types.js";

/** An object schema written `as const`, so its static type can be derived from it. */
export type ObjectSchema = JSONSchema & { type: "object" };

/**
 * A Rune tool: input and output schemas as plain JSON Schema literals (the one definition that
 * registration, validation and docs all use), their static types derived at compile time, and a
 * function that calls into the engine. No schema library is loaded at run time: the one tried
 * first cost 12 MiB of resident memory for what `as const` gives for free.
 */
export interface RuneToolSpec<I extends ObjectSchema, O extends ObjectSchema, Args, Output> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  // NoInfer: the types must come from the schemas, never from what `run` happens to return.
  run(
    args: NoInfer<Args>,
    context: RequestContext,
  ): Promise<Result<NoInfer<Output>>> | Result<NoInfer<Output>>;
  /** The text block for clients that do not read structuredContent; JSON by default. */
  text?(output: NoInfer<Output>): string;
}

/**
 * A structured result and, beside it, the text blocks a client shows the model. File tools use it
 * to send file text once, raw, in the text blocks, keeping the structured result to the facts
 * about it: a second, JSON-escaped copy of every file doubled what a batch read cost end to end.
 */
export class WithText<Output> {
  constructor(
    readonly structured: Output,
    readonly text: readonly (string | Utf8Text)[],
  ) {}
}

type Result<Output> = Output | WithText<Output>;

/**
 * Turns a spec into the protocol's ToolDefinition. The one place engine errors become tool
 * results: the model sees the stable code and the message, and can correct its call.
 */
export function defineTool<
  const I extends ObjectSchema,
  const O extends ObjectSchema,
  // Derived once at the call site; the body only sees them as opaque parameters, which keeps the
  // compiler from expanding FromSchema generically (it gives up on that: TS2589).
  Args = FromSchema<I>,
  Output = FromSchema<O>,
>(spec: RuneToolSpec<I, O, Args, Output>): ToolDefinition<Args> {
  const render = spec.text ?? ((output: Output) => JSON.stringify(output));
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: spec.input as unknown as JsonSchema,
    outputSchema: spec.output as unknown as JsonSchema,
    annotations: { title: spec.title, ...spec.annotations },
    async handler(args, context): Promise<CallToolResult> {
      try {
        const output = await spec.run(args, context);
        if (output instanceof WithText) {
          return {
            content: output.text.map((text) => ({ type: "text", text })),
            structuredContent: output.structured as Record<string, unknown>,
          };
        }
        return {
          content: [{ type: "text", text: render(output) }],
          structuredContent: output as Record<string, unknown>,
        };
      } catch (error) {
        if (error instanceof EngineError) return toolError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };
}
