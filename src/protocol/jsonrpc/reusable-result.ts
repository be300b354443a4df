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

/** The UTF-8 bytes of each reusable result's JSON, encoded on the first byte-level send. */
const encoded = new WeakMap<object, Buffer>();
const REPLY_END = Buffer.from("}\n");

/**
 * The newline-terminated frame of a reply carrying a reusable result, as three byte chunks to write
 * in order: the envelope's head (the id), the result's JSON encoded once and shared by every reply,
 * and the closing brace. A 100 KB result then costs the pipe no per-reply encoding or copy.
 * Undefined for any other message.
 */
export function reusedFrame(message: JsonRpcMessage | JsonRpcMessage[]): Buffer[] | undefined {
  if (Array.isArray(message) || !("result" in message)) return undefined;
  const json = serialized.get(message.result);
  if (json === undefined) return undefined;
  let body = encoded.get(message.result);
  if (body === undefined) {
    body = Buffer.from(json);
    encoded.set(message.result, body);
  }
  return [Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`), body, REPLY_END];
}

/** A message as JSON text, reusing a reusable result's JSON when the message is its reply. */
export function serializeMessage(message: JsonRpcMessage | JsonRpcMessage[]): string {
  return reusedJson(message) ?? JSON.stringify(message);
}
