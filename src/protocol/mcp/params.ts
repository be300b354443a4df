import { ProtocolError } from "../jsonrpc/errors.js";
import type { JsonObject } from "./types.js";

/** Small, explicit readers for request params: each failure names the method and the field. */

export function requireString(method: string, params: JsonObject, field: string): string {
  const value = params[field];
  if (typeof value !== "string") {
    throw ProtocolError.invalidParams(`${method}: "${field}" must be a string, got ${describe(value)}`);
  }
  return value;
}

export function optionalObject(method: string, params: JsonObject, field: string): JsonObject | undefined {
  const value = params[field];
  if (value === undefined) return undefined;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw ProtocolError.invalidParams(`${method}: "${field}" must be an object, got ${describe(value)}`);
  }
  return value as JsonObject;
}

export function requireObject(method: string, params: JsonObject, field: string): JsonObject {
  const value = optionalObject(method, params, field);
  if (value === undefined) throw ProtocolError.invalidParams(`${method}: "${field}" is required`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}
