import { ProtocolError } from "../jsonrpc/errors.js";
import type { RequestContext } from "./request-context.js";
import type { Completer } from "./resource-registry.js";
import type { GetPromptResult, Icon, JsonObject, PromptArgument } from "./types.js";

export interface PromptDefinition {
  name: string;
  title?: string;
  description?: string;
  arguments?: PromptArgument[];
  icons?: Icon[];
  _meta?: JsonObject;
  /** Completers for the prompt's arguments, by argument name. */
  complete?: Record<string, Completer>;
  get(args: Record<string, string>, context: RequestContext): Promise<GetPromptResult> | GetPromptResult;
}

/** The prompts a server offers; arguments are checked against the declaration before `get` runs. */
export class PromptRegistry {
  private readonly prompts = new Map<string, { definition: PromptDefinition; listing: JsonObject }>();

  constructor(private readonly onChange: () => void) {}

  register(definition: PromptDefinition): void {
    if (this.prompts.has(definition.name)) throw new Error(`Prompt ${definition.name} is already registered`);
    const { get: _get, complete: _complete, ...listing } = definition;
    this.prompts.set(definition.name, { definition, listing: listing as JsonObject });
    this.onChange();
  }

  unregister(name: string): boolean {
    const removed = this.prompts.delete(name);
    if (removed) this.onChange();
    return removed;
  }

  get size(): number {
    return this.prompts.size;
  }

  list(): JsonObject[] {
    return [...this.prompts.values()].map((p) => p.listing);
  }

  async get(name: string, args: unknown, context: RequestContext): Promise<GetPromptResult> {
    const prompt = this.lookup(name).definition;
    if (args !== undefined && (typeof args !== "object" || args === null || Array.isArray(args))) {
      throw ProtocolError.invalidParams(`Arguments of prompt ${name} must be an object of strings`);
    }
    const given = (args ?? {}) as Record<string, unknown>;
    for (const [key, value] of Object.entries(given)) {
      if (typeof value !== "string")
        throw ProtocolError.invalidParams(`Argument ${key} of prompt ${name} must be a string`);
    }
    const missing = (prompt.arguments ?? [])
      .filter((a) => a.required && given[a.name] === undefined)
      .map((a) => a.name);
    if (missing.length > 0) {
      throw ProtocolError.invalidParams(
        `Prompt ${name} is missing required argument(s): ${missing.join(", ")}`,
      );
    }
    return prompt.get(given as Record<string, string>, context);
  }

  completer(name: string, argument: string): Completer | undefined {
    return this.lookup(name).definition.complete?.[argument];
  }

  private lookup(name: string): { definition: PromptDefinition } {
    const prompt = this.prompts.get(name);
    if (!prompt) throw ProtocolError.invalidParams(`Unknown prompt: ${name}`);
    return prompt;
  }
}
