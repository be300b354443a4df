import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { frameBytes, Utf8Text } from "../src/protocol/jsonrpc/utf8-text.js";

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
});
