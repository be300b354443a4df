import { isUtf8 } from "node:buffer";
import { type ByteSink, ESCAPE_LETTER, jsonEscaper } from "./json-escape.js";

/**
 * A JSON string value held as UTF-8 bytes: what a file tool returns when its text comes straight
 * from disk. A transport that writes bytes (stdio) escapes the bytes into the frame directly
 * (`frameBytes`), so a batch of files never becomes a JavaScript string: for a 5 MB batch read,
 * decoding, JSON.stringify and re-encoding the strings cost the server more than reading the files,
 * most of it in young-generation GC copying the strings. Anywhere else, `toJSON` makes it the
 * string it stands for, so JSON.stringify gives the same frame either way.
 */
export class Utf8Text {
  private parts: readonly Uint8Array[];
  /** Called once the bytes have been copied into a frame; see `whenFramed`. */
  private framed: (() => void) | undefined;
  private spent = false;

  /**
   * Strings are encoded; byte parts must be UTF-8, and ill-formed ones are decoded and re-encoded
   * (each bad sequence becomes U+FFFD, as a decoder makes it), so the bytes escaped into a frame
   * always spell exactly the string `toJSON` returns.
   */
  constructor(parts: readonly (string | Uint8Array)[], checked: "well-formed" | "unchecked" = "unchecked") {
    this.parts = parts.map((part) => {
      if (typeof part === "string") return Buffer.from(part, "utf8");
      return checked === "well-formed" || isUtf8(part)
        ? part
        : Buffer.from(Buffer.from(part).toString("utf8"), "utf8");
    });
  }

  /**
   * For byte parts the caller knows to be well-formed UTF-8 (a reader that already replaced the
   * ill-formed runs): not checked again, which for a 5 MB batch read was a pass over every byte.
   */
  static wellFormed(parts: readonly (string | Uint8Array)[]): Utf8Text {
    return new Utf8Text(parts, "well-formed");
  }

  /**
   * Asks to be told once `frameBytes` has copied this text into a frame, after which the text is
   * spent: its byte parts may be reused by whoever lent them (a batch read's slabs), and using it
   * again throws rather than send what the memory holds by then. A transport that stringifies
   * instead (toJSON) never spends it, and the parts are then left to the garbage collector.
   */
  whenFramed(callback: () => void): this {
    this.framed = callback;
    return this;
  }

  /** Marks the text framed (see whenFramed). */
  markFramed(): void {
    const callback = this.framed;
    if (callback === undefined) return;
    this.framed = undefined;
    this.spent = true;
    this.parts = [];
    callback();
  }

  private check(): void {
    if (this.spent) throw new Error("Utf8Text used after its bytes were framed and released");
  }

  /** The text's length in UTF-8 bytes. */
  get byteLength(): number {
    this.check();
    let length = 0;
    for (const part of this.parts) length += part.length;
    return length;
  }

  toString(): string {
    this.check();
    // Each part is whole UTF-8 on its own (the constructor saw to it), so parts decode apart.
    return this.parts
      .map((part) => Buffer.from(part.buffer, part.byteOffset, part.length).toString())
      .join("");
  }

  toJSON(): string {
    if (collecting) {
      collecting.push(this);
      return PLACEHOLDER;
    }
    return this.toString();
  }

  /** Bytes the text takes as a JSON string body (quotes not included). */
  escapedLength(): number {
    this.check();
    let length = 0;
    for (const part of this.parts) length += escapedPartLength(part);
    return length;
  }

  /** Writes the JSON string body into `out` at `at`; returns where it ended. */
  writeEscaped(out: Uint8Array, at: number): number {
    this.check();
    let o = at;
    for (const part of this.parts) o = escapeInto(part, out, o);
    return o;
  }

  /**
   * Appends the JSON string body to `sink`, with WebAssembly SIMD where the runtime has it. Short
   * parts (a file's `==> path <==` header) are escaped here: copying them into the module's memory
   * and back cost more than the bytes themselves.
   */
  appendEscaped(sink: ByteSink): void {
    this.check();
    const escaper = jsonEscaper();
    for (const part of this.parts) {
      if (escaper !== null && part.length >= SHORT_PART) {
        escaper.escape(part, sink);
        continue;
      }
      // At most six bytes a byte; counted exactly for a long part (no SIMD in this runtime).
      const out = sink.reserve(part.length < SHORT_PART ? part.length * 6 : escapedPartLength(part));
      sink.length = escapeInto(part, out, sink.length);
    }
  }
}

/** Bytes `part` takes as a JSON string body. */
function escapedPartLength(part: Uint8Array): number {
  let length = part.length;
  for (let i = 0; i < part.length; i++) length += EXTRA[part[i] as number] as number;
  return length;
}

/** Parts shorter than this are escaped in JavaScript rather than by the WebAssembly kernel. */
const SHORT_PART = 256;

/** `part` as a JSON string body, written into `out` at `o`; returns where it ended. */
function escapeInto(part: Uint8Array, out: Uint8Array, at: number): number {
  let o = at;
  for (let i = 0; i < part.length; i++) {
    const byte = part[i] as number;
    const code = ESCAPE_LETTER[byte] as number;
    if (code === 0) {
      out[o++] = byte;
    } else if (code === U) {
      out[o] = BACKSLASH;
      out[o + 1] = U;
      out[o + 2] = ZERO;
      out[o + 3] = ZERO;
      out[o + 4] = HEX[byte >> 4] as number;
      out[o + 5] = HEX[byte & 15] as number;
      o += 6;
    } else {
      out[o] = BACKSLASH;
      out[o + 1] = code;
      o += 2;
    }
  }
  return o;
}

const BACKSLASH = 0x5c;
const U = 0x75;
const ZERO = 0x30;
const HEX = Buffer.from("0123456789abcdef");

/** Bytes an escape adds: 5 for \u00XX, 1 for a short escape. */
const EXTRA = ESCAPE_LETTER.map((code) => (code === 0 ? 0 : code === U ? 5 : 1));

/** What JSON.stringify writes for a Utf8Text while a frame collects them; see `frameBytes`. */
const PLACEHOLDER = "\u0000utf8-text\u0000";
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
let collecting: Utf8Text[] | undefined;

/**
 * `message` as one newline-terminated JSON frame: a string when it holds no Utf8Text, else bytes
 * with each Utf8Text's bytes escaped in place. Identical, byte for byte, to the UTF-8 of
 * `JSON.stringify(message) + "\n"`.
 */
export function frameBytes(message: unknown, pool?: FrameBufferPool): string | Buffer {
  const texts: Utf8Text[] = [];
  let json: string;
  collecting = texts;
  try {
    json = JSON.stringify(message);
  } finally {
    collecting = undefined;
  }
  if (texts.length === 0) return `${json}\n`;
  const segments = json.split(QUOTED_PLACEHOLDER);
  // Another string of the message may spell the placeholder; then the slow, plain way is safe.
  if (segments.length !== texts.length + 1) return `${JSON.stringify(message)}\n`;
  let estimate = 64;
  for (const segment of segments) estimate += segment.length;
  for (const text of texts) estimate += text.byteLength + (text.byteLength >> 3) + 2;
  const out = new GrowingBytes(estimate, pool);
  try {
    for (let i = 0; i < texts.length; i++) {
      out.append(segments[i] as string);
      out.append('"');
      (texts[i] as Utf8Text).appendEscaped(out);
      out.append('"');
    }
    out.append(`${segments[texts.length] as string}\n`);
  } catch (error) {
    // Nothing will write this frame: its buffer goes back to the pool.
    pool?.written(out.bytes());
    throw error;
  }
  // Every text's bytes are in the frame now: whoever lent them may have them back.
  for (const text of texts) text.markFramed();
  return out.bytes();
}

/**
 * A byte buffer that doubles when it runs out, for a frame whose escaped size is known only once
 * it is written; the frame is a view of it, so the spare capacity lives as long as the frame.
 */
class GrowingBytes implements ByteSink {
  private buffer: Buffer;
  length = 0;

  constructor(
    capacity: number,
    private readonly pool?: FrameBufferPool,
  ) {
    this.buffer = pool ? pool.take(capacity) : Buffer.allocUnsafe(capacity);
  }

  reserve(n: number): Buffer {
    const needed = this.length + n;
    if (needed > this.buffer.length) {
      const capacity = Math.max(needed, this.buffer.length * 2);
      const grown = this.pool ? this.pool.take(capacity) : Buffer.allocUnsafe(capacity);
      this.buffer.copy(grown, 0, 0, this.length);
      this.pool?.written(this.buffer);
      this.buffer = grown;
    }
    return this.buffer;
  }

  append(text: string): void {
    // A UTF-16 unit takes at most three UTF-8 bytes.
    this.length += this.reserve(text.length * 3).write(text, this.length, "utf8");
  }

  bytes(): Buffer {
    return this.buffer.subarray(0, this.length);
  }
}

/** Frames smaller than this come from Node's shared pool; only larger ones are worth keeping. */
const POOLED_MIN_BYTES = 64 * 1024;
/** A spare larger than this is dropped rather than held while the server idles. */
const POOLED_MAX_BYTES = 16 * 1024 * 1024;

/**
 * A buffer that one transport lends to `frameBytes` for a large frame and gets back once the
 * frame has been written, so the next large frame reuses it. A fresh multi-megabyte buffer per
 * reply is external memory that V8 counts toward its collection triggers: a 5 MB batch read on
 * every call forced a full mark-compact about every other call, and each fresh buffer's pages
 * were faulted in again as the frame was written.
 *
 * Only a transport whose stream has handed the bytes on (to the OS) by the time its write callback
 * runs may give a frame back; a stream that keeps the chunk (a PassThrough) must not.
 */
export class FrameBufferPool {
  private spare: ArrayBuffer | undefined;
  /** The buffer now lent out, if it came from this pool; at most one at a time. */
  private lent: ArrayBuffer | undefined;

  /** A buffer of at least `capacity` bytes: the spare if it is large enough, else a new one. */
  take(capacity: number): Buffer {
    const spare = this.spare;
    if (spare !== undefined && capacity >= POOLED_MIN_BYTES && spare.byteLength >= capacity) {
      this.spare = undefined;
      this.lent = spare;
      return Buffer.from(spare);
    }
    if (capacity < POOLED_MIN_BYTES || capacity > POOLED_MAX_BYTES || this.lent !== undefined) {
      return Buffer.allocUnsafe(capacity);
    }
    // A quarter more than asked, so a slightly larger next frame still fits.
    const fresh = Buffer.allocUnsafeSlow(Math.min(POOLED_MAX_BYTES, capacity + (capacity >> 2)));
    this.lent = fresh.buffer as ArrayBuffer;
    return fresh;
  }

  /** `frame` (or the buffer it views) has been written, or dropped: it may serve the next frame. */
  written(frame: Uint8Array): void {
    if (this.lent === undefined || frame.buffer !== this.lent) return;
    this.lent = undefined;
    if (this.spare === undefined || this.spare.byteLength < frame.buffer.byteLength) {
      this.spare = frame.buffer as ArrayBuffer;
    }
  }
}
