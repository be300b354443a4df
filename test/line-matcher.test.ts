import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { compileMatcher, type MatchSpec, withoutLookarounds } from "../src/engine/search/line-matcher.js";

/** The line as the matcher must return it: decoded whole, then cut to the bound around the match. */
/** The reference cut: a quarter of the bound before the match, never half a character at either end. */
function expectedText(line: string, column: number, max: number): string {
  if (line.length <= max) return line;
  const from = Math.max(0, Math.min(column - (max >> 2), line.length - max));
  let start = from;
  let end = from + max;
  if (start > 0 && /[\uDC00-\uDFFF]/.test(line[start] ?? "")) start++;
  if (end < line.length && /[\uDC00-\uDFFF]/.test(line[end] ?? "")) end--;
  assert.ok(!/^[\uDC00-\uDFFF]|[\uD800-\uDBFF]$/.test(line.slice(start, end)), "no half character");
  return `${from > 0 ? "…" : ""}${line.slice(start, end)}${from + max < line.length ? "…" : ""}`;
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

describe("line matcher: a match lies within one line, as in ripgrep", () => {
  /** [line, column, text] of every match of `pattern` in `text`. */
  const lines = (pattern: string, text: string | Buffer, options: Partial<MatchSpec> = {}) =>
    compileMatcher({
      mode: "regex",
      patterns: [pattern],
      ignoreCase: false,
      context: 0,
      maxLineChars: 300,
      ...options,
    })
      .scan(typeof text === "string" ? Buffer.from(text) : text, () => true)
      .map((m) => [m.line, m.column, m.text, ...(m.before ? [m.before, m.after] : [])]);

  it("reads CRLF lines without their CR: ^, $, \\s and [^…] do not see it", () => {
    const crlf = "alpha\r\nbeta \r\n\r\ngamma\r\n";
    assert.deepEqual(lines("^$", crlf), [[3, 1, ""]]);
    assert.deepEqual(lines("\\s+$", crlf), [[2, 5, "beta "]]);
    assert.deepEqual(lines("a[^b]", "xa\r\nab\r\n"), []);
  });

  it("does not count a match that only runs across a line break, nor a lone CR as a break", () => {
    assert.deepEqual(lines("\\sfoo", "x FOO\nfoo bar\nFoo\n", { ignoreCase: true }), [[1, 2, "x FOO"]]);
    assert.deepEqual(lines("a[^x]b", "a\nb\n"), []);
    assert.deepEqual(lines("^foo", "a\rfoo\n"), []);
    // A lookaround sees the line only: nothing before its start, nothing after its end.
    assert.deepEqual(lines("(?<!\\s)foo", "x\nfoo\n"), [[2, 1, "foo"]]);
    assert.deepEqual(lines("foo(?!\\s)", "foo\nx\n"), [[1, 1, "foo"]]);
    // Taking a lookaround out must not join its neighbours into a quantifier or an escape.
    assert.deepEqual(lines("a{(?=2)2}", "a{2}\n"), [[1, 1, "a{2}"]]);
    assert.deepEqual(lines("\\x4(?=1)1", "x41\n"), [[1, 1, "x41"]]);
    assert.deepEqual(lines("{(?=1)1}x", "{1}x\n"), [[1, 1, "{1}x"]]);
    // Candidate lines are found without the lookarounds, which only narrow a match.
    assert.deepEqual(
      ["(?<=function )make", "foo(?!\\s)", "a(?=b(c))d", "[(?=]x", "(?=a)?b", "(\\w)(?=x)\\1"].map(
        withoutLookarounds,
      ),
      ["(?:)make", "foo(?:)", "a(?:)d", "[(?=]x", null, null],
    );
  });

  it("finds no line past a final line feed, nor in an empty file", () => {
    assert.deepEqual(lines("^$", "x\ny\n"), []);
    assert.deepEqual(lines("z*", "x\ny\n"), [
      [1, 1, "x"],
      [2, 1, "y"],
    ]);
    assert.deepEqual(lines("^", ""), []);
  });

  it("leaves a byte-order mark out of the first line, in both kinds of search", () => {
    const bom = "\uFEFFfoo\n";
    assert.deepEqual(lines("^foo", bom), [[1, 1, "foo"]]);
    assert.deepEqual(lines("foo", bom, { mode: "literal" }), [[1, 1, "foo"]]);
    assert.deepEqual(lines("foo", "\uFEFFfirst\nfoo\n", { mode: "literal", context: 1 }), [
      [2, 1, "foo", ["first"], []],
    ]);
  });

  it("skips no file that matches: named back-references, and a character outside the BMP made optional", () => {
    assert.deepEqual(lines("(?<w>\\w+) \\k<w>", "the the cat\n"), [[1, 1, "the the cat"]]);
    assert.deepEqual(lines("Foo😀?", "Foo😀 bar\n"), [[1, 1, "Foo😀 bar"]]);
  });

  it("gives the right context lines around a match in a file that is not valid UTF-8", () => {
    const latin1 = Buffer.from([
      0x63, 0x61, 0x66, 0xe9, 0x0a, 0x78, 0x0a, 0x66, 0x6f, 0x6f, 0x0a, 0x79, 0x0a,
    ]);
    assert.deepEqual(lines("foo", latin1, { context: 1 }), [[3, 1, "foo", ["x"], ["y"]]]);
  });

  it("folds the case of letters outside ASCII in a literal search too", () => {
    assert.deepEqual(lines("café", "CAFÉ\n", { mode: "literal", ignoreCase: true }), [[1, 1, "CAFÉ"]]);
    assert.deepEqual(lines("x", "CAFÉ\n", { mode: "literal", ignoreCase: true, patterns: ["thé", "café"] }), [
      [1, 1, "CAFÉ"],
    ]);
  });
});
