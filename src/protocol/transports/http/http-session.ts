import type { ServerResponse } from "node:http";
import { ErrorCode } from "../../jsonrpc/errors.js";
import type { JsonRpcMessage, ParsedFrame, RequestId } from "../../jsonrpc/message.js";
import type { SendOptions, Transport } from "../../transport.js";
import { negotiateEncoding, sendNegotiated } from "./compression.js";
import { EventStore } from "./event-store.js";
import { type SseCompression, SseWriter } from "./sse-writer.js";

/** Limits and timings every session of one listener shares. */
export interface SessionSettings {
  keepAliveMs: number;
  retryMs: number;
  maxEvents: number;
  maxBufferedBytes: number;
  /** Server-initiated messages held while no GET stream is open. */
  maxPending: number;
  /** JSON answers at least this long are compressed as the client accepts; Infinity: never. */
  compressMinBytes: number;
}

/** One POST that carried requests: where their responses (and related messages) go. */
export class Exchange {
  readonly pending = new Set<RequestId>();
  readonly collected: JsonRpcMessage[] = [];
  writer: SseWriter | undefined;
  done = false;
  /** Called once the exchange has answered (stateless sessions end with their one request). */
  onDone: (() => void) | undefined;
  /** Some answer in it was an error. */
  failed = false;

  constructor(
    readonly streamId: string,
    readonly res: ServerResponse,
    readonly json: boolean,
    /** Whether the POST body was a JSON array, so the JSON answer must be one too. */
    readonly batch: boolean,
    /** The POST's Accept-Encoding header, for a JSON answer large enough to compress. */
    readonly acceptEncoding: string | undefined = undefined,
  ) {}
}

/**
 * How long a POST's SSE stream waits for its answer before sending its head uncompressed: a
 * result computed within this is compressed when large; a longer call gets its priming event then.
 */
const SSE_DECIDE_MS = 100;

let streamCounter = 0;
const newStreamId = (): string => `s${(streamCounter++).toString(36)}`;

/**
 * The HTTP status of a stateless answer (2026-07-28): the error says what went wrong, the status
 * says it to intermediaries that do not read bodies.
 */
function statusOf(body: JsonRpcMessage | JsonRpcMessage[] | undefined): number {
  const error = body && !Array.isArray(body) && "error" in body ? body.error : undefined;
  if (!error) return 200;
  switch (error.code) {
    case ErrorCode.MethodNotFound:
      return 404;
    case ErrorCode.InternalError:
      return 500;
    case ErrorCode.ParseError:
    case ErrorCode.InvalidRequest:
    case ErrorCode.InvalidParams:
    case ErrorCode.HeaderMismatch:
    case ErrorCode.MissingRequiredClientCapability:
    case ErrorCode.UnsupportedProtocolVersion:
      return 400;
    default:
      return 200;
  }
}

function isResponse(message: JsonRpcMessage): message is JsonRpcMessage & { id: RequestId | null } {
  return "id" in message && ("result" in message || "error" in message);
}

/**
 * The transport of one Streamable HTTP session. The MCP session above it sends messages as on any
 * transport; this class routes each one to the HTTP response it belongs to: a response to the POST
 * that carried its request, a message sent while handling a request to that request's stream, and
 * anything else to the session's GET stream. Every SSE event is also kept in the event store.
 */
export class HttpSession implements Transport {
  readonly kind = "http";
  onframe?: Transport["onframe"];
  onclose?: Transport["onclose"];
  onerror?: Transport["onerror"];

  lastActive = Date.now();
  protocolVersion: string | undefined;
  readonly store: EventStore;
  /** Headers of every answer in this session (none for a stateless one: it has no id to give). */
  readonly headers: Readonly<Record<string, string>>;
  /** The same with the JSON content type, as the flat list writeHead takes; made once per session. */
  private readonly jsonHeaders: string[];
  private readonly byRequest = new Map<RequestId, Exchange>();
  private readonly exchanges = new Map<string, Exchange>();
  /** The exchange whose frame is being delivered: synchronous errors with a null id go there. */
  private current: Exchange | undefined;
  /** The GET stream: its id outlives a dropped connection so the client can resume it. */
  private standalone: { id: string; writer: SseWriter | undefined } | undefined;
  private readonly pendingStandalone: string[] = [];
  private closed = false;

  constructor(
    readonly id: string,
    private readonly settings: SessionSettings,
    /** One stateless (2026-07-28) request; error answers then carry a matching HTTP status. */
    readonly stateless = false,
    readonly paramHeaders?: ReadonlyMap<string, string>,
  ) {
    this.store = new EventStore(settings.maxEvents);
    const headers: Record<string, string> = stateless ? {} : { "mcp-session-id": id };
    this.headers = Object.freeze(headers);
    this.jsonHeaders = ["content-type", "application/json", ...Object.entries(headers).flat()];
  }

  get sessionId(): string | undefined {
    return this.stateless ? undefined : this.id;
  }

  async start(): Promise<void> {}

  get busy(): boolean {
    return this.exchanges.size > 0 || this.standalone?.writer !== undefined;
  }

  /** Delivers a frame that carries no requests (202 already decided by the caller). */
  deliver(frame: ParsedFrame): void {
    this.lastActive = Date.now();
    this.onframe?.(frame);
  }

  /**
   * Delivers a frame with requests; their responses go to `exchange`. While the frame is delivered
   * the exchange is `current`; it enters the session's maps only if it is still waiting afterwards.
   * Most calls are answered before onframe returns, and a long-lived Map that gains and loses an
   * entry per request makes V8 reallocate its table in old space again and again: that garbage
   * forced a mark-compact every 2-3 s under bench/http-calls (--trace-gc, heap sampling).
   */
  deliverWithExchange(frame: ParsedFrame, exchange: Exchange, ids: RequestId[]): void {
    this.lastActive = Date.now();
    for (const id of ids) exchange.pending.add(id);
    // A JSON answer needs no close listener: if the client left, finish() finds the response gone.
    if (!exchange.json) this.openExchangeStream(exchange);
    this.current = exchange;
    try {
      this.onframe?.(frame);
    } finally {
      this.current = undefined;
      if (this.closed) this.abandon(exchange);
      else if (!exchange.done) {
        this.exchanges.set(exchange.streamId, exchange);
        for (const id of exchange.pending) this.byRequest.set(id, exchange);
      }
    }
  }

  /** The exchange waiting for request `id`'s answer: the one being delivered is not in the maps. */
  private exchangeFor(id: RequestId): Exchange | undefined {
    const current = this.current;
    return current?.pending.has(id) ? current : this.byRequest.get(id);
  }

  newExchange(res: ServerResponse, json: boolean, batch: boolean, acceptEncoding?: string): Exchange {
    return new Exchange(newStreamId(), res, json, batch, acceptEncoding);
  }

  private writer(res: ServerResponse, onClose: () => void, acceptEncoding?: string): SseWriter {
    return new SseWriter(
      res,
      this.headers,
      this.settings.keepAliveMs,
      this.settings.maxBufferedBytes,
      onClose,
      this.sseCompression(acceptEncoding),
    );
  }

  /** A POST's stream may be compressed when its answer is large and ready at once (see SseWriter). */
  private sseCompression(acceptEncoding: string | undefined): SseCompression | undefined {
    if (acceptEncoding === undefined || !Number.isFinite(this.settings.compressMinBytes)) return undefined;
    const encoding = negotiateEncoding(acceptEncoding);
    if (encoding !== "gzip" && encoding !== "br") return undefined;
    return { encoding, minBytes: this.settings.compressMinBytes, decideWithinMs: SSE_DECIDE_MS };
  }

  private openExchangeStream(exchange: Exchange): void {
    // When the POST's connection goes away its responses keep going to the event store. The check
    // matters: a resumed stream may already have taken over before this close event arrives.
    const writer = this.writer(
      exchange.res,
      () => {
        if (exchange.writer === writer) exchange.writer = undefined;
      },
      exchange.acceptEncoding,
    );
    exchange.writer = writer;
    this.prime(exchange.streamId, writer);
  }

  /** A priming event (an id and no data) lets the client resume even before the first message. */
  private prime(streamId: string, writer: SseWriter): void {
    const event = this.store.append(streamId, "");
    writer.event(event.id, "", this.settings.retryMs);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[], options?: SendOptions): void {
    if (this.closed) return;
    const first = Array.isArray(message) ? message[0] : message;
    if (first === undefined) return;
    let exchange: Exchange | undefined;
    if (isResponse(first)) {
      exchange = first.id === null ? this.current : this.exchangeFor(first.id);
      if (!exchange) return; // answers a request whose exchange is gone (session closed)
      const answered = Array.isArray(message) ? message : [message];
      for (const m of answered) {
        if (isResponse(m) && m.id !== null) {
          exchange.pending.delete(m.id);
          this.byRequest.delete(m.id);
        }
        if ("error" in m) exchange.failed = true;
      }
      // A null id answers the whole frame (it was unreadable or refused as a batch).
      if (first.id === null) exchange.pending.clear();
    } else if (options?.relatedRequestId !== undefined) {
      exchange = this.exchangeFor(options.relatedRequestId);
      if (exchange?.json) exchange = undefined; // a JSON answer cannot carry notifications
    }
    if (!exchange) {
      this.sendStandalone(JSON.stringify(message));
      return;
    }
    if (exchange.json) {
      exchange.collected.push(...(Array.isArray(message) ? message : [message]));
    } else {
      const event = this.store.append(exchange.streamId, JSON.stringify(message));
      exchange.writer?.event(event.id, event.data);
    }
    if (exchange.pending.size === 0) this.finish(exchange);
  }

  private finish(exchange: Exchange): void {
    if (exchange.done) return;
    exchange.done = true;
    this.exchanges.delete(exchange.streamId);
    if (exchange.json) {
      if (!exchange.res.writableEnded && !exchange.res.destroyed) {
        const body =
          exchange.batch || exchange.collected.length > 1 ? exchange.collected : exchange.collected[0];
        const status = this.stateless ? statusOf(body) : 200;
        const text = JSON.stringify(body);
        if (text.length >= this.settings.compressMinBytes) {
          sendNegotiated(
            exchange.acceptEncoding,
            exchange.res,
            status,
            this.jsonHeaders,
            text,
            this.settings.compressMinBytes,
          );
          exchange.onDone?.();
          return;
        }
        // With a Content-Length node:http puts head and body in one string; without one it frames
        // the body in chunks, and the socket gathers five buffers per answer instead of two.
        exchange.res.writeHead(status, [
          ...this.jsonHeaders,
          "content-length",
          String(Buffer.byteLength(text)),
        ]);
        exchange.res.end(text);
      }
    } else {
      exchange.writer?.end();
    }
    exchange.onDone?.();
  }

  private sendStandalone(data: string): void {
    if (this.standalone) {
      // Stored even while the connection is down: a resume with Last-Event-ID picks it up.
      const event = this.store.append(this.standalone.id, data);
      this.standalone.writer?.event(event.id, event.data);
      return;
    }
    // Held until the client opens its GET stream; bounded, oldest dropped first.
    this.pendingStandalone.push(data);
    if (this.pendingStandalone.length > this.settings.maxPending) this.pendingStandalone.shift();
  }

  /** Whether a GET stream is open (only one is allowed at a time). */
  get hasStandalone(): boolean {
    return this.standalone?.writer !== undefined;
  }

  /** Opens the session's GET stream and flushes what was held for it. */
  openStandalone(res: ServerResponse): void {
    this.lastActive = Date.now();
    const id = newStreamId();
    const writer = this.writer(res, () => {
      if (this.standalone?.writer === writer) this.standalone.writer = undefined;
    });
    this.standalone = { id, writer };
    this.prime(id, writer);
    for (const data of this.pendingStandalone.splice(0)) this.sendStandalone(data);
  }

  /**
   * Resumes the stream that `lastEventId` belongs to: replays what followed it, then goes on
   * delivering if that stream is still live. Returns false if the event is no longer held.
   */
  resume(lastEventId: string, res: ServerResponse): boolean {
    const missed = this.store.after(lastEventId);
    const streamId = EventStore.streamOf(lastEventId);
    if (missed === null || streamId === undefined) return false;
    this.lastActive = Date.now();
    const exchange = this.exchanges.get(streamId);
    const isStandalone = !exchange && this.standalone?.id === streamId;
    const writer = this.writer(res, () => {
      if (exchange?.writer === writer) exchange.writer = undefined;
      if (this.standalone?.writer === writer) this.standalone.writer = undefined;
    });
    for (const event of missed) {
      if (event.data !== "") writer.event(event.id, event.data);
    }
    if (exchange) {
      exchange.writer = writer;
    } else if (isStandalone && this.standalone) {
      this.standalone.writer?.end();
      this.standalone.writer = writer;
    } else {
      // A POST stream that has finished: the replay was all it had left.
      writer.end();
    }
    return true;
  }

  /** Ends an exchange the closed session will not answer. */
  private abandon(exchange: Exchange): void {
    if (exchange.done) return;
    exchange.writer?.end();
    if (exchange.json && !exchange.res.writableEnded) exchange.res.destroy();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const exchange of this.exchanges.values()) this.abandon(exchange);
    this.exchanges.clear();
    this.byRequest.clear();
    this.standalone?.writer?.end();
    this.standalone = undefined;
    this.onclose?.();
  }
}
