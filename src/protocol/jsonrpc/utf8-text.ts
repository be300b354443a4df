import { isUtf8 } from "node:buffer";

/**
 * A JSON string value held as UTF-8 bytes: what a file tool returns when its text comes straight
 * from disk. A transport that writes bytes (stdio) escapes the bytes into the frame directly
 * (`frameBytes`), so a batch of files never becomes a JavaScript string: for a 5 MB batch read,
 * decoding, JSON.stringify and re-encoding the strings cost the server more than reading the files,
 * most of it in young-generation GC copying the strings. Anywhere else, `toJSON` makes it the
 * string it stands for, so JSON.stringify gives the same frame either way.
 */
export class Utf8Text {
  private readonly parts: readonly Uint8Array[];

  /**
   * Strings are encoded; byte parts must be UTF-8, and ill-formed ones are decoded and re-encoded
   * (each bad sequence becomes U+FFFD, as a decoder makes it), so the bytes escaped into a frame
   * always spell exactly the string `toJSON` returns.
   */
  constructor(parts: readonly (string | Uint8Array)[]) {
    this.parts = parts.map((part) => {
      if (typeof part === "string") return Buffer.from(part, "utf8");
      return isUtf8(part) ? part : Buffer.from(Buffer.from(part).toString("utf8"), "utf8");
    });
  }

  /** The text's length in UTF-8 bytes. */
  get byteLength(): number {
    let length = 0;
    for (const part of this.parts) length += part.length;
    return length;
  }

  toString(): string {
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
    let length = 0;
    for (const part of this.parts) {
      length += part.length;
      for (let i = 0; i < part.length; i++) length += EXTRA[part[i] as number] as number;
    }
    return length;
  }

  /** Writes the JSON string body into `out` at `at`; returns where it ended. */
  writeEscaped(out: Uint8Array, at: number): number {
    let o = at;
    for (const part of this.parts) {
      for (let i = 0; i < part.length; i++) {
        const byte = part[i] as number;
        const code = ESCAPE[byte] as number;
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
    }
    return o;
  }
}

const BACKSLASH = 0x5c;
const U = 0x75;
const ZERO = 0x30;
const HEX = Buffer.from("0123456789abcdef");

/**
 * Per byte: 0 when it stands for itself in a JSON string, else the letter after the backslash
 * (`u` for the \u00XX form). The same choices as JSON.stringify: the short escapes for the five
 * control characters that have one, \u00xx (lower-case hex) for the other controls, and nothing
 * for bytes >= 0x20 but `"` and `\`. Well-formed UTF-8 has no surrogates, the one other thing
 * JSON.stringify escapes.
 */
const ESCAPE = new Uint8Array(256);
for (let byte = 0; byte < 0x20; byte++) ESCAPE[byte] = U;
for (const [byte, letter] of [
  [0x08, "b"],
  [0x09, "t"],
  [0x0a, "n"],
  [0x0c, "f"],
  [0x0d, "r"],
  [0x22, '"'],
  [0x5c, "\\"],
] as const) {
  ESCAPE[byte] = letter.charCodeAt(0);
}
/** Bytes an escape adds: 5 for \u00XX, 1 for a short escape. */
const EXTRA = ESCAPE.map((code) => (code === 0 ? 0 : code === U ? 5 : 1));

/** What JSON.stringify writes for a Utf8Text while a frame collects them; see `frameBytes`. */
const PLACEHOLDER = "\u0000utf8-text\u0000";
const QUOTED_PLACEHOLDER = JSON.stringify(PLACEHOLDER);
let collecting: Utf8Text[] | undefined;

/**
 * `message` as one newline-terminated JSON frame: a string when it holds no Utf8Text, else bytes
 * with each Utf8Text's bytes escaped in place. Identical, byte for byte, to the UTF-8 of
 * `JSON.stringify(message) + "\n"`.
 */
export function frameBytes(message: unknown): string | Buffer {
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
  let length = 1;
  for (const segment of segments) length += Buffer.byteLength(segment);
  for (const text of texts) length += text.escapedLength() + 2;
  const out = Buffer.allocUnsafe(length);
  let at = 0;
  for (let i = 0; i < texts.length; i++) {
    at += out.write(segments[i] as string, at, "utf8");
    out[at++] = 0x22;
    at = (texts[i] as Utf8Text).writeEscaped(out, at);
    out[at++] = 0x22;
  }
  at += out.write(segments[texts.length] as string, at, "utf8");
  out[at] = 0x0a;
  return out;
}
