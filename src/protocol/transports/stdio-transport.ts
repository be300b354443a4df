import type { Readable, Writable } from "node:stream";
import { ErrorCode, ProtocolError } from "../jsonrpc/errors.js";
import { type JsonRpcMessage, parseFrame, type RequestId } from "../jsonrpc/message.js";
import { reusedFrame } from "../jsonrpc/reusable-result.js";
import { FrameBufferPool, frameBytes } from "../jsonrpc/utf8-text.js";
import type { Transport } from "../transport.js";
import { LineSplitter } from "./line-splitter.js";

export interface StdioTransportOptions {
  input?: Readable;
  output?: Writable;
  /** Largest accepted message in bytes; a longer line is answered with an error and skipped. */
  maxMessageBytes?: number;
  /**
   * Reuse a large frame's buffer once `output`'s write callback has run. Right for a stream that
   * has then handed the bytes to the OS (a pipe, socket, file or TTY); wrong for one that keeps
   * them (a PassThrough), so it defaults to true only for process.stdout.
   */
  reuseFrameBuffers?: boolean;
}

/** 4 MiB: well above any sane request, small enough that one line cannot exhaust memory. */
export const DEFAULT_MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

const ID_IN_HEAD = /"id"\s*:\s*("(?:[^"\\]|\\.){0,200}"|-?\d{1,20})/;

/** Best effort: the id of an oversize request, so its error can be matched to it. */
function idFromHead(head: string): RequestId | null {
  const match = ID_IN_HEAD.exec(head);
  if (!match?.[1]) return null;
  try {
    return JSON.parse(match[1]) as RequestId;
  } catch {
    return null;
  }
}

/**
 * Newline-delimited JSON-RPC over a pair of streams (by default the process's stdin and stdout).
 * Messages sent in the same tick are joined into one string and written once: under load that is
 * one syscall for many replies, and cheaper than corking the stream (bench/stdio-calls).
 */
export class StdioTransport implements Transport {
  readonly kind = "stdio";
  onframe?: Transport["onframe"];
  oninputend?: Transport["oninputend"];
  onclose?: Transport["onclose"];
  onerror?: Transport["onerror"];

  private readonly input: Readable;
  private readonly output: Writable;
  private readonly splitter: LineSplitter;
  private closed = false;
  /** Messages sent this tick, not yet written: text frames joined, and any byte frames after them. */
  private outgoing = "";
  private outgoingBytes: Buffer[] = [];
  /** Lends large frames their buffers; undefined when the output stream may keep what it is given. */
  private readonly frames: FrameBufferPool | undefined;

  constructor(options: StdioTransportOptions = {}) {
    this.input = options.input ?? process.stdin;
    this.output = options.output ?? process.stdout;
    const maxBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
    if (options.reuseFrameBuffers ?? this.output === process.stdout) this.frames = new FrameBufferPool();
    this.splitter = new LineSplitter(
      maxBytes,
      (line) => this.onframe?.(parseFrame(line)),
      (bytes, head) =>
        this.onframe?.({
          kind: "unparsable",
          id: idFromHead(head),
          error: new ProtocolError(
            ErrorCode.InvalidRequest,
            `Message of ${bytes} bytes exceeds the limit of ${maxBytes} bytes; it was discarded (raise --max-message-bytes to allow larger messages)`,
          ),
        }),
    );
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.splitter.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  };

  private readonly onEnd = (): void => {
    this.splitter.end();
    if (this.oninputend) this.oninputend();
    else void this.close();
  };

  private readonly onStreamError = (error: Error): void => {
    this.onerror?.(error);
  };

  async start(): Promise<void> {
    this.input.on("data", this.onData);
    this.input.on("end", this.onEnd);
    this.input.on("error", this.onStreamError);
    this.output.on("error", this.onStreamError);
  }

  send(message: JsonRpcMessage | JsonRpcMessage[]): void {
    if (this.closed) return;
    if (this.outgoing === "" && this.outgoingBytes.length === 0) process.nextTick(this.flush);
    // A reusable result's JSON goes out as bytes encoded once (see reusedFrame); file text
    // (Utf8Text) goes from disk to the pipe as bytes, escaped in place (see frameBytes).
    const reused = reusedFrame(message);
    const frame = reused ?? frameBytes(message, this.frames);
    if (typeof frame === "string" && this.outgoingBytes.length === 0) this.outgoing += frame;
    else {
      if (this.outgoing !== "") this.outgoingBytes.push(Buffer.from(this.outgoing));
      this.outgoing = "";
      if (typeof frame === "string") this.outgoingBytes.push(Buffer.from(frame));
      else if (Array.isArray(frame)) this.outgoingBytes.push(...frame);
      else this.outgoingBytes.push(frame);
    }
  }

  /** Writes what this tick produced at once: one write syscall for any number of text frames. */
  private readonly flush = (): void => {
    if (this.outgoingBytes.length > 0) {
      const frames = this.outgoingBytes;
      this.outgoingBytes = [];
      // Corked: the chunks of this tick leave in one writev, however many there are.
      this.output.cork();
      for (const frame of frames) {
        if (this.frames === undefined) this.output.write(frame);
        else this.output.write(frame, () => this.frames?.written(frame));
      }
      if (this.outgoing !== "") this.output.write(this.outgoing);
      this.outgoing = "";
      this.output.uncork();
      return;
    }
    if (this.outgoing === "") return;
    const text = this.outgoing;
    this.outgoing = "";
    this.output.write(text);
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.input.off("data", this.onData);
    this.input.off("end", this.onEnd);
    this.input.pause();
    this.flush();
    // Resolve once everything written so far has been handed to the OS (or the pipe is gone).
    await new Promise<void>((resolve) => {
      if (this.output.writableLength === 0 || this.output.destroyed) return resolve();
      this.output.once("drain", resolve);
      this.output.once("close", resolve);
      this.output.once("error", () => resolve());
    });
    this.onclose?.();
  }
}
