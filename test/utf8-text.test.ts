import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { printableName } from "../src/engine/index.js";
import { jsonEscaper } from "../src/protocol/jsonrpc/json-escape.js";
import { FrameBufferPool, frameBytes, Utf8Text } from "../src/protocol/jsonrpc/utf8-text.js";

/** Bytes rich in what JSON must escape, multi-byte UTF-8 and ill-formed sequences. */
const bytes = fc.uint8Array({ maxLength: 200 }).map((raw) => {
  const palette = [
    0x00, 0x08, 0x09, 0x0a, 0x0c, 0x0d, 0x1f, 0x22, 0x5c, 0x7f, 0x2f, 0x61, 0xc3, 0xa9, 0xe2, 0x82, 0xac,
    0xf0, 0x9f, 0x98, 0x80, 0xed, 0xa0, 0x80, 0xff,
  ];
  return Uint8Array.from(raw, (b) => (b < 160 ? (palette[b % palette.length] as number) : b));
});
const parts = fc.array(fc.oneof(bytes, fc.string({ unit: "binary", maxLength: 20 })), { maxLength: 4 });

describe("Utf8Text", () => {
  it("frames exactly as JSON.stringify of the decoded text, byte for byte, for any bytes", () => {
    fc.assert(
      fc.property(fc.array(parts, { minLength: 1, maxLength: 4 }), fc.string(), (texts, other) => {
        const message = {
          jsonrpc: "2.0",
          id: 7,
          result: { content: texts.map((p) => ({ type: "text", text: new Utf8Text(p) })), note: other },
        };
        const plain = `${JSON.stringify(message)}\n`;
        const framed = frameBytes(message);
        assert.ok(Buffer.isBuffer(framed));
        assert.equal(framed.toString("utf8"), plain);
        assert.deepEqual(framed, Buffer.from(plain));
      }),
      { numRuns: 400 },
    );
  });

  it("is the string its parts decode to, ill-formed bytes as U+FFFD", () => {
    const text = new Utf8Text(["a\n", Buffer.from([0x22, 0xc3, 0xa9, 0xff, 0x5c]), "€"]);
    assert.equal(text.toString(), 'a\n"é\ufffd\\€');
    assert.equal(JSON.parse(frameBytes({ text }).toString()).text, text.toString());
    // Transports that stringify (HTTP, WebSocket) get the same value through toJSON.
    assert.equal(JSON.stringify({ text }), JSON.stringify({ text: text.toString() }));
    assert.equal(text.byteLength, Buffer.byteLength(text.toString()));
  });

  it("leaves a frame without one as a string", () => {
    assert.equal(frameBytes({ a: "b" }), '{"a":"b"}\n');
  });

  it("stays correct when another string of the frame spells its placeholder", () => {
    const message = { decoy: "\u0000utf8-text\u0000", text: new Utf8Text(["x"]) };
    const framed = frameBytes(message);
    assert.equal(framed.toString(), `${JSON.stringify(message)}\n`);
    assert.deepEqual(JSON.parse(framed.toString()), { decoy: "\u0000utf8-text\u0000", text: "x" });
  });

  it("escapes with WebAssembly SIMD exactly as JSON.stringify, across 64 KiB chunks and at every offset", () => {
    const escaper = jsonEscaper();
    assert.ok(escaper, "this Node has WebAssembly SIMD, so the fast path must be the one tested");
    // Every byte value at every position of a 16-byte turn, then runs that straddle chunk ends.
    const every = Buffer.alloc(256 * 17);
    for (let i = 0; i < every.length; i++) every[i] = (i * 7) % 256 < 128 ? (i * 7) % 128 : 0x61;
    const long = Buffer.alloc(3 * 65_536 + 5, "a");
    for (const at of [0, 15, 16, 65_535, 65_536, 65_537, 131_071, long.length - 1]) long[at] = 0x0a;
    long[65_534] = 0x01;
    for (const sample of [every, long, Buffer.alloc(65_536, 0x22), Buffer.alloc(0), Buffer.from("\\x")]) {
      const text = new Utf8Text([sample]);
      const sink = new Sink();
      escaper.escape(sample, sink);
      const expected = JSON.stringify(text.toString()).slice(1, -1);
      assert.equal(sink.buffer.subarray(0, sink.length).toString("utf8"), expected);
      // The JavaScript fallback (no SIMD) writes the same bytes.
      const js = Buffer.alloc(text.escapedLength());
      assert.equal(text.writeEscaped(js, 0), js.length);
      assert.equal(js.toString("utf8"), expected);
    }
  });
});

/** A ByteSink that grows to exactly what it is asked for. */
class Sink {
  buffer = Buffer.alloc(0);
  length = 0;

  reserve(n: number): Buffer {
    if (this.length + n > this.buffer.length) {
      const grown = Buffer.alloc(this.length + n);
      this.buffer.copy(grown);
      this.buffer = grown;
    }
    return this.buffer;
  }
}

describe("FrameBufferPool", () => {
  /** A message whose frame is `size` bytes or so of `letter`. */
  const big = (letter: string, size: number) => ({
    id: 1,
    result: { content: [{ type: "text", text: Utf8Text.wellFormed([Buffer.alloc(size, letter)]) }] },
  });

  it("lends a large frame's buffer once and reuses it only after the frame is written", () => {
    const pool = new FrameBufferPool();
    const first = frameBytes(big("a", 200_000), pool) as Buffer;
    // Not yet written: the next frame must get a buffer of its own.
    const second = frameBytes(big("b", 200_000), pool) as Buffer;
    assert.notEqual(second.buffer, first.buffer);
    assert.equal(JSON.parse(first.toString()).result.content[0].text, "a".repeat(200_000));
    pool.written(first);
    const third = frameBytes(big("c", 190_000), pool) as Buffer;
    assert.equal(third.buffer, first.buffer, "the written frame's buffer is reused");
    assert.equal(JSON.parse(third.toString()).result.content[0].text, "c".repeat(190_000));
    // A frame the pool did not lend is never taken in.
    pool.written(second);
    pool.written(third);
    const fourth = frameBytes(big("d", 190_000), pool) as Buffer;
    assert.equal(fourth.buffer, first.buffer);
  });

  it("keeps small frames out of the pool (they share Node's own)", () => {
    const pool = new FrameBufferPool();
    const small = frameBytes(big("a", 100), pool) as Buffer;
    pool.written(small);
    const next = frameBytes(big("b", 100), pool) as Buffer;
    assert.equal(JSON.parse(small.toString()).result.content[0].text, "a".repeat(100));
    assert.equal(JSON.parse(next.toString()).result.content[0].text, "b".repeat(100));
  });
});

describe("Utf8Text framed and spent", () => {
  it("calls back once its bytes are in a frame, and refuses to be used after", () => {
    let calls = 0;
    const text = Utf8Text.wellFormed(["head\n", Buffer.from("body")]).whenFramed(() => calls++);
    const framed = frameBytes({ id: 1, result: { content: [{ type: "text", text }] } });
    assert.equal(JSON.parse(framed.toString()).result.content[0].text, "head\nbody");
    assert.equal(calls, 1);
    assert.throws(() => text.toString(), /used after its bytes were framed/);
    assert.throws(() => frameBytes({ text }), /used after its bytes were framed/);
    assert.equal(calls, 1);
  });

  it("is not spent by a transport that stringifies it", () => {
    let calls = 0;
    const text = Utf8Text.wellFormed(["x"]).whenFramed(() => calls++);
    assert.equal(JSON.stringify({ text }), '{"text":"x"}');
    assert.equal(calls, 0);
    assert.equal(text.toString(), "x");
  });
});

describe("frameBytes failing halfway", () => {
  it("gives the frame's pooled buffer back and throws", () => {
    const pool = new FrameBufferPool();
    const first = frameBytes({ a: Utf8Text.wellFormed([Buffer.alloc(200_000, "a")]) }, pool) as Buffer;
    pool.written(first);
    const spent = Utf8Text.wellFormed(["gone"]).whenFramed(() => {});
    frameBytes({ text: spent });
    // This frame takes the spare buffer, then fails on the spent text.
    const large = Utf8Text.wellFormed([Buffer.alloc(190_000, "b")]);
    assert.throws(() => frameBytes({ a: large, b: spent }, pool), /used after its bytes were framed/);
    const next = frameBytes({ a: Utf8Text.wellFormed([Buffer.alloc(190_000, "c")]) }, pool) as Buffer;
    assert.equal(next.buffer, first.buffer, "the failed frame's buffer came back to the pool");
    assert.equal(JSON.parse(next.toString()).a, "c".repeat(190_000));
  });
});

describe("printable names in text listings", () => {
  it("quotes a name holding a control, bidirectional or invisible character, and leaves others", () => {
    assert.equal(printableName("src/a.ts"), "src/a.ts");
    assert.equal(printableName("naïve/日本.ts"), "naïve/日本.ts");
    assert.equal(printableName("a\nb.ts"), '"a\\nb.ts"');
    // Shown raw, this reads as "ast.png".
    assert.equal(printableName("a\u202Egnp.ts"), '"a\\u202egnp.ts"');
    assert.equal(printableName("x\u200By.ts"), '"x\\u200by.ts"');
    assert.equal(printableName('"quoted".ts'), '"\\"quoted\\".ts"');
    // The Arabic letter mark, a tag character, a soft hyphen, a Hangul filler.
    assert.equal(printableName("a\u061Cb.ts"), '"a\\u061cb.ts"');
    assert.equal(printableName("a\u{E0041}b.ts"), '"a\\u{e0041}b.ts"');
    assert.equal(printableName("a\u00ADb.ts"), '"a\\u00adb.ts"');
    assert.equal(printableName("a\u3164b.ts"), '"a\\u3164b.ts"');
  });
});
