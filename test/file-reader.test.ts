import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EngineError, FileReader, type ReadOptions, type ReadResult } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

const dir = tempDir("rune-reader-");
let serial = 0;
function file(content: string | Buffer): string {
  const path = join(dir, `f${serial++}`);
  writeFileSync(path, content);
  return path;
}

/** Reads a file window by window, following `next`, and joins the pieces. */
async function readAll(reader: FileReader, path: string, options: ReadOptions): Promise<string> {
  let out = "";
  let request: ReadOptions = options;
  for (let guard = 0; guard < 10_000; guard++) {
    const result: ReadResult = await reader.read(path, request);
    out += result.content;
    if (!result.next) return out;
    request = {
      ...("offset" in result.next ? { offset: result.next.offset } : { startLine: result.next.startLine }),
      maxBytes: options.maxBytes,
    };
  }
  throw new Error("no end");
}

const whole = new FileReader();
/** Same reader, but every file over 64 bytes takes the large-file path (chunked scan, windowed reads). */
const chunked = new FileReader({ wholeFileLimit: 64 });

describe("file reader", () => {
  it("returns line ranges, head and tail, counting lines as people do", async () => {
    const path = file("one\ntwo\nthree\nfour\n");
    const range = await whole.read(path, { startLine: 2, endLine: 3 });
    assert.equal(range.content, "two\nthree\n");
    assert.deepEqual([range.startLine, range.endLine, range.totalLines], [2, 3, 4]);
    assert.equal((await whole.read(path, { head: 1 })).content, "one\n");
    assert.equal((await whole.read(path, { tail: 2 })).content, "three\nfour\n");
    assert.equal((await whole.read(path, { startLine: 4, endLine: 99 })).content, "four\n");
    assert.equal(
      (await whole.read(path, { startLine: 3, lineNumbers: true })).content,
      "     3\tthree\n     4\tfour\n",
    );
  });

  it("refuses contradictory or impossible windows with INVALID_ARGUMENT", async () => {
    const path = file("a\nb\n");
    for (const options of [
      { head: 1, tail: 1 },
      { startLine: 3 },
      { startLine: 2, endLine: 1 },
      { startLine: 0 },
      { offset: -1 },
      { head: 1.5 },
    ]) {
      await assert.rejects(
        whole.read(path, options),
        (e: unknown) => e instanceof EngineError && e.code === "INVALID_ARGUMENT",
        JSON.stringify(options),
      );
    }
  });

  it("reports encoding, BOM, line breaks and invalid UTF-8", async () => {
    const bom = await whole.read(file("\ufeffhello\r\nworld\r\n"));
    assert.deepEqual(
      [bom.encoding, bom.content, bom.eol, bom.totalLines],
      ["utf-8-bom", "hello\r\nworld\r\n", "\r\n", 2],
    );
    const invalid = await whole.read(file(Buffer.from([0x61, 0xff, 0x62, 0x0a])));
    assert.deepEqual([invalid.validUtf8, invalid.content], [false, "a\ufffdb\n"]);
    const utf16 = await whole.read(file(Buffer.from("\ufeffdé\nfin\n", "utf16le")));
    assert.deepEqual([utf16.encoding, utf16.content, utf16.totalLines], ["utf-16le", "dé\nfin\n", 2]);
    const empty = await whole.read(file(""));
    assert.deepEqual([empty.content, empty.totalLines, empty.startLine, empty.endLine], ["", 0, 0, 0]);
  });

  it("detects binary files and returns no content for them", async () => {
    const result = await whole.read(file(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d])));
    assert.deepEqual([result.binary, result.encoding, result.content], [true, "binary", ""]);
    const large = await chunked.read(file(Buffer.concat([Buffer.alloc(100, 0x41), Buffer.from([0])])));
    assert.equal(large.binary, true);
  });

  it("bounds the result at a line end and continues from the next line", async () => {
    const path = file("aaaa\nbbbb\ncccc\n");
    const first = await whole.read(path, { maxBytes: 11 });
    assert.deepEqual([first.content, first.truncated, first.next], ["aaaa\nbbbb\n", true, { startLine: 3 }]);
    const long = await whole.read(file(`${"é".repeat(10)}\n`), { maxBytes: 5 });
    assert.deepEqual([long.content, long.next], ["éé", { offset: 4 }]); // never half a character
  });

  it("reads any file back whole by following continuations, small or large, by lines or bytes", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom("x", "é", "😀", "\n", "\r\n", "\r", "line of text "), { maxLength: 120 }),
        fc.integer({ min: 4, max: 64 }),
        fc.boolean(),
        async (parts, maxBytes, byBytes) => {
          const text = parts.join("");
          const path = file(text);
          for (const reader of [whole, chunked]) {
            const options: ReadOptions = byBytes ? { offset: 0, maxBytes } : { maxBytes };
            assert.equal(await readAll(reader, path, options), text);
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("gives the same windows from the chunked large-file path as from a whole read", async () => {
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i + 1} ${"🙂".repeat(i % 5)}`);
    const path = file(`${lines.join("\r\n")}\r\n`);
    for (const options of [
      { startLine: 100, endLine: 199 },
      { tail: 7 },
      { head: 3 },
      { offset: 1000, limit: 50 },
    ] as ReadOptions[]) {
      const a = await whole.read(path, options);
      const b = await chunked.read(path, options);
      assert.deepEqual(
        [b.content, b.startLine, b.endLine, b.totalLines, b.eol],
        [a.content, a.startLine, a.endLine, a.totalLines, a.eol],
      );
    }
    assert.equal((await whole.read(path)).sha256?.length, 64);
    assert.equal((await chunked.read(path)).sha256, undefined);
  });

  it("rescans a large file that changed, and not one that did not", async () => {
    const path = file(`${"a\n".repeat(100)}`);
    assert.equal((await chunked.read(path, { tail: 1 })).totalLines, 100);
    writeFileSync(path, `${"b\n".repeat(150)}`);
    const after = await chunked.read(path, { tail: 1 });
    assert.deepEqual([after.totalLines, after.content], [150, "b\n"]);
  });

  it("says NOT_FOUND and NOT_A_FILE", async () => {
    await assert.rejects(
      whole.read(join(dir, "missing")),
      (e: unknown) => e instanceof EngineError && e.code === "NOT_FOUND",
    );
    await assert.rejects(
      whole.read(dir),
      (e: unknown) => e instanceof EngineError && e.code === "NOT_A_FILE",
    );
  });
});
