import type { Static, TObject } from "@sinclair/typebox";
import { EngineError } from "../engine/index.js";
import type { CallToolResult, RequestContext, ToolAnnotations, ToolDefinition } from "../protocol/index.js";
import { toolError } from "../protocol/index.js";

/** A Rune tool: typed input and output schemas and a function that calls into the engine. */
export interface RuneToolSpec<I extends TObject, O extends TObject> {
  name: string;
  title: string;
  description: string;
  input: I;
  output: O;
  annotations?: ToolAnnotations;
  run(args: Static<I>, context: RequestContext): Promise<Static<O>> | Static<O>;
  /** The text block for clients that do not read structuredContent; JSON by default. */
  text?(output: Static<O>): string;
}

/**
 * Turns a spec into the protocol's ToolDefinition. The one place engine errors become tool
 * results: the model sees the stable code and the message, and can correct its call.
 */
export function defineTool<I extends TObject, O extends TObject>(
  spec: RuneToolSpec<I, O>,
): ToolDefinition<Static<I>> {
  const render = spec.text ?? ((output: Static<O>) => JSON.stringify(output));
  return {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSchema: spec.input,
    outputSchema: spec.output,
    annotations: { title: spec.title, ...spec.annotations },
    async handler(args, context): Promise<CallToolResult> {
      try {
        const output = await spec.run(args, context);
        return { content: [{ type: "text", text: render(output) }], structuredContent: output };
      } catch (error) {
        if (error instanceof EngineError) return toolError(`${error.code}: ${error.message}`);
        throw error;
      }
    },
  };
}
