import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { JsonSchema } from "./types.js";

/** A compiled schema: returns null when the value is valid, else a readable list of problems. */
export type Validator = (value: unknown) => string | null;

const DRAFT_07 = /json-schema\.org\/draft-07/;

/**
 * Compiles JSON Schemas once, at registration, with Ajv: the field's standard validator, and it
 * generates code, so a check on the hot path costs well under a microsecond. Draft 2020-12 is the
 * default (the MCP default since 2025-11-25); schemas that declare draft-07 (as the zod-based SDK
 * emits) get a draft-07 validator.
 */
export class SchemaCompiler {
  private draft2020?: Ajv2020;
  private draft07?: Ajv;

  compile(schema: JsonSchema): Validator {
    const ajv =
      typeof schema.$schema === "string" && DRAFT_07.test(schema.$schema) ? this.ajv07() : this.ajv2020();
    const validate = ajv.compile(schema) as ValidateFunction;
    return (value) => (validate(value) ? null : describeErrors(validate.errors));
  }

  private ajv2020(): Ajv2020 {
    if (!this.draft2020) {
      this.draft2020 = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(this.draft2020);
    }
    return this.draft2020;
  }

  private ajv07(): Ajv {
    if (!this.draft07) {
      this.draft07 = new Ajv({ strict: false, allErrors: true });
      addFormats.default(this.draft07);
    }
    return this.draft07;
  }
}

const MAX_REPORTED = 5;

function describeErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "value does not match the schema";
  const parts = errors.slice(0, MAX_REPORTED).map((e) => {
    const where = e.instancePath === "" ? "arguments" : `arguments${e.instancePath.replaceAll("/", ".")}`;
    if (e.keyword === "additionalProperties") {
      return `${where} has unexpected property "${String(e.params.additionalProperty)}"`;
    }
    if (e.keyword === "required")
      return `${where} is missing required property "${String(e.params.missingProperty)}"`;
    return `${where} ${e.message ?? "is invalid"}`;
  });
  if (errors.length > MAX_REPORTED) parts.push(`and ${errors.length - MAX_REPORTED} more`);
  return parts.join("; ");
}
