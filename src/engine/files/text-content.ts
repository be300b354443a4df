import * as crypto from "node:crypto";
import { LineStarts } from "../text/line-starts.js";
import { hasUtf8Bom, isValidUtf8 } from "../text/utf8.js";

/** How a file's bytes are to be read as text, or that they are not text. */
export type TextEncodingName = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be" | "binary";

/** Git's rule: a NUL byte in the first 8,000 bytes makes a file binary. */
const BINARY_PROBE_BYTES = 8_000;

/** The encoding `head` (the file's first bytes) suggests. */
export function sniffEncoding(head: Uint8Array): TextEncodingName {
  if (hasUtf8Bom(head)) return "utf-8-bom";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  const probe = head.length > BINARY_PROBE_BYTES ? head.subarray(0, BINARY_PROBE_BYTES) : head;
  return probe.indexOf(0) === -1 ? "utf-8" : "binary";
}

/**
 * A whole file held in memory as UTF-8 with its line index. UTF-16 files are transcoded once, so
 * everything downstream deals in UTF-8 bytes; their byte offsets then refer to the UTF-8 form.
 */
export class TextContent {
  readonly lines: LineStarts;
  /** Bytes of the BOM (3 for utf-8-bom), not part of line 1's text. */
  readonly bomLength: number;

  private constructor(
    /** The text's UTF-8 bytes (BOM included if the file has one). */
    readonly bytes: Buffer,
    readonly encoding: TextEncodingName,
    /** Whether the bytes were well-formed UTF-8 (ill-formed runs read as U+FFFD). */
    readonly validUtf8: boolean,
  ) {
    this.bomLength = encoding === "utf-8-bom" ? 3 : 0;
    this.lines = LineStarts.of(bytes);
  }

  /** Reads `raw` (a file's bytes) as text; null if it is binary. */
  static of(raw: Buffer): TextContent | null {
    const encoding = sniffEncoding(raw);
    if (encoding === "binary") return null;
    if (encoding === "utf-16le" || encoding === "utf-16be") {
      const text = new TextDecoder(encoding).decode(raw);
      return new TextContent(Buffer.from(text, "utf8"), encoding, true);
    }
    return new TextContent(raw, encoding, isValidUtf8(raw));
  }

  /** Lines as people count them: a final line break does not start another line. */
  get lineCount(): number {
    return visibleLineCount(this.lines, this.bomLength);
  }

  /** The text of bytes `[start, end)`. */
  slice(start: number, end: number): string {
    return this.bytes.toString("utf8", start, end);
  }
}

/** Lines as people count them, from an index: 0 for an empty file, and no phantom last line. */
export function visibleLineCount(lines: LineStarts, bomLength: number): number {
  if (lines.byteLength <= bomLength) return 0;
  const last = lines.lineCount - 1;
  return lines.start(last) === lines.byteLength ? last : lines.lineCount;
}

/** Hex SHA-256 of bytes, the precondition token edits compare against. */
export function sha256(bytes: Uint8Array): string {
  return hexDigest("sha256", bytes);
}

/** Hex SHA-1 of bytes: the content key of caches (symbols, lint results). */
export function sha1(bytes: Uint8Array): string {
  return hexDigest("sha1", bytes);
}

function hexDigest(algorithm: "sha1" | "sha256", bytes: Uint8Array): string {
  // crypto.hash (Node 20.12+) skips the Hash object: half the cost on a file of a few KB, and no
  // short-lived object whose hidden class a worker would lose between files (hold-shape.ts).
  return oneShotHash
    ? oneShotHash(algorithm, bytes, "hex")
    : crypto.createHash(algorithm).update(bytes).digest("hex");
}

const oneShotHash = (crypto as { hash?: typeof crypto.hash }).hash;
