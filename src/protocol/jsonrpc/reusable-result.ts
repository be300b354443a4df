import type { JsonRpcMessage } from "./message.js";

/** The JSON of each result marked reusable, made once; held only as long as the result is. */
const serialized = new WeakMap<object, string>();

/**
 * Marks a result as immutable, so transports serialize it once and splice that JSON into every
 * reply that carries the same object. For results answered many times over (an editor selection
 * asked for again and again): a 100 KB text then costs one escape, not one per reply. The caller
 * must never change the result afterwards.
 */
export function reusableResult<T extends object>(result: T): T {
  serialized.set(result, JSON.stringify(result));
  return result;
}

/** The message's JSON when it is the reply carrying a reusable result; undefined otherwise. */
export function reusedJson(message: JsonRpcMessage | JsonRpcMessage[]): string | undefined {
  if (Array.isArray(message) || !("result" in message)) return undefined;
  const json = serialized.get(message.result);
  return json === undefined
    ? undefined
    : `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${json}}`;
}

/** A message as JSON text, reusing a reusable result's JSON when the message is its reply. */
export function serializeMessage(message: JsonRpcMessage | JsonRpcMessage[]): string {
  return reusedJson(message) ?? JSON.stringify(message);
}
