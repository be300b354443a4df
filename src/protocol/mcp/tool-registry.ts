import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import type { RequestContext } from "./request-context.js";
import type { SchemaCompiler, Validator } from "./schema-validator.js";
import type { CallToolResult, Icon, JsonObject, JsonSchema, ToolAnnotations } from "./types.js";

/**
 * One tool: its wire description and its handler. `Args` is the static type of the arguments the
 * input schema admits; the registry validates against the schema before the handler runs, so the
 * handler may trust it.
 */
export interface ToolDefinition<Args = JsonObject> {
  name: string;
  title?: string;
  description?: string;
  inputSchema: JsonSchema;
  outputSchema?: JsonSchema;
  annotations?: ToolAnnotations;
  icons?: Icon[];
  _meta?: JsonObject;
  handler(args: Args, context: RequestContext): Promise<CallToolResult> | CallToolResult;
}

/** An argument a tool mirrors into an `Mcp-Param-<header>` HTTP header (SEP-2243). */
export interface HeaderParam {
  property: string;
  header: string;
}

interface RegisteredTool {
  definition: ToolDefinition<never>;
  headerParams: HeaderParam[];
  /** The tools/list entry, built once. */
  listing: JsonObject;
  validateInput: Validator;
  validateOutput: Validator | undefined;
}

const TOOL_NAME = /^[A-Za-z0-9_.-]{1,128}$/;

/** The tools a server exposes, with schemas compiled once at registration. */
export class ToolRegistry {
  private readonly tools = new Map<string, RegisteredTool>();
  private listCache: JsonObject[] | undefined;

  constructor(
    private readonly compiler: SchemaCompiler,
    private readonly onChange: () => void,
  ) {}

  /** Adds a tool; throws at once if its name is taken or a schema does not compile. */
  register<Args>(definition: ToolDefinition<Args>): void {
    if (!TOOL_NAME.test(definition.name)) {
      throw new Error(
        `Tool name ${JSON.stringify(definition.name)} must be 1-128 characters of A-Z a-z 0-9 _ - .`,
      );
    }
    if (this.tools.has(definition.name)) throw new Error(`Tool ${definition.name} is already registered`);
    if (definition.inputSchema.type !== "object") {
      throw new Error(`Tool ${definition.name}: inputSchema must be a JSON Schema of type "object"`);
    }
    let validateInput: Validator;
    let validateOutput: Validator | undefined;
    try {
      validateInput = this.compiler.compile(definition.inputSchema);
      validateOutput = definition.outputSchema ? this.compiler.compile(definition.outputSchema) : undefined;
    } catch (error) {
      throw new Error(`Tool ${definition.name}: schema does not compile: ${(error as Error).message}`);
    }
    const { handler: _handler, ...listing } = definition;
    this.tools.set(definition.name, {
      definition: definition as unknown as ToolDefinition<never>,
      headerParams: headerParamsOf(definition.inputSchema),
      listing: listing as JsonObject,
      validateInput,
      validateOutput,
    });
    this.listCache = undefined;
    this.onChange();
  }

  /** Removes a tool; returns whether it existed. */
  unregister(name: string): boolean {
    const removed = this.tools.delete(name);
    if (removed) {
      this.listCache = undefined;
      this.onChange();
    }
    return removed;
  }

  get size(): number {
    return this.tools.size;
  }

  /** The arguments of a tool that are mirrored into headers; empty for unknown tools. */
  headerParams(name: string): readonly HeaderParam[] {
    return this.tools.get(name)?.headerParams ?? [];
  }

  /** The tools/list entries, in registration order. */
  list(): readonly JsonObject[] {
    this.listCache ??= [...this.tools.values()].map((t) => t.listing);
    return this.listCache;
  }

  /**
   * Runs a tool. Unknown tools are a protocol error; invalid arguments are a protocol error or a
   * tool error depending on the revision; a throwing handler becomes an isError result, so the
   * model sees what went wrong; output that breaks the tool's outputSchema is an internal error.
   */
  call(
    name: string,
    args: JsonObject,
    context: RequestContext,
    inputErrorsAsToolResults: boolean,
  ): CallToolResult | Promise<CallToolResult> {
    const tool = this.tools.get(name);
    if (!tool) throw ProtocolError.invalidParams(`Unknown tool: ${name}`);
    const problem = tool.validateInput(args);
    if (problem !== null) {
      const message = `Invalid arguments for tool ${name}: ${problem}`;
      if (inputErrorsAsToolResults) return toolError(message);
      throw ProtocolError.invalidParams(message);
    }
    // A handler that answers synchronously is checked synchronously: no promise on the hot path.
    let result: CallToolResult | Promise<CallToolResult>;
    try {
      result = tool.definition.handler(args as never, context);
    } catch (error) {
      return failure(error, context);
    }
    if (result instanceof Promise) {
      return result.then(
        (value) => checkOutput(tool, name, value),
        (error: unknown) => failure(error, context),
      );
    }
    return checkOutput(tool, name, result);
  }
}

/**
 * Whatever stopped the tool (its own failure, or a client that refused a sampling or elicitation
 * request) is reported to the model, which can adapt; aborted work gets no reply. A missing client
 * capability is the exception: the stateless revision makes it a protocol error (-32021) that the
 * client, not the model, must act on.
 */
function failure(error: unknown, context: RequestContext): CallToolResult {
  if (context.signal.aborted) throw error;
  if (error instanceof ProtocolError && error.code === ErrorCode.MissingRequiredClientCapability) throw error;
  return toolError(error instanceof Error ? error.message : String(error));
}

/** Output that breaks the tool's own outputSchema is a server bug, reported as an internal error. */
function checkOutput(tool: RegisteredTool, name: string, result: CallToolResult): CallToolResult {
  if (!tool.validateOutput || result.isError) return result;
  if (result.structuredContent === undefined) {
    throw ProtocolError.internal(`Tool ${name} declares an outputSchema but returned no structuredContent`);
  }
  const problem = tool.validateOutput(result.structuredContent);
  if (problem !== null) {
    throw ProtocolError.internal(
      `Tool ${name} returned structuredContent that does not match its outputSchema: ${problem.replaceAll("arguments", "structuredContent")}`,
    );
  }
  return result;
}

function headerParamsOf(schema: JsonSchema): HeaderParam[] {
  const properties = (schema.properties ?? {}) as Record<string, { "x-mcp-header"?: unknown }>;
  return Object.entries(properties)
    .filter(([, p]) => typeof p["x-mcp-header"] === "string" && p["x-mcp-header"] !== "")
    .map(([property, p]) => ({ property, header: String(p["x-mcp-header"]).toLowerCase() }));
}

/** A tool result that reports a failure to the model rather than to the client. */
export function toolError(message: string): CallToolResult {
  return { content: [{ type: "text", text: message }], isError: true };
}
