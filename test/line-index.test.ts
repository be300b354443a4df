import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { LineIndex } from "../src/engine/text/line-index.js";
import { LineStarts, LineStartsBuilder } from "../src/engine/text/line-starts.js";
import { isValidUtf8, unitsBetween } from "../src/engine/text/utf8.js";

/** Line starts the slow, obvious way: one pass, a break is CRLF, CR or LF. */
function referenceStarts(bytes: Uint8Array): number[] {
  const starts = [0];
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0d && bytes[i + 1] === 0x0a) i++;
    if (bytes[i] === 0x0a || bytes[i] === 0x0d) starts.push(i + 1);
  }
  return starts;
}

function startsOf(lines: LineStarts): number[] {
  return Array.from({ length: lines.lineCount }, (_, i) => lines.start(i));
}

/** Bytes rich in line breaks, multi-byte sequences and invalid UTF-8. */
const tricky = fc.uint8Array({ maxLength: 300 }).map((raw) => {
  const palette = [
    0x0a, 0x0d, 0x61, 0xc3, 0xa9, 0xf0, 0x9f, 0x98, 0x80, 0xe2, 0x82, 0xac, 0xff, 0xef, 0xbb, 0xbf,
  ];
  return Uint8Array.from(raw, (b) => (b < 128 ? (palette[b % palette.length] as number) : b));
});

/** Text with surrogate pairs, combining marks, CJK and every line-break style. */
const text = fc
  .array(
    fc.oneof(
      fc.constantFrom("\n", "\r\n", "\r", "a", "é", "€", "😀", "𝄞", "中", "\t", " ", "e\u0301", "\ufeff"),
      fc.string({ unit: "grapheme", maxLength: 4 }),
    ),
    { maxLength: 80 },
  )
  .map((parts) => parts.join(""));

describe("line starts", () => {
  it("agree with a one-pass reference for any bytes", () => {
    fc.assert(
      fc.property(tricky, (bytes) => {
        assert.deepEqual(startsOf(LineStarts.of(bytes)), referenceStarts(bytes));
      }),
      { numRuns: 500 },
    );
  });

  it("are the same however the bytes are cut into chunks, CRLF split across chunks included", () => {
    fc.assert(
      fc.property(tricky, fc.array(fc.nat(300), { maxLength: 6 }), (bytes, cuts) => {
        const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        const builder = new LineStartsBuilder();
        let from = 0;
        for (const point of [...points, bytes.length]) {
          builder.push(bytes.subarray(from, point));
          from = point;
        }
        const chunked = builder.finish();
        const whole = LineStarts.of(bytes);
        assert.deepEqual(startsOf(chunked), startsOf(whole));
        assert.equal(chunked.eol, whole.eol);
        assert.equal(chunked.byteLength, bytes.length);
      }),
      { numRuns: 500 },
    );
  });

  it("agree with the reference on LF-only text, at any alignment and across scan chunks", () => {
    // LF-only input takes the SIMD scan (from 256 bytes, in 64 KiB chunks); the cases cover the
    // unaligned head, the tail past the last whole vector, and chunk and block boundaries.
    const lfText = fc
      .tuple(fc.array(fc.nat(90), { maxLength: 60 }), fc.nat(3), fc.constantFrom(1, 40, 1_500))
      .map(([lengths, shift, repeat]) => {
        const lines = lengths.map((n) => `${"x".repeat(n)}\n`).join("");
        const body = Buffer.from(lines.repeat(repeat));
        // A copy `shift` bytes into a larger buffer: the view's byteOffset is not a multiple of 4.
        const host = Buffer.alloc(body.length + shift);
        body.copy(host, shift);
        return host.subarray(shift);
      });
    fc.assert(
      fc.property(lfText, (bytes) => {
        const lines = LineStarts.of(bytes);
        assert.deepEqual(startsOf(lines), referenceStarts(bytes));
        assert.equal(lines.eol, bytes.includes(0x0a) ? "\n" : "none");
      }),
      { numRuns: 150 },
    );
  });

  it("stay exact past one block of starts, with a CRLF cut at a chunk end and a block end", () => {
    // 70,000 lines outgrow a small first block; chunks of 4,099 bytes cut CRLFs apart.
    const text = Buffer.from(
      Array.from({ length: 70_000 }, (_, i) => (i % 1_000 === 999 ? "ab\r\n" : `${i}\n`)).join(""),
    );
    const builder = new LineStartsBuilder(1_000);
    for (let at = 0; at < text.length; at += 4_099) builder.push(text.subarray(at, at + 4_099));
    const chunked = builder.finish();
    assert.deepEqual(startsOf(chunked), referenceStarts(text));
    assert.equal(chunked.eol, "mixed");
    assert.deepEqual(startsOf(LineStarts.of(text)), referenceStarts(text));
  });

  it("name the break style, or say it is mixed", () => {
    const eol = (s: string) => LineStarts.of(Buffer.from(s)).eol;
    assert.equal(eol("a\nb\n"), "\n");
    assert.equal(eol("a\r\nb\r\n"), "\r\n");
    assert.equal(eol("a\rb"), "\r");
    assert.equal(eol("a\r\nb\n"), "mixed");
    assert.equal(eol("a\r\nb\rc"), "mixed");
    assert.equal(eol("one line"), "none");
    assert.equal(eol(""), "none");
  });

  it("find the line of any offset", () => {
    fc.assert(
      fc.property(tricky, (bytes) => {
        const lines = LineStarts.of(bytes);
        const reference = referenceStarts(bytes);
        for (let offset = 0; offset <= bytes.length; offset++) {
          const expected = reference.findLastIndex((s) => s <= offset);
          assert.equal(lines.lineAt(offset), expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("line index positions", () => {
  it("give the UTF-16 column a JavaScript string would, on every line of valid text", () => {
    fc.assert(
      fc.property(text, (source) => {
        const bytes = Buffer.from(source);
        const index = LineIndex.of(bytes);
        const decoded = source.startsWith("\ufeff") ? source.slice(1) : source;
        const lines = decoded.split(/\r\n|\r|\n/);
        assert.equal(index.lineCount, lines.length);
        lines.forEach((line, n) => {
          const end = index.lineContentEnd(n);
          assert.deepEqual(index.positionAt(end), { line: n, character: line.length });
          assert.equal(index.offsetAt({ line: n, character: line.length }), end);
          assert.equal(index.offsetAt({ line: n, character: [...line].length }, "utf-32"), end);
        });
      }),
      { numRuns: 500 },
    );
  });

  it("round-trip every character boundary through every encoding", () => {
    fc.assert(
      fc.property(text, fc.constantFrom("utf-8", "utf-16", "utf-32" as const), (source, encoding) => {
        const bytes = Buffer.from(source);
        const index = LineIndex.of(bytes);
        for (let line = 0; line < index.lineCount; line++) {
          let offset = index.lineStart(line);
          const end = index.lineContentEnd(line);
          for (const ch of bytes.subarray(offset, end).toString()) {
            const position = index.positionAt(offset, encoding);
            assert.equal(index.offsetAt(position, encoding), offset);
            assert.deepEqual(
              index.convert(index.convert(position, encoding, "utf-16"), "utf-16", encoding),
              position,
            );
            offset += Buffer.byteLength(ch);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("count invalid UTF-8 exactly as the decoder does, one U+FFFD per ill-formed run", () => {
    fc.assert(
      fc.property(tricky, (bytes) => {
        const units = unitsBetween(bytes, 0, bytes.length, "utf-16");
        assert.equal(units, Buffer.from(bytes).toString("utf8").length);
        const points = unitsBetween(bytes, 0, bytes.length, "utf-32");
        assert.equal(points, [...Buffer.from(bytes).toString("utf8")].length);
      }),
      { numRuns: 1000 },
    );
  });

  it("never place a position inside a surrogate pair or a multi-byte sequence", () => {
    const index = LineIndex.of(Buffer.from("a😀b"));
    assert.equal(index.offsetAt({ line: 0, character: 2 }), 1); // between the surrogates
    assert.equal(index.offsetAt({ line: 0, character: 3 }), 5);
    assert.deepEqual(index.positionAt(3), { line: 0, character: 1 }); // inside the 4-byte sequence
    assert.deepEqual(index.positionAt(5), { line: 0, character: 3 });
  });

  it("clamp positions past a line's end or the text's end, and keep the BOM out of line 0", () => {
    const index = LineIndex.of(Buffer.from("\ufeffab\r\ncd"));
    assert.equal(index.bomLength, 3);
    assert.equal(index.offsetAt({ line: 0, character: 0 }), 3);
    assert.equal(index.offsetAt({ line: 0, character: 99 }), 5);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 9);
    assert.deepEqual(index.positionAt(6), { line: 0, character: 2 }); // inside the CRLF
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
  });

  it("uses Node's native validator for UTF-8", () => {
    assert.equal(isValidUtf8(Buffer.from("héllo 😀")), true);
    assert.equal(isValidUtf8(Uint8Array.of(0xc3, 0x28)), false);
    assert.equal(isValidUtf8(Uint8Array.of(0xed, 0xa0, 0x80)), false); // an encoded surrogate
  });
});
