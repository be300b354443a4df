import { readSync } from "node:fs";

/**
 * Up to `length` bytes from the start of an open file, by synchronous reads until the file ends.
 * A file that shrank while being read yields what was there; callers that care compare stats.
 * With `into`, the bytes land in that buffer when they fit (and the caller must not keep them).
 */
export function readFully(fd: number, length: number, into?: Buffer): Buffer {
  const bytes = into && into.length >= length ? into.subarray(0, length) : Buffer.allocUnsafe(length);
  let filled = 0;
  while (filled < length) {
    const n = readSync(fd, bytes, filled, length - filled, filled);
    if (n === 0) break;
    filled += n;
  }
  return filled === length ? bytes : bytes.subarray(0, filled);
}
