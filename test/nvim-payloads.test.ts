import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { joinLines, linesChange } from "../src/editors/neovim/nvim-payloads.js";
import { EditorDocument } from "../src/engine/index.js";

const line = fc.string({ unit: fc.constantFrom("a", "é", "世", "\t", " ", "😀"), maxLength: 6 });

describe("Neovim line events as document changes", () => {
  it("keep the document equal to Neovim's lines through any sequence of line replacements", () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 8 }),
        fc.array(fc.tuple(fc.nat(10), fc.nat(10), fc.array(line, { maxLength: 4 })), { maxLength: 20 }),
        (initial, events) => {
          let lines = [...initial];
          const document = new EditorDocument({ uri: "file:///t", text: joinLines(lines) });
          for (const [a, b, replacement] of events) {
            // As nvim_buf_lines_event reports them: [first, last) within the buffer's lines.
            const first = Math.min(a, lines.length);
            const last = Math.min(Math.max(first, b), lines.length);
            lines = [...lines.slice(0, first), ...replacement, ...lines.slice(last)];
            document.applyChanges([linesChange(first, last, replacement)]);
            assert.equal(document.text, joinLines(lines));
          }
        },
      ),
    );
  });
});
