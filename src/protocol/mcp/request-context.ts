import type { RequestId } from "../jsonrpc/message.js";
import type { ClientCapabilities, Implementation, JsonObject, LoggingLevel } from "./types.js";
import type { ProtocolVersion } from "./versions.js";

/**
 * Options of a request to the client. `inputKey` names the request when the stateless revision
 * turns it into an entry of an input-required result (SEP-2322); a key is generated otherwise.
 */
export interface ClientRequestOptions {
  signal?: AbortSignal;
  inputKey?: string;
}

/** What a session exposes to handlers: who the client is and what may be asked of it. */
export interface SessionHandle {
  readonly id: string;
  readonly protocolVersion: ProtocolVersion;
  readonly clientInfo: Implementation | undefined;
  readonly clientCapabilities: ClientCapabilities;
  /** Sends notifications/message if the client's log level admits it. */
  log(level: LoggingLevel, data: unknown, logger?: string): void;
  /** roots/list; fails clearly if the client did not declare the roots capability. */
  listRoots(options?: ClientRequestOptions): Promise<{ uri: string; name?: string }[]>;
  /** sampling/createMessage; fails clearly if the client did not declare sampling. */
  createMessage(params: JsonObject, options?: ClientRequestOptions): Promise<JsonObject>;
  /** elicitation/create; fails clearly if the client did not declare elicitation (or its URL mode). */
  elicit(params: JsonObject, options?: ClientRequestOptions): Promise<JsonObject>;
}

/** What every request handler (tool, resource, prompt, completion) receives. */
export interface RequestContext {
  readonly requestId: RequestId;
  /** Aborted when the client cancels, the request times out, or the session ends. */
  readonly signal: AbortSignal;
  readonly session: SessionHandle;
  /** The request's `_meta`, if any. */
  readonly meta: JsonObject | undefined;
  /**
   * Reports progress if the client asked for it (a progressToken in `_meta`); otherwise a no-op.
   * A value not above the last one sent is dropped, as the spec requires each to increase.
   */
  progress(progress: number, total?: number, message?: string): void;
  /** Logs to the client through the session, tagged as related to this request. */
  log(level: LoggingLevel, data: unknown, logger?: string): void;
}
