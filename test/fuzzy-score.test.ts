import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { fuzzyScore, rankFuzzy, scorePositions } from "../src/engine/text/fuzzy-score.js";

/** The best score over every placement of `query` in `candidate`, by enumeration. */
function bruteForce(query: string, candidate: string): number | null {
  const q = query.toLowerCase();
  const c = candidate.toLowerCase();
  let best: number | null = null;
  const place = (i: number, from: number, positions: number[]): void => {
    if (i === q.length) {
      const score = scorePositions(candidate, positions, query.includes("/"));
      if (best === null || score > best) best = score;
      return;
    }
    for (let j = from; j < c.length; j++) {
      if (c[j] === q[i]) place(i + 1, j + 1, [...positions, j]);
    }
  };
  place(0, 0, []);
  return best;
}

const word = (maxLength: number) =>
  fc
    .array(fc.constantFrom("a", "b", "A", "B", "/", "_", ".", "1", "x"), { maxLength })
    .map((c) => c.join(""));

const order = (query: string, candidates: string[]): string[] =>
  rankFuzzy(query, candidates, candidates.length).map((r) => r.candidate);

describe("fuzzy scoring", () => {
  it("returns the best score over all placements, and positions that earn exactly that score", () => {
    fc.assert(
      fc.property(word(4), word(12), (query, candidate) => {
        const match = fuzzyScore(query, candidate);
        const best = bruteForce(query, candidate);
        if (best === null) return assert.equal(match, null);
        assert.ok(match !== null);
        assert.equal(match.score, best);
        assert.equal(scorePositions(candidate, match.positions, query.includes("/")), match.score);
        assert.equal(match.positions.map((j) => candidate[j]!.toLowerCase()).join(""), query.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });

  it("returns null when the query is not a subsequence, and score 0 for an empty query", () => {
    assert.equal(fuzzyScore("abc", "acb"), null);
    assert.equal(fuzzyScore("x", ""), null);
    assert.deepEqual(fuzzyScore("", "anything"), { score: 0, positions: [] });
  });

  it("is case-insensitive by default, exact when asked, and smart-case on request", () => {
    assert.notEqual(fuzzyScore("FOO", "foo.ts"), null);
    assert.equal(fuzzyScore("FOO", "foo.ts", { caseSensitive: true }), null);
    assert.equal(fuzzyScore("Foo", "foo.ts", { caseSensitive: "smart" }), null);
    assert.notEqual(fuzzyScore("foo", "FOO.ts", { caseSensitive: "smart" }), null);
  });

  it("prefers consecutive characters to scattered ones", () => {
    assert.deepEqual(order("foo", ["f_o_o.ts", "foo_x.ts"]), ["foo_x.ts", "f_o_o.ts"]);
  });

  it("prefers word starts, camelCase humps and characters after separators to mid-word ones", () => {
    assert.deepEqual(order("gu", ["src/logout.ts", "src/getUser.ts"]), ["src/getUser.ts", "src/logout.ts"]);
    assert.deepEqual(order("ab", ["xaxbx", "x_a_b"]), ["x_a_b", "xaxbx"]);
    assert.deepEqual(fuzzyScore("gu", "src/getUser.ts")?.positions, [4, 7]);
  });

  it("prefers a match in the basename to one in a folder name, unless the query is a path", () => {
    assert.deepEqual(order("foo", ["foo/bar.ts", "bar/foo.ts"]), ["bar/foo.ts", "foo/bar.ts"]);
    // "engine/search" names a folder: its files come before a file elsewhere ending in "search".
    assert.deepEqual(
      order("engine/search", ["src/engine/text/substring-search.ts", "src/engine/search/line-matcher.ts"]),
      ["src/engine/search/line-matcher.ts", "src/engine/text/substring-search.ts"],
    );
  });

  it("keeps the best N, best first, ties broken by length, then text, then input order", () => {
    const candidates = ["b/abc", "a/abc", "abc", "zzz", "abcdef", "abc"];
    const ranked = rankFuzzy("abc", candidates, 4);
    assert.deepEqual(
      ranked.map((r) => [r.candidate, r.index]),
      [
        ["abc", 2],
        ["abc", 5],
        ["abcdef", 4],
        ["a/abc", 1],
      ],
    );
  });

  it("ranks the same as sorting every match fully, whatever the limit", () => {
    fc.assert(
      fc.property(word(3), fc.array(word(8), { maxLength: 30 }), fc.nat(35), (query, candidates, limit) => {
        const all = rankFuzzy(query, candidates, Number.MAX_SAFE_INTEGER);
        assert.deepEqual(rankFuzzy(query, candidates, limit), all.slice(0, limit));
        for (let k = 1; k < all.length; k++) assert.ok(all[k - 1]!.score >= all[k]!.score);
      }),
    );
  });

  it("matches a query of several words when every word matches, in any order, scoring their sum", () => {
    const path = "test/walker.test.ts";
    const walker = fuzzyScore("walker", path);
    const test = fuzzyScore("test", path);
    assert.ok(walker && test);
    for (const query of ["walker test", "test walker", "  walker\ttest  "]) {
      const both = fuzzyScore(query, path);
      assert.equal(both?.score, walker.score + test.score, query);
      assert.deepEqual(
        both?.positions,
        [...new Set([...walker.positions, ...test.positions])].sort((a, b) => a - b),
      );
    }
    assert.equal(fuzzyScore("walker json", path), null);
    assert.deepEqual(fuzzyScore("   ", path), { score: 0, positions: [] });
    // Smart case word by word: "Walker" must match its case, "test" need not.
    assert.equal(fuzzyScore("Walker test", path, { caseSensitive: "smart" }), null);
    assert.notEqual(fuzzyScore("walker TEST", "test/Walker.TEST.ts", { caseSensitive: "smart" }), null);
    assert.deepEqual(order("walker test", ["src/engine/workspace/walker.ts", path, "test/search.test.ts"]), [
      path,
    ]);
  });

  it("scores a query of several words as the sum of its words, on any text", () => {
    fc.assert(
      fc.property(word(3), word(3), word(10), (a, b, candidate) => {
        const each = [fuzzyScore(a, candidate), fuzzyScore(b, candidate)];
        const both = fuzzyScore(`${a} ${b}`, candidate);
        if (each.some((m) => m === null)) assert.equal(both, null);
        else assert.equal(both?.score, (each[0]?.score ?? 0) + (each[1]?.score ?? 0));
      }),
    );
  });

  it("scores a very long candidate from its leftmost placement instead of failing", () => {
    const long = `${"x".repeat(70_000)}abc`;
    assert.deepEqual(fuzzyScore("xabc", long)?.positions, [0, 70_000, 70_001, 70_002]);
  });
});
