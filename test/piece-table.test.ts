import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { PieceTable, type TextSnapshot } from "../src/engine/text/piece-table.js";

type Edit = { kind: "insert"; at: number; text: string } | { kind: "delete"; at: number; length: number };

/** Edits with positions as fractions, scaled to whatever the document's length is when applied. */
const edit = fc.oneof(
  fc.record({
    kind: fc.constant("insert" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    text: fc.string({ maxLength: 6 }),
  }),
  fc.record({
    kind: fc.constant("delete" as const),
    at: fc.double({ min: 0, max: 1, noNaN: true }),
    length: fc.nat(8),
  }),
);

/** Applies one edit to the table and to a plain string; returns the new string. */
function apply(table: PieceTable, text: string, e: Edit): string {
  const at = Math.floor(e.at * text.length);
  if (e.kind === "insert") {
    table.insert(at, e.text);
    return text.slice(0, at) + e.text + text.slice(at);
  }
  const length = Math.min(e.length, text.length - at);
  table.delete(at, length);
  return text.slice(0, at) + text.slice(at + length);
}

describe("the piece table", () => {
  it("reads the same as a plain string after any edits, and every snapshot keeps its text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.array(edit, { maxLength: 40 }), (original, edits) => {
        const table = new PieceTable(original);
        let text = original;
        const snapshots: [TextSnapshot, string][] = [[table.snapshot(), text]];
        for (const e of edits) {
          text = apply(table, text, e);
          snapshots.push([table.snapshot(), text]);
        }
        assert.equal(table.getText(), text);
        assert.equal(table.length, text.length);
        for (const [snapshot, expected] of snapshots) {
          assert.equal(snapshot.getText(), expected);
          assert.equal(snapshot.length, expected.length);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it("returns any range as String.prototype.slice would", () => {
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 20 }), fc.nat(60), fc.nat(60), (edits, a, b) => {
        const table = new PieceTable("the quick brown fox");
        let text = "the quick brown fox";
        for (const e of edits) text = apply(table, text, e);
        assert.equal(table.getText(a, b), text.slice(a, Math.max(a, b)));
      }),
    );
  });

  it("goes back to a snapshot with restore, and editing on from there leaves the newer snapshot alone", () => {
    const table = new PieceTable("hello");
    const saved = table.snapshot();
    table.insert(5, " world");
    const later = table.snapshot();
    table.restore(saved);
    table.replace(0, 1, "J");
    assert.equal(table.getText(), "Jello");
    assert.equal(later.getText(), "hello world");
    assert.equal(saved.getText(), "hello");
  });

  it("refuses offsets outside the document, naming the range and the length", () => {
    const table = new PieceTable("abc");
    assert.throws(() => table.insert(4, "x"), /\[4, 4\) is outside the document of length 3/);
    assert.throws(() => table.delete(2, 2), /\[2, 4\) is outside the document of length 3/);
    assert.throws(() => table.delete(-1, 1), RangeError);
    assert.throws(() => table.insert(1.5, "x"), RangeError);
    assert.equal(table.getText(), "abc");
  });

  it("stays shallow and correct over 20,000 edits to a 10 MB document", () => {
    const original = "0123456789abcdef\n".repeat(600_000);
    const table = new PieceTable(original);
    let seed = 7;
    const next = (n: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % n;
    };
    const first = table.snapshot();
    for (let k = 0; k < 10_000; k++) {
      table.insert(next(table.length + 1), "<ins>");
      table.delete(next(table.length - 2), 2);
    }
    assert.ok(table.pieceCount > 10_000, `only ${table.pieceCount} pieces`);
    assert.equal(table.length, original.length + 10_000 * 3);
    assert.equal(first.getText(), original);
    assert.equal(table.getText(100, 110), table.getText().slice(100, 110));
  });
});
