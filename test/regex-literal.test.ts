import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { requiredLiteral } from "../src/engine/search/regex-literal.js";

describe("the required literal of a regular expression", () => {
  it("is the longest run every match must contain", () => {
    assert.equal(requiredLiteral("class \\w+Provider\\b"), "Provider");
    assert.equal(requiredLiteral("foo\\.bar\\(x"), "foo.bar(x");
    assert.equal(requiredLiteral("^import .* from"), "import ");
    assert.equal(requiredLiteral("colou?r"), "colo");
    assert.equal(requiredLiteral("abcd+e"), "abcd");
  });

  it("gives up where a run could be skipped", () => {
    assert.equal(requiredLiteral("foo|barbaz"), null);
    assert.equal(requiredLiteral("(optional)?x"), null);
    assert.equal(requiredLiteral("[abc]+\\d*"), null);
    assert.equal(requiredLiteral("ab"), null);
    assert.equal(requiredLiteral("\\u0041\\x41\\u{41}(a)\\1"), null); // escapes are not their digits
  });

  it("is contained in every match of generated expressions", () => {
    const atom = fc.constantFrom("a", "b", "c", "ab", "\\.", ".", "\\w", "[ab]", "(ab)", "(a|c)", "x");
    const quantifier = fc.constantFrom("", "", "?", "*", "+", "{0,2}", "{1,2}");
    const regex = fc
      .array(
        fc.tuple(atom, quantifier).map(([a, q]) => a + q),
        { minLength: 1, maxLength: 8 },
      )
      .map((p) => p.join(""));
    const text = fc
      .array(fc.constantFrom("a", "b", "c", ".", "x", "ab", "abc"), { maxLength: 40 })
      .map((p) => p.join(""));
    fc.assert(
      fc.property(regex, text, (source, subject) => {
        const literal = requiredLiteral(source, 1);
        if (literal === null) return;
        for (const match of subject.matchAll(new RegExp(source, "g"))) {
          assert.ok(
            match[0].includes(literal),
            `${source} matched ${JSON.stringify(match[0])} without ${literal}`,
          );
        }
      }),
      { numRuns: 2000 },
    );
  });
});
