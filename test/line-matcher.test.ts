import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileMatcher, type MatchSpec } from "../src/engine/search/line-matcher.js";

/** The line as the matcher must return it: decoded whole, then cut to the bound around the match. */
function expectedText(line: string, column: number, max: number): string {
  if (line.length <= max) return line;
  const from = Math.max(0, Math.min(column - (max >> 2), line.length - max));
  return `${from > 0 ? "…" : ""}${line.slice(from, from + max)}${from + max < line.length ? "…" : ""}`;
}

describe("line matcher on long lines", () => {
  const pieces = ["a", "b ", "é", "中", "😀", "=", "x"];
  const text = (max: number) =>
    fc.array(fc.constantFrom(...pieces), { maxLength: max }).map((parts) => parts.join(""));

  it("returns the column in UTF-16 units and the same cut text as decoding the whole line, for any line", () => {
    fc.assert(
      fc.property(text(3_000), text(3_000), fc.integer({ min: 8, max: 120 }), (head, tail, max) => {
        const line = `${head}NEEDLE${tail}`;
        const spec: MatchSpec = {
          mode: "literal",
          patterns: ["NEEDLE"],
          ignoreCase: false,
          context: 0,
          maxLineChars: max,
        };
        const bytes = Buffer.from(`first line\n${line}\r\nlast line\n`);
        const [match] = compileMatcher(spec).scan(bytes, () => true);
        assert.ok(match);
        assert.equal(match.line, 2);
        assert.equal(match.column, head.length + 1);
        assert.equal(match.text, expectedText(line, head.length, max));
      }),
      { numRuns: 300 },
    );
  });

  it("cuts a multi-megabyte minified line around the match without decoding it whole", () => {
    const line = `${"var a=1;é".repeat(400_000)}createElement("div")${"b();".repeat(400_000)}`;
    const bytes = Buffer.from(line);
    const spec: MatchSpec = {
      mode: "literal",
      patterns: ["createElement"],
      ignoreCase: false,
      context: 0,
      maxLineChars: 200,
    };
    const [match] = compileMatcher(spec).scan(bytes, () => true);
    const column = "var a=1;é".length * 400_000;
    assert.equal(match?.column, column + 1);
    assert.equal(match?.text, expectedText(line, column, 200));
    assert.match(match?.text ?? "", /^….*createElement\("div"\).*…$/);
  });

  it("finds a few literals as the first of them on each line, as an automaton would", () => {
    const alphabet = fc.constantFrom("a", "b", "ab", "ba", "\n", "é", "x");
    fc.assert(
      fc.property(
        fc.array(alphabet, { maxLength: 400 }).map((p) => p.join("")),
        fc.array(fc.array(fc.constantFrom("a", "b", "é"), { minLength: 1, maxLength: 3 }), {
          minLength: 2,
          maxLength: 5,
        }),
        (text, needleParts) => {
          const needles = needleParts.map((p) => p.join(""));
          const spec: MatchSpec = {
            mode: "literal",
            patterns: needles,
            ignoreCase: false,
            context: 0,
            maxLineChars: 1_000,
          };
          const got = compileMatcher(spec)
            .scan(Buffer.from(text), () => true)
            .map((m) => [m.line, m.column]);
          const expected: number[][] = [];
          text.split("\n").forEach((line, i) => {
            const columns = needles.map((n) => line.indexOf(n)).filter((c) => c !== -1);
            if (columns.length > 0) expected.push([i + 1, Math.min(...columns) + 1]);
          });
          assert.deepEqual(got, expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});
