import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import type { RequestContext } from "./request-context.js";
import type { Annotations, Icon, JsonObject, ReadResourceResult } from "./types.js";
import { UriTemplate } from "./uri-template.js";

/** Suggests completions for one argument or template variable from what has been typed. */
export type Completer = (
  value: string,
  context: { arguments?: Record<string, string> },
) => string[] | Promise<string[]>;

interface ResourceDescription {
  name: string;
  title?: string;
  description?: string;
  mimeType?: string;
  annotations?: Annotations;
  icons?: Icon[];
  _meta?: JsonObject;
}

export interface ResourceDefinition extends ResourceDescription {
  uri: string;
  size?: number;
  read(context: RequestContext): Promise<ReadResourceResult> | ReadResourceResult;
}

export interface ResourceTemplateDefinition extends ResourceDescription {
  uriTemplate: string;
  /** Completers for the template's variables, by variable name. */
  complete?: Record<string, Completer>;
  read(
    uri: string,
    variables: Record<string, string>,
    context: RequestContext,
  ): Promise<ReadResourceResult> | ReadResourceResult;
}

interface RegisteredTemplate {
  definition: ResourceTemplateDefinition;
  template: UriTemplate;
  listing: JsonObject;
}

function listingOf<T extends { read: unknown; complete?: unknown }>(definition: T): JsonObject {
  const { read: _read, complete: _complete, ...listing } = definition;
  return listing as JsonObject;
}

export function resourceNotFound(uri: string): ProtocolError {
  return new ProtocolError(ErrorCode.ResourceNotFound, `Resource not found: ${uri}`, { uri });
}

/** Static resources and URI templates; reads go to an exact URI first, then to the first matching template. */
export class ResourceRegistry {
  private readonly resources = new Map<string, { definition: ResourceDefinition; listing: JsonObject }>();
  private readonly templates: RegisteredTemplate[] = [];

  constructor(private readonly onChange: () => void) {}

  register(definition: ResourceDefinition): void {
    if (this.resources.has(definition.uri))
      throw new Error(`Resource ${definition.uri} is already registered`);
    this.resources.set(definition.uri, { definition, listing: listingOf(definition) });
    this.onChange();
  }

  registerTemplate(definition: ResourceTemplateDefinition): void {
    if (this.templates.some((t) => t.definition.uriTemplate === definition.uriTemplate)) {
      throw new Error(`Resource template ${definition.uriTemplate} is already registered`);
    }
    this.templates.push({
      definition,
      template: new UriTemplate(definition.uriTemplate),
      listing: listingOf(definition),
    });
    this.onChange();
  }

  unregister(uri: string): boolean {
    const removed = this.resources.delete(uri);
    if (removed) this.onChange();
    return removed;
  }

  get size(): number {
    return this.resources.size + this.templates.length;
  }

  list(): JsonObject[] {
    return [...this.resources.values()].map((r) => r.listing);
  }

  listTemplates(): JsonObject[] {
    return this.templates.map((t) => t.listing);
  }

  /** Whether `uri` names a resource this registry can read. */
  has(uri: string): boolean {
    return this.resources.has(uri) || this.templates.some((t) => t.template.match(uri) !== null);
  }

  async read(uri: string, context: RequestContext): Promise<ReadResourceResult> {
    const exact = this.resources.get(uri);
    if (exact) return exact.definition.read(context);
    for (const { definition, template } of this.templates) {
      const variables = template.match(uri);
      if (variables) return definition.read(uri, variables, context);
    }
    throw resourceNotFound(uri);
  }

  /** The completer for a template variable, if the template declares one. */
  completer(uriTemplate: string, variable: string): Completer | undefined {
    const found = this.templates.find((t) => t.definition.uriTemplate === uriTemplate);
    if (!found) throw ProtocolError.invalidParams(`Unknown resource template: ${uriTemplate}`);
    return found.definition.complete?.[variable];
  }
}
