import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import {
  displayWidth,
  EditorDocument,
  type Selection,
  selectText,
  TextLines,
  transformSelections,
} from "../src/engine/index.js";

const at = (line: number, character: number) => ({ line, character });

/** Applies changes (non-overlapping, located against `text`) the slow, obvious way. */
function apply(
  text: string,
  changes: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    text: string;
  }[],
): string {
  const lines = TextLines.of(text);
  const located = changes
    .map((c) => [lines.offsetAt(c.range.start), lines.offsetAt(c.range.end), c.text] as const)
    .sort((a, b) => b[0] - a[0]);
  let out = text;
  for (const [s, e, t] of located) out = out.slice(0, s) + t + out.slice(e);
  return out;
}

describe("text lines", () => {
  it("finds lines split by LF, CRLF and lone CR", () => {
    const lines = TextLines.of("a\r\nbb\rccc\n");
    assert.equal(lines.lineCount, 4);
    assert.deepEqual(
      [0, 1, 2, 3].map((l) => lines.lineText(l)),
      ["a", "bb", "ccc", ""],
    );
  });

  it("clamps characters past a line's end and never splits a surrogate pair", () => {
    const lines = TextLines.of("x😀y\nz");
    assert.equal(lines.offsetAt(at(0, 2)), 1);
    assert.equal(lines.offsetAt(at(0, 99)), 4);
    assert.deepEqual(lines.positionAt(99), at(1, 1));
  });

  it("maps every offset at a character boundary to a position and back", () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom("a", "\n", "\r\n", "\r", "é", "😀", "\t", "漢"), { maxLength: 60 }),
        (parts) => {
          const text = parts.join("");
          const lines = TextLines.of(text);
          let offset = 0;
          for (const part of parts) {
            if (!part.includes("\n") && !part.includes("\r")) {
              assert.equal(lines.offsetAt(lines.positionAt(offset)), offset);
            }
            offset += part.length;
          }
          assert.equal(lines.lineCount, text.split(/\r\n|\r|\n/).length);
        },
      ),
    );
  });
});

describe("text lines after an edit", () => {
  const piece = fc.constantFrom("a", "bc", "\n", "\r\n", "\r", "😀", "");
  const text = fc.array(piece, { maxLength: 40 }).map((parts) => parts.join(""));

  const edit = fc.record({ inserted: text, a: fc.nat(), b: fc.nat() });

  it("derives the same line index as a fresh scan, edit after edit, for text with LF, CRLF and lone CR", () => {
    fc.assert(
      fc.property(
        text,
        fc.array(edit, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 6 }),
        (initial, edits, chunkSize) => {
          let current = initial;
          // Small chunks, so edits cross chunk boundaries, split chunks and shrink them to nothing.
          let derived = TextLines.of(current, chunkSize);
          for (const { inserted, a, b } of edits) {
            const start = Math.min(a, b) % (current.length + 1);
            const end = start + (Math.max(a, b) % (current.length - start + 1));
            current = current.slice(0, start) + inserted + current.slice(end);
            derived = derived.edited(current, start, end, inserted.length);
            const fresh = TextLines.of(current);
            assert.equal(derived.lineCount, fresh.lineCount);
            for (let line = 0; line < fresh.lineCount; line++) {
              assert.equal(
                derived.lineStart(line),
                fresh.lineStart(line),
                `line ${line} of ${JSON.stringify(current)}`,
              );
              assert.equal(derived.lineEnd(line), fresh.lineEnd(line));
            }
            for (let offset = 0; offset <= current.length; offset++) {
              assert.equal(derived.lineAt(offset), fresh.lineAt(offset));
            }
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it("follows line changes in a document without scanning its whole text again", () => {
    const lines = Array.from({ length: 1_000 }, (_, i) => `line ${i}`);
    const document = new EditorDocument({ uri: "file:///x", text: `${lines.join("\n")}\n` });
    assert.equal(document.lines.lineCount, 1_001);
    const edit = (first: number, last: number, replacement: string[]) => {
      document.applyChanges([
        { range: { start: at(first, 0), end: at(last, 0) }, text: replacement.map((l) => `${l}\n`).join("") },
      ]);
      lines.splice(first, last - first, ...replacement);
    };
    edit(500, 501, ["typed in line 500"]);
    edit(10, 10, ["pasted", "three", "lines"]);
    edit(995, 1_003, []);
    edit(0, 2, ["é😀"]);
    assert.equal(document.lineIndexBuilds, 1);
    assert.equal(document.lines.lineCount, lines.length + 1);
    assert.equal(document.lines.lineText(502), "typed in line 500");
    for (const [i, line] of lines.entries()) assert.equal(document.lines.lineText(i), line);
    assert.equal(document.text, `${lines.join("\n")}\n`);
  });
});

describe("selections", () => {
  const lines = TextLines.of("hello world\nsecond line\nthird");

  it("selects characters from anchor to active, either way round", () => {
    const forward = selectText(lines, { anchor: at(0, 6), active: at(1, 6) });
    const backward = selectText(lines, { anchor: at(1, 6), active: at(0, 6) });
    assert.equal(forward.text, "world\nsecond");
    assert.deepEqual(forward, backward);
    assert.deepEqual(forward.range, { start: at(0, 6), end: at(1, 6) });
    assert.equal(selectText(lines, { anchor: at(2, 1), active: at(2, 1) }).isEmpty, true);
  });

  it("selects whole lines in line mode, ending at the last line's end", () => {
    const selected = selectText(lines, { anchor: at(1, 3), active: at(0, 8), mode: "line" });
    assert.equal(selected.text, "hello world\nsecond line");
    assert.deepEqual(selected.range, { start: at(0, 0), end: at(1, 11) });
  });

  it("selects a block of display columns across tabs and wide characters", () => {
    // Columns: "ab\tcd" has the tab covering columns 2-7; "漢字xyz" has 漢 at 0-1, 字 at 2-3.
    const text = TextLines.of("abcdefgh\nab\tcd\n漢字xyz\nshort");
    const block = selectText(text, { anchor: at(0, 1), active: at(3, 3), mode: "block" }, 8);
    // Columns 1..3 inclusive: "bcd", "b" + two columns of the tab, half of 漢 + all of 字, "hor".
    assert.equal(block.text, "bcd\nb  \n 字\nhor");
    assert.deepEqual(block.range, { start: at(0, 1), end: at(3, 4) });
  });

  it("extends a block to each line's end with toLineEnd ($ in Vim)", () => {
    const text = TextLines.of("abc\nabcdef\na");
    const block = selectText(text, { anchor: at(0, 1), active: at(2, 1), mode: "block", toLineEnd: true });
    assert.equal(block.text, "bc\nbcdef\n");
  });

  it("gives every row of a block the block's display width when the lines are long enough", () => {
    const cell = fc.constantFrom("a", "\t", "漢", "😀", "é");
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 0, maxLength: 12 }), { minLength: 1, maxLength: 6 }),
        fc.nat(20),
        fc.nat(20),
        (rows, c1, c2) => {
          const tabSize = 4;
          const left = Math.min(c1, c2);
          const padded = rows.map((r) => `${r.join("")}${"z".repeat(40)}`);
          const lines = TextLines.of(padded.join("\n"));
          // Corner characters at display columns left and right on the first and last rows.
          const charAt = (row: string, column: number): number => {
            let col = 0;
            for (let i = 0; i < row.length; ) {
              const cp = row.codePointAt(i) as number;
              const width =
                cp === 9 ? tabSize - (col % tabSize) : displayWidth(String.fromCodePoint(cp), tabSize);
              if (col + width > column) return i;
              col += width;
              i += cp > 0xffff ? 2 : 1;
            }
            return row.length;
          };
          const last = padded.length - 1;
          const selection: Selection = {
            anchor: at(0, charAt(padded[0] as string, left)),
            active: at(last, charAt(padded[last] as string, Math.max(c1, c2))),
            mode: "block",
          };
          const block = selectText(lines, selection, tabSize);
          // Each row starts at the block's left column, so its tabs expand as they did in place.
          const blockLeft = Math.min(
            ...[selection.anchor, selection.active].map((p) =>
              displayWidth(lines.lineText(p.line).slice(0, p.character), tabSize),
            ),
          );
          const widths = block.text
            .split("\n")
            .map((r) => displayWidth(" ".repeat(blockLeft) + r, tabSize) - blockLeft);
          assert.equal(widths.length, padded.length);
          assert.ok(
            widths.every((w) => w === widths[0]),
            `rows of unequal width: ${widths}`,
          );
        },
      ),
    );
  });
});

describe("documents", () => {
  it("keeps the text an editor sends, edit after edit, whole or as changes", () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 30 }), { minLength: 1, maxLength: 8 }), (versions) => {
        const document = new EditorDocument({ uri: "file:///x", text: versions[0] as string });
        for (const text of versions.slice(1)) {
          const before = document.version;
          document.setText(text);
          assert.equal(document.text, text);
          if (text !== document.snapshot().getText()) assert.fail("snapshot differs");
          assert.ok(document.version >= before);
        }
      }),
    );
  });

  it("applies changes located against the same text, in any order", () => {
    const document = new EditorDocument({ uri: "file:///x", text: "one\ntwo\nthree" });
    const snapshot = document.snapshot();
    document.applyChanges([
      { range: { start: at(2, 0), end: at(2, 5) }, text: "3" },
      { range: { start: at(0, 0), end: at(0, 3) }, text: "1" },
    ]);
    assert.equal(document.text, "1\ntwo\n3");
    assert.equal(document.version, 2);
    assert.equal(snapshot.getText(), "one\ntwo\nthree");
    assert.throws(() =>
      document.applyChanges([
        { range: { start: at(0, 0), end: at(1, 1) }, text: "" },
        { range: { start: at(1, 0), end: at(1, 2) }, text: "" },
      ]),
    );
  });
});

describe("selection transforms", () => {
  const doc = (text: string, languageId = "typescript") =>
    new EditorDocument({ uri: "file:///x.ts", text, languageId });

  it("changes case within the selection only, and title-cases words", () => {
    const d = doc("hello big world");
    const edits = transformSelections(d, [{ anchor: at(0, 6), active: at(0, 15) }], { kind: "upper" });
    assert.equal(apply(d.text, edits), "hello BIG WORLD");
    const title = transformSelections(d, [{ anchor: at(0, 0), active: at(0, 15) }], { kind: "title" });
    assert.equal(apply(d.text, title), "Hello Big World");
  });

  it("sorts and de-duplicates the lines a selection touches", () => {
    const d = doc("c\na\nb\na\nz");
    const sel = [{ anchor: at(0, 0), active: at(3, 1) }];
    assert.equal(apply(d.text, transformSelections(d, sel, { kind: "sort" })), "a\na\nb\nc\nz");
    assert.equal(apply(d.text, transformSelections(d, sel, { kind: "unique" })), "c\na\nb\nz");
    const numeric = doc("10\n9\n100");
    const all = [{ anchor: at(0, 0), active: at(2, 3) }];
    assert.equal(
      apply(numeric.text, transformSelections(numeric, all, { kind: "sort", numeric: true })),
      "9\n10\n100",
    );
  });

  it("indents, dedents and trims whole lines, leaving blank lines alone", () => {
    const d = doc("a\n\n  b  \n\tc");
    const all = [{ anchor: at(0, 0), active: at(3, 2) }];
    assert.equal(apply(d.text, transformSelections(d, all, { kind: "indent" })), "  a\n\n    b  \n  \tc");
    assert.equal(apply(d.text, transformSelections(d, all, { kind: "dedent", unit: "  " })), "a\n\nb  \nc");
    assert.equal(apply(d.text, transformSelections(d, all, { kind: "trim" })), "a\n\n  b\n\tc");
  });

  it("toggles comments by language and restores the text when toggled twice", () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^[ a-z(){};=]{0,12}$/), { minLength: 1, maxLength: 6 }),
        fc.constantFrom("typescript", "python", "lua", "html"),
        (rows, languageId) => {
          const d = doc(rows.join("\n"), languageId);
          const all = [{ anchor: at(0, 0), active: at(rows.length - 1, 0), mode: "line" as const }];
          const once = apply(d.text, transformSelections(d, all, { kind: "toggle-comment" }));
          const d2 = doc(once, languageId);
          const twice = apply(once, transformSelections(d2, all, { kind: "toggle-comment" }));
          // Trailing spaces aside (a comment marker eats one), the text comes back.
          assert.equal(twice.replace(/ +$/gm, ""), d.text.replace(/ +$/gm, "").replace(/^(\s*) /gm, "$1 "));
        },
      ),
    );
    const py = doc("x = 1\n  y = 2", "python");
    const edits = transformSelections(py, [{ anchor: at(0, 0), active: at(1, 1) }], {
      kind: "toggle-comment",
    });
    assert.equal(apply(py.text, edits), "# x = 1\n#   y = 2");
  });

  it("replaces by regular expression in every cursor's selection, and refuses a bad pattern clearly", () => {
    const d = doc("foo1 foo2\nfoo3");
    const edits = transformSelections(
      d,
      [
        { anchor: at(0, 0), active: at(0, 4) },
        { anchor: at(1, 0), active: at(1, 4) },
      ],
      { kind: "regex-replace", pattern: "foo(\\d)", replacement: "bar$1" },
    );
    assert.equal(apply(d.text, edits), "bar1 foo2\nbar3");
    const replaceWith = (pattern: string, flags?: string) => () =>
      transformSelections(d, [{ anchor: at(0, 0), active: at(0, 1) }], {
        kind: "regex-replace",
        pattern,
        ...(flags === undefined ? {} : { flags }),
        replacement: "",
      });
    assert.throws(replaceWith("("), {
      code: "INVALID_ARGUMENT",
      message: 'Invalid regular expression "(": Unterminated group',
    });
    assert.throws(replaceWith("x", "gq"), {
      code: "INVALID_ARGUMENT",
      message: /^Invalid regular expression "x": Invalid flags .*'gq'/,
    });
  });

  it("upper-cases each line's part of a block selection", () => {
    const d = doc("abcd\nefgh");
    const edits = transformSelections(d, [{ anchor: at(0, 1), active: at(1, 2), mode: "block" }], {
      kind: "upper",
    });
    assert.equal(apply(d.text, edits), "aBCd\neFGh");
  });
});
