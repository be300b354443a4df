import { isUtf8 } from "node:buffer";

/** The UTF-8 byte-order mark, which editors hide and Rune keeps. */
export const UTF8_BOM = Uint8Array.of(0xef, 0xbb, 0xbf);

/** Whether `bytes` is well-formed UTF-8, by the validator Node ships (simdutf). */
export function isValidUtf8(bytes: Uint8Array): boolean {
  return isUtf8(bytes);
}

/** Whether `bytes` starts with the UTF-8 byte-order mark. */
export function hasUtf8Bom(bytes: Uint8Array): boolean {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/**
 * The number of bytes the UTF-8 sequence at `i` occupies when decoded the WHATWG way (which is
 * what TextDecoder and Buffer#toString do): a well-formed sequence is one code point; an ill-formed
 * one is cut at its longest valid prefix (the "maximal subpart") and becomes one U+FFFD. Counting
 * positions through this function therefore agrees with the decoded string exactly, even for
 * invalid input. `end` bounds the sequence (a line end, for example).
 */
export function sequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const lead = bytes[i] as number;
  if (lead < 0x80) return 1;
  let need: number;
  let low = 0x80;
  let high = 0xbf;
  if (lead >= 0xc2 && lead <= 0xdf) need = 1;
  else if (lead >= 0xe0 && lead <= 0xef) {
    need = 2;
    if (lead === 0xe0) low = 0xa0;
    else if (lead === 0xed) high = 0x9f;
  } else if (lead >= 0xf0 && lead <= 0xf4) {
    need = 3;
    if (lead === 0xf0) low = 0x90;
    else if (lead === 0xf4) high = 0x8f;
  } else return 1; // a stray continuation byte, C0/C1 or F5..FF: one U+FFFD
  let length = 1;
  while (need > 0) {
    const next = i + length;
    if (next >= end) return length;
    const byte = bytes[next] as number;
    if (byte < low || byte > high) return length;
    low = 0x80;
    high = 0xbf;
    length++;
    need--;
  }
  return length;
}

/**
 * UTF-16 code units of the sequence at `i` whose length is `length`: two for a four-byte code
 * point (a surrogate pair), one for everything else, U+FFFD included.
 */
function utf16Units(length: number): number {
  return length === 4 ? 2 : 1;
}

/** Position units: bytes, UTF-16 code units (LSP's and Claude Code's default) or code points. */
export type PositionEncoding = "utf-8" | "utf-16" | "utf-32";

/** How many `encoding` units the bytes from `start` to `end` decode to. */
export function unitsBetween(
  bytes: Uint8Array,
  start: number,
  end: number,
  encoding: PositionEncoding,
): number {
  if (encoding === "utf-8") return end - start;
  let units = 0;
  let i = start;
  while (i < end) {
    if ((bytes[i] as number) < 0x80) {
      i++;
      units++;
      continue;
    }
    const length = sequenceLength(bytes, i, end);
    units += encoding === "utf-16" ? utf16Units(length) : 1;
    i += length;
  }
  return units;
}

/**
 * The byte offset `units` units after `start`, never past `end`. A count that falls inside a
 * surrogate pair resolves to the start of that code point: a position cannot split a character.
 */
export function offsetAfterUnits(
  bytes: Uint8Array,
  start: number,
  end: number,
  units: number,
  encoding: PositionEncoding,
): number {
  if (encoding === "utf-8") return snapToSequenceStart(bytes, start, Math.min(end, start + units));
  let i = start;
  let counted = 0;
  while (i < end) {
    const length = (bytes[i] as number) < 0x80 ? 1 : sequenceLength(bytes, i, end);
    const width = encoding === "utf-16" ? utf16Units(length) : 1;
    if (counted + width > units) return i;
    counted += width;
    i += length;
  }
  return i;
}

/** The start of the sequence that contains byte `offset`, scanning from `start`. */
function snapToSequenceStart(bytes: Uint8Array, start: number, offset: number): number {
  // Continuation bytes are 10xxxxxx; a sequence is at most four bytes, so look back at most three.
  let i = offset;
  while (i > start && i > offset - 3 && ((bytes[i] as number) & 0xc0) === 0x80) i--;
  if (i === offset) return offset;
  // Only snap if the lead actually owns `offset` (an ill-formed run may not).
  return i + sequenceLength(bytes, i, bytes.length) > offset ? i : offset;
}

/**
 * The largest prefix length of `bytes[start, end)` that ends on a sequence boundary, so a cut there
 * never splits a character (used when a result must be cut within a long line).
 */
export function boundaryAtOrBefore(bytes: Uint8Array, start: number, end: number): number {
  if (end >= bytes.length) return bytes.length;
  return snapToSequenceStart(bytes, start, end);
}
