import { closeSync, constants, fstatSync, openSync } from "node:fs";
import { holdShape } from "../hold-shape.js";
import { readFully } from "./read-fully.js";

/** Git's rule for binary files: a NUL byte in the first 8,000 bytes. */
const BINARY_PROBE = 8_000;

// One buffer per thread, reused for every file: scans keep nothing that refers to the bytes.
let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * A file's bytes for a scan (search, security, lint), or why it was skipped: too large, binary, or
 * gone or unreadable since the walk listed it. Only regular files are read: a FIFO or a device is
 * unreadable (opened without blocking, so a FIFO with no writer cannot stall the thread, and never
 * read, so /dev/zero-like files cannot fill memory). The bytes are only valid until the next call.
 * A file starting with a UTF-16 byte-order mark comes back as UTF-8 (without the mark).
 * With `noFollow`, a link at `path` is unreadable too: what a walk found (it follows no link) may
 * have been replaced by a link since, to a file outside the workspace, before a scan reads it.
 */
export function readForScan(
  path: string,
  maxBytes: number,
  noFollow = false,
): Buffer | "large" | "binary" | "unreadable" {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | (noFollow ? constants.O_NOFOLLOW : 0));
  } catch {
    return "unreadable";
  }
  let bytes: Buffer;
  try {
    const stats = fstatSync(fd);
    holdShape("scan-stats", stats);
    if (!stats.isFile()) return "unreadable";
    const size = stats.size;
    if (size > maxBytes) return "large";
    if (size > scratch.length) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
    bytes = readFully(fd, size, scratch);
  } catch {
    return "unreadable";
  } finally {
    closeSync(fd);
  }
  // UTF-16 text (marked by its byte-order mark, as Windows tools write it) is full of NUL bytes:
  // scanned as the UTF-8 it reads as, as ripgrep does, not skipped as binary.
  const utf16 =
    bytes[0] === 0xff && bytes[1] === 0xfe
      ? "utf-16le"
      : bytes[0] === 0xfe && bytes[1] === 0xff
        ? "utf-16be"
        : undefined;
  if (utf16 !== undefined) bytes = Buffer.from(new TextDecoder(utf16).decode(bytes), "utf8");
  // Checked after decoding too: UTF-32 (FF FE 00 00) or a binary starting with FF FE is not text.
  const probe = bytes.length > BINARY_PROBE ? bytes.subarray(0, BINARY_PROBE) : bytes;
  return probe.indexOf(0) === -1 ? bytes : "binary";
}
