import { closeSync, mkdirSync, openSync, writeFileSync, writeSync } from "node:fs";
import { join } from "node:path";

/**
 * Deterministic, code-like text for the file benchmarks: the same seed gives the same bytes on
 * every run and machine. Lines look like source (indentation, identifiers, punctuation, blank
 * lines, the odd non-ASCII comment) with lengths from 0 to about 120 bytes, about 40 on average, so
 * line-oriented work (indexing, windows, diffs) meets the line density it meets in real files.
 */
export class TextGenerator {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast, and good enough to make text that does not repeat. */
  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** One line without its line break. */
  line(): string {
    const roll = this.next();
    if (roll < 0.1) return "";
    const indent = "  ".repeat(Math.floor(this.next() * 5));
    if (roll < 0.16) return `${indent}// ${this.words(2 + Math.floor(this.next() * 8), COMMENT_WORDS, " ")}`;
    if (roll < 0.22) return `${indent}}`;
    const target = 12 + Math.floor(this.next() * this.next() * 100);
    let text = `${indent}${this.pick(OPENERS)}`;
    while (text.length < target) text += `${this.pick(WORDS)}${this.pick(JOINERS)}`;
    return `${text}${this.pick(ENDINGS)}`;
  }

  private words(count: number, from: readonly string[], separator: string): string {
    const out: string[] = [];
    for (let i = 0; i < count; i++) out.push(this.pick(from));
    return out.join(separator);
  }

  /** Whole lines, each ending in "\n", until at least `bytes` UTF-8 bytes. */
  text(bytes: number): string {
    const lines: string[] = [];
    let size = 0;
    while (size < bytes) {
      const line = `${this.line()}\n`;
      lines.push(line);
      size += Buffer.byteLength(line);
    }
    return lines.join("");
  }
}

const WORDS = [
  "value",
  "index",
  "buffer",
  "options",
  "result",
  "count",
  "name",
  "path",
  "text",
  "line",
  "error",
  "state",
  "node",
  "config",
  "handler",
  "request",
  "response",
  "items",
  "length",
  "this.cache",
  "props",
  "offset",
  "start",
  "end",
  "await fetchData",
  "map",
  "filter",
  "0",
  "1",
  "true",
  "null",
  '"utf8"',
];
const OPENERS = ["const ", "let ", "return ", "if (", "await ", "export const ", "this.", "for (const ", ""];
const JOINERS = [" = ", ".", "(", ", ", " => ", " + ", " && ", " === ", "[", " ", ")."];
const ENDINGS = [";", ");", ") {", ",", "", "];", " {"];
const COMMENT_WORDS = [
  "the",
  "value",
  "is",
  "read",
  "once",
  "café",
  "naïve",
  "cache",
  "→",
  "TODO",
  "résumé",
  "fix",
];

/** A generated file and the text it holds. */
export interface SmallFile {
  path: string;
  content: string;
}

/**
 * Writes `count` files of `minBytes` to `maxBytes` each (sizes spread evenly) into `dir`, in
 * subfolders of 100 as a project would have them, and returns their paths and contents.
 */
export function writeSmallFiles(
  dir: string,
  count: number,
  minBytes: number,
  maxBytes: number,
  seed: number,
): SmallFile[] {
  const generator = new TextGenerator(seed);
  const files: SmallFile[] = [];
  for (let i = 0; i < count; i++) {
    const folder = join(dir, `pkg${String(Math.floor(i / 100)).padStart(2, "0")}`);
    if (i % 100 === 0) mkdirSync(folder, { recursive: true });
    const size = minBytes + Math.floor(((maxBytes - minBytes) * ((i * 7919) % count)) / count);
    const path = join(folder, `module${String(i).padStart(4, "0")}.ts`);
    const content = generator.text(size);
    writeFileSync(path, content);
    files.push({ path, content });
  }
  return files;
}

/** What was written: bytes, lines, and the line (1-based) the inserted line went to (0: none). */
export interface LargeFile {
  bytes: number;
  lines: number;
  insertedAt: number;
}

const CHUNK_BYTES = 1 << 20;

/**
 * Writes at least `bytes` of generated lines to `path`, streamed in 1 MiB chunks so even a large
 * file never has to be held whole. With `insert`, that line (without its break) replaces the first
 * generated line that starts at or after byte `insert.atByte`: a marker an edit can find exactly
 * once, wherever in the file it is wanted.
 */
export function writeLargeFile(
  path: string,
  bytes: number,
  seed: number,
  insert?: { atByte: number; line: string },
): LargeFile {
  const generator = new TextGenerator(seed);
  const fd = openSync(path, "w");
  let written = 0;
  let lines = 0;
  let insertedAt = 0;
  try {
    let chunk: string[] = [];
    let chunkBytes = 0;
    while (written + chunkBytes < bytes) {
      lines++;
      const generated = generator.line();
      const here = insert !== undefined && insertedAt === 0 && written + chunkBytes >= insert.atByte;
      if (here) insertedAt = lines;
      const line = `${here && insert ? insert.line : generated}\n`;
      chunk.push(line);
      chunkBytes += Buffer.byteLength(line);
      if (chunkBytes >= CHUNK_BYTES) {
        written += writeAll(fd, chunk.join(""));
        chunk = [];
        chunkBytes = 0;
      }
    }
    written += writeAll(fd, chunk.join(""));
  } finally {
    closeSync(fd);
  }
  return { bytes: written, lines, insertedAt };
}

/** writeSync may write less than asked; this does not. Returns the bytes written. */
function writeAll(fd: number, text: string): number {
  const bytes = Buffer.from(text);
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done);
  return bytes.length;
}
