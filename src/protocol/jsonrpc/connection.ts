import type { Transport } from "../transport.js";
import { ErrorCode, ProtocolError } from "./errors.js";
import {
  type Classified,
  errorResponse,
  type JsonRpcMessage,
  type JsonRpcNotification,
  type JsonRpcRequest,
  type JsonRpcResponse,
  type ParsedFrame,
  type RequestId,
} from "./message.js";

/** What a request handler receives besides the request itself. */
export interface IncomingRequestContext {
  /**
   * Aborted when the peer cancels the request, it times out, or the connection closes. Created on
   * first access: most requests finish without anyone asking, and an AbortController per request
   * was a tenth of the server's time under load (bench/stdio-calls, --cpu-prof).
   */
  readonly signal: AbortSignal;
}

export interface ConnectionHandlers {
  /** Answers one request; throw a ProtocolError to answer with that error. */
  onRequest(
    request: JsonRpcRequest,
    context: IncomingRequestContext,
  ): Promise<Record<string, unknown>> | Record<string, unknown>;
  onNotification(notification: JsonRpcNotification): void;
  /** Returns null to accept a batch, or the reason it is refused. */
  batchRefusal(): string | null;
  /** Problems that concern no single request (a stray response, a transport failure). */
  onError?(error: Error): void;
  /**
   * Every request once it has ended: its result, or what it failed with (a cancelled request
   * ends with an Error and sends no reply), milliseconds since dispatch, and when it ended (a
   * performance.now() reading, so the observer needs no clock of its own). For metrics and logs;
   * it runs on the hot path, so it must be cheap and must not throw.
   */
  onAnswered?(
    request: JsonRpcRequest,
    ms: number,
    result: Record<string, unknown> | undefined,
    error: unknown,
    ended: number,
  ): void;
  onClose?(): void;
}

export interface ConnectionOptions {
  /** Per-request timeout for incoming requests, in milliseconds; 0 disables it. */
  requestTimeoutMs?: number;
}

export interface OutgoingRequestOptions {
  signal?: AbortSignal;
  timeoutMs?: number;
  relatedRequestId?: RequestId;
}

/** Why an in-flight incoming request ended early. */
export type AbortKind = "cancelled" | "timeout" | "closed";

/** What `onAnswered` hears for a request that ended early: cancelled, timed out, or cut off. */
export class RequestAborted extends Error {
  override readonly name = "RequestAborted";
  constructor(readonly kind: AbortKind) {
    super(`request ${kind}`);
  }
}

interface Inflight {
  controller: AbortController | undefined;
  /** Date.now() after which the request has timed out. */
  deadline: number;
  abortedBy: AbortKind | undefined;
}

/** Lazily creates the request's AbortController, so handlers that never look pay nothing. */
class LazyContext implements IncomingRequestContext {
  constructor(private readonly entry: Inflight) {}
  get signal(): AbortSignal {
    this.entry.controller ??= new AbortController();
    return this.entry.controller.signal;
  }
}

interface PendingOutgoing {
  resolve(result: Record<string, unknown>): void;
  reject(error: Error): void;
  cleanup(): void;
}

const NO_RESPONSE = Symbol("no response");

/**
 * A JSON-RPC 2.0 peer over one transport: dispatches incoming requests concurrently, suppresses the
 * reply of a cancelled request, enforces per-request timeouts, and tracks outgoing requests until
 * their responses arrive. It knows nothing of MCP.
 */
export class JsonRpcConnection {
  private readonly inflight = new Map<RequestId, Inflight>();
  private readonly pending = new Map<RequestId, PendingOutgoing>();
  private nextId = 0;
  private closed = false;
  private draining = false;
  private readonly timeoutMs: number;
  /** One timer checks every deadline, instead of a setTimeout per request. */
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    readonly transport: Transport,
    private readonly handlers: ConnectionHandlers,
    options: ConnectionOptions = {},
  ) {
    this.timeoutMs = options.requestTimeoutMs ?? 0;
    transport.onframe = (frame) => this.receive(frame);
    transport.onerror = (error) => handlers.onError?.(error);
    transport.onclose = () => this.onTransportClose();
    transport.oninputend = () => this.drain();
  }

  /**
   * The peer stopped sending: answer what is in flight, then close. A client that writes its
   * requests and closes stdin at once still gets every reply.
   */
  private drain(): void {
    this.draining = true;
    this.closeIfDrained();
  }

  private closeIfDrained(): void {
    // setImmediate: after the last reply has been handed to the transport (a microtask later).
    if (this.draining && this.inflight.size === 0) setImmediate(() => void this.close());
  }

  start(): Promise<void> {
    return this.transport.start();
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of incoming requests still being handled. */
  get inflightCount(): number {
    return this.inflight.size;
  }

  private receive(frame: ParsedFrame): void {
    switch (frame.kind) {
      case "unparsable":
        this.reply(errorResponse(frame.id, frame.error));
        return;
      case "single": {
        const reply = this.handle(frame.item);
        if (reply === NO_RESPONSE) return;
        if (reply instanceof Promise) {
          void reply.then((message) => {
            if (message !== NO_RESPONSE && !this.closed) this.reply(message);
          });
        } else {
          this.reply(reply);
        }
        return;
      }
      case "batch": {
        const refusal = this.handlers.batchRefusal();
        if (refusal !== null) {
          this.reply(errorResponse(null, ProtocolError.invalidRequest(refusal)));
          return;
        }
        void Promise.all(frame.items.map((item) => this.handle(item))).then((replies) => {
          const responses = replies.filter((r): r is JsonRpcResponse => r !== NO_RESPONSE);
          if (responses.length > 0 && !this.closed) this.reply(responses);
        });
        return;
      }
    }
  }

  /**
   * Sends replies. A reply the transport cannot send (a result that cannot be serialized, say)
   * is reported and answered with an internal error instead, so the request still gets an answer
   * and the server keeps serving rather than dying of an unhandled rejection.
   */
  private reply(message: JsonRpcResponse | JsonRpcResponse[]): void {
    try {
      this.transport.send(message);
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      this.handlers.onError?.(new Error(`a reply could not be sent: ${why}`));
      for (const failed of Array.isArray(message) ? message : [message]) {
        try {
          this.transport.send(
            errorResponse(failed.id, ProtocolError.internal(`The reply could not be sent: ${why}`)),
          );
        } catch {
          // The transport cannot send even that; it reports its own failure through onerror.
        }
      }
    }
  }

  /** Handles one message and returns its reply, if it has one. */
  private handle(
    item: Classified,
  ): JsonRpcResponse | typeof NO_RESPONSE | Promise<JsonRpcResponse | typeof NO_RESPONSE> {
    switch (item.kind) {
      case "invalid":
        return errorResponse(item.id, item.error);
      case "notification":
        try {
          this.handlers.onNotification(item.message);
        } catch (error) {
          this.handlers.onError?.(error instanceof Error ? error : new Error(String(error)));
        }
        return NO_RESPONSE;
      case "response":
        this.settle(item.message);
        return NO_RESPONSE;
      case "request":
        return this.dispatch(item.message);
    }
  }

  /**
   * Runs one request. Not `async`: a handler that answers synchronously is answered in the same
   * tick with no promise in between (about a tenth of the per-call cost under load, measured with
   * bench/stdio-calls); only a handler that returns a promise is awaited.
   */
  private dispatch(
    request: JsonRpcRequest,
  ): JsonRpcResponse | typeof NO_RESPONSE | Promise<JsonRpcResponse | typeof NO_RESPONSE> {
    const { id } = request;
    if (this.inflight.has(id)) {
      return errorResponse(
        id,
        ProtocolError.invalidRequest(
          `Request id ${JSON.stringify(id)} is already in use by a request in flight`,
        ),
      );
    }
    const entry: Inflight = { controller: undefined, deadline: 0, abortedBy: undefined };
    const started = this.handlers.onAnswered === undefined ? 0 : performance.now();
    let result: Record<string, unknown> | Promise<Record<string, unknown>>;
    try {
      result = this.handlers.onRequest(request, new LazyContext(entry));
    } catch (error) {
      return this.finish(id, entry, undefined, error, request, started);
    }
    if (result instanceof Promise) {
      // Only a request that outlives this tick can be cancelled, time out, or collide with a later
      // id, so only it is tracked: a Map that gains and loses an entry per call makes V8 reallocate
      // its table in old space each time (a mark-compact every 2-3 s under bench/http-calls).
      this.inflight.set(id, entry);
      if (this.timeoutMs > 0) {
        entry.deadline = Date.now() + this.timeoutMs;
        this.sweeper ??= this.startSweeper();
      }
      return result.then(
        (value) => this.finish(id, entry, value, undefined, request, started),
        (error: unknown) => this.finish(id, entry, undefined, error, request, started),
      );
    }
    return this.finish(id, entry, result, undefined, request, started);
  }

  /** The reply to a finished request: none if it was cancelled or already answered as timed out. */
  private finish(
    id: RequestId,
    entry: Inflight,
    result: Record<string, unknown> | undefined,
    error: unknown,
    request: JsonRpcRequest,
    started: number,
  ): JsonRpcResponse | typeof NO_RESPONSE {
    this.inflight.delete(id);
    this.closeIfDrained();
    const answered = this.handlers.onAnswered;
    if (answered !== undefined) {
      const aborted = entry.abortedBy === undefined ? undefined : new RequestAborted(entry.abortedBy);
      const ended = performance.now();
      answered(request, ended - started, aborted ? undefined : result, aborted ?? error, ended);
    }
    if (entry.abortedBy !== undefined) return NO_RESPONSE;
    if (result === undefined) return errorResponse(id, toProtocolError(error));
    return { jsonrpc: "2.0", id, result };
  }

  /** Checks deadlines a few times per timeout period; a request ends at most a quarter late. */
  private startSweeper(): NodeJS.Timeout {
    const timer = setInterval(
      () => {
        const now = Date.now();
        for (const [id, entry] of this.inflight) {
          if (entry.deadline > 0 && entry.deadline <= now) this.abortIncoming(id, "timeout");
        }
      },
      Math.max(5, Math.min(this.timeoutMs / 4, 1_000)),
    );
    timer.unref();
    return timer;
  }

  /**
   * Stops an incoming request: its handler's signal is aborted and, unless it timed out, no reply
   * is sent. Returns false when no such request is in flight.
   */
  abortIncoming(id: RequestId, kind: AbortKind = "cancelled", reason?: string): boolean {
    const entry = this.inflight.get(id);
    if (!entry || entry.abortedBy !== undefined) return false;
    entry.abortedBy = kind;
    const error = new Error(reason ?? `request ${kind}`);
    if (entry.controller) entry.controller.abort(error);
    else entry.controller = abortedController(error);
    if (kind === "timeout" && !this.closed) {
      // Answer now rather than when the handler notices: a handler that ignores its signal must not
      // keep the client waiting past the deadline.
      const error = new ProtocolError(
        ErrorCode.RequestTimeout,
        `Request timed out after ${this.timeoutMs} ms and was stopped`,
      );
      this.reply(errorResponse(id, error));
    }
    return true;
  }

  /** Sends a notification to the peer. */
  notify(method: string, params?: Record<string, unknown>, relatedRequestId?: RequestId): void {
    if (this.closed) return;
    const message: JsonRpcNotification =
      params === undefined ? { jsonrpc: "2.0", method } : { jsonrpc: "2.0", method, params };
    this.transport.send(message, relatedRequestId === undefined ? undefined : { relatedRequestId });
  }

  /** Sends a request to the peer and resolves with its result. */
  request(
    method: string,
    params: Record<string, unknown> | undefined,
    options: OutgoingRequestOptions = {},
  ): Promise<Record<string, unknown>> {
    if (this.closed)
      return Promise.reject(new ProtocolError(ErrorCode.InternalError, "Connection is closed"));
    const id = `rune-${this.nextId++}`;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const onAbort = (): void => {
        entry.cleanup();
        this.notify("notifications/cancelled", {
          requestId: id,
          reason: String(options.signal?.reason ?? "aborted"),
        });
        reject(
          options.signal?.reason instanceof Error ? options.signal.reason : new Error("Request aborted"),
        );
      };
      const entry: PendingOutgoing = {
        resolve,
        reject,
        cleanup: () => {
          this.pending.delete(id);
          if (timer) clearTimeout(timer);
          options.signal?.removeEventListener("abort", onAbort);
        },
      };
      if (options.signal?.aborted) return reject(new Error("Request aborted before it was sent"));
      options.signal?.addEventListener("abort", onAbort, { once: true });
      if (options.timeoutMs && options.timeoutMs > 0) {
        timer = setTimeout(() => {
          entry.cleanup();
          this.notify("notifications/cancelled", { requestId: id, reason: "timed out" });
          reject(
            new ProtocolError(
              ErrorCode.RequestTimeout,
              `${method} got no response within ${options.timeoutMs} ms`,
            ),
          );
        }, options.timeoutMs);
      }
      this.pending.set(id, entry);
      const message: JsonRpcRequest =
        params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params };
      this.transport.send(
        message,
        options.relatedRequestId === undefined ? undefined : { relatedRequestId: options.relatedRequestId },
      );
    });
  }

  private settle(response: JsonRpcResponse): void {
    const entry = response.id === null ? undefined : this.pending.get(response.id);
    if (!entry) {
      this.handlers.onError?.(
        new Error(`Received a response for unknown request id ${JSON.stringify(response.id)}`),
      );
      return;
    }
    entry.cleanup();
    if ("error" in response) {
      entry.reject(new ProtocolError(response.error.code, response.error.message, response.error.data));
    } else {
      entry.resolve(response.result);
    }
  }

  /** Closes the transport; in-flight work is aborted and pending requests fail. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.transport.close();
    this.onTransportClose();
  }

  private onTransportClose(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.sweeper) clearInterval(this.sweeper);
    for (const id of [...this.inflight.keys()]) this.abortIncoming(id, "closed", "connection closed");
    for (const entry of [...this.pending.values()]) {
      entry.cleanup();
      entry.reject(new ProtocolError(ErrorCode.InternalError, "Connection closed before a response arrived"));
    }
    this.handlers.onClose?.();
  }
}

function abortedController(reason: Error): AbortController {
  const controller = new AbortController();
  controller.abort(reason);
  return controller;
}

/** Maps any thrown value to the error sent on the wire; internal details stay out of the message. */
export function toProtocolError(error: unknown): ProtocolError {
  if (error instanceof ProtocolError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ProtocolError(ErrorCode.InternalError, `Internal error: ${message}`);
}

export type { JsonRpcMessage };
