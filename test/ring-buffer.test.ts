import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { RingBuffer } from "../src/engine/text/ring-buffer.js";

const chunk = fc.oneof(
  fc.uint8Array({ maxLength: 40 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ unit: "grapheme", maxLength: 12 }),
);

describe("the ring buffer", () => {
  it("holds the last N bytes of everything pushed, counting the rest as dropped", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }), fc.array(chunk, { maxLength: 30 }), (capacity, chunks) => {
        const ring = new RingBuffer(capacity);
        const all: Buffer[] = [];
        for (const c of chunks) {
          ring.push(c);
          all.push(typeof c === "string" ? Buffer.from(c) : c);
          const whole = Buffer.concat(all);
          const kept = whole.subarray(Math.max(0, whole.length - capacity));
          assert.deepEqual(ring.toBuffer(), Buffer.from(kept));
          assert.equal(ring.length, kept.length);
          assert.equal(ring.droppedBytes, whole.length - kept.length);
          assert.equal(ring.totalBytes, whole.length);
          assert.ok(ring.length <= capacity);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("never starts its text inside a UTF-8 character that the cut split", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        // U+FFFD in the input itself would look like a split character in the output.
        fc.array(fc.string({ unit: "grapheme", maxLength: 8 }).filter((p) => !p.includes("\uFFFD"))),
        (capacity, parts) => {
          const ring = new RingBuffer(capacity);
          for (const p of parts) ring.push(p);
          const text = ring.toString();
          assert.ok(!text.includes("\uFFFD"), JSON.stringify(text));
          assert.ok(parts.join("").endsWith(text));
        },
      ),
    );
  });

  it("drops the orphaned continuation bytes of a cut character, and nothing else", () => {
    const ring = new RingBuffer(5);
    ring.push("a€bcd"); // 61 e2 82 ac 62 63 64: the cut keeps "82 ac 62 63 64"
    assert.equal(ring.toString(), "bcd");
    assert.equal(ring.droppedBytes, 2);
  });

  it("shows invalid bytes it did not cut as U+FFFD, as UTF-8 decoding does", () => {
    const ring = new RingBuffer(8);
    ring.push(Buffer.from([0x80, 0x41]));
    assert.equal(ring.toString(), "\uFFFDA");
  });

  it("keeps only the tail of a chunk larger than its capacity", () => {
    const ring = new RingBuffer(4);
    ring.push("ab");
    ring.push("0123456789");
    assert.equal(ring.toString(), "6789");
    assert.equal(ring.droppedBytes, 8);
  });

  it("forgets its bytes on clear but keeps counting what it dropped", () => {
    const ring = new RingBuffer(3);
    ring.push("abcdef");
    ring.clear();
    assert.equal(ring.length, 0);
    assert.equal(ring.toString(), "");
    ring.push("xy");
    assert.equal(ring.toString(), "xy");
    assert.equal(ring.droppedBytes, 3);
    assert.equal(ring.totalBytes, 8);
  });

  it("refuses a capacity that is not a positive integer", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) assert.throws(() => new RingBuffer(bad), RangeError);
  });
});
