import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { AhoCorasick, leftmostLongest, type PatternMatch } from "../src/engine/text/aho-corasick.js";

const fold = (bytes: Uint8Array): Buffer =>
  Buffer.from(
    Buffer.from(bytes)
      .toString("latin1")
      .replace(/[A-Z]/g, (c) => c.toLowerCase()),
    "latin1",
  );

/** Every occurrence of every pattern, found with indexOf one pattern at a time. */
function naive(patterns: readonly Buffer[], hay: Buffer, caseInsensitive = false): PatternMatch[] {
  const text = caseInsensitive ? fold(hay) : hay;
  const found: PatternMatch[] = [];
  patterns.forEach((p, pattern) => {
    const needle = caseInsensitive ? fold(p) : p;
    if (needle.length === 0) return;
    for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) {
      found.push({ pattern, start: at, end: at + needle.length });
    }
  });
  return found;
}

/** The order the automaton promises: by end, then longest first, then pattern index. */
const byEnd = (a: PatternMatch, b: PatternMatch): number =>
  a.end - b.end || a.start - b.start || a.pattern - b.pattern;

const bytesOf = (alphabet: string[], maxLength: number) =>
  fc.array(fc.constantFrom(...alphabet), { maxLength }).map((chars) => Buffer.from(chars.join("")));
const ALPHABET = ["a", "b", "A", "B", "c", "é", "€"];
/**
 * Pattern lists of both kinds: some shorter than four bytes (the automaton scans every byte) and
 * all of four bytes or more (the skip scan finds candidates and verifies them).
 */
const patternLists = (maxCount: number) =>
  fc.oneof(
    fc.array(bytesOf(ALPHABET, 4), { maxLength: maxCount }),
    fc.array(
      fc
        .array(fc.constantFrom(...ALPHABET), { minLength: 4, maxLength: 7 })
        .map((c) => Buffer.from(c.join(""))),
      { minLength: 1, maxLength: maxCount },
    ),
  );

describe("the Aho-Corasick automaton", () => {
  it("reports exactly the matches indexOf finds per pattern, in end order", () => {
    fc.assert(
      fc.property(patternLists(8), bytesOf(ALPHABET, 200), fc.boolean(), (patterns, hay, caseInsensitive) => {
        const found = new AhoCorasick(patterns, { caseInsensitive }).findAll(hay);
        assert.deepEqual(found, [...found].sort(byEnd));
        assert.deepEqual([...found].sort(byEnd), naive(patterns, hay, caseInsensitive).sort(byEnd));
      }),
      { numRuns: 1500 },
    );
  });

  it("finds matches that span the chunks of a stream when the state is carried over", () => {
    fc.assert(
      fc.property(
        patternLists(6),
        bytesOf(ALPHABET, 120),
        fc.array(fc.nat(120), { maxLength: 5 }),
        (patterns, hay, cuts) => {
          const automaton = new AhoCorasick(patterns);
          const bounds = [0, ...cuts.map((c) => Math.min(c, hay.length)).sort((a, b) => a - b), hay.length];
          const found: PatternMatch[] = [];
          let state = 0;
          for (let k = 0; k + 1 < bounds.length; k++) {
            const chunk = hay.subarray(bounds[k], bounds[k + 1]);
            state = automaton.forEachMatch(
              chunk,
              (pattern, start, end) => {
                found.push({ pattern, start, end });
                return true;
              },
              state,
              bounds[k],
            );
          }
          assert.deepEqual(found, automaton.findAll(hay));
        },
      ),
    );
  });

  it("reports each of several identical patterns, in index order", () => {
    const found = new AhoCorasick(["ab", "x", "ab"]).findAll(Buffer.from("ab"));
    assert.deepEqual(found, [
      { pattern: 0, start: 0, end: 2 },
      { pattern: 2, start: 0, end: 2 },
    ]);
  });

  it("reports patterns that are prefixes and suffixes of each other, longest first at one end", () => {
    const found = new AhoCorasick(["he", "she", "his", "hers", "e"]).findAll(Buffer.from("ushers"));
    assert.deepEqual(found, [
      { pattern: 1, start: 1, end: 4 },
      { pattern: 0, start: 2, end: 4 },
      { pattern: 4, start: 3, end: 4 },
      { pattern: 3, start: 2, end: 6 },
    ]);
  });

  it("matches UTF-8 patterns at their byte offsets, and folds only ASCII (Ï is not ï)", () => {
    const hay = Buffer.from("naïve NAÏVE café CAFÉ");
    const found = new AhoCorasick(["ï", "café"], { caseInsensitive: true }).findAll(hay);
    assert.deepEqual(found, [
      { pattern: 0, start: 2, end: 4 },
      { pattern: 1, start: 14, end: 19 },
    ]);
  });

  it("skips to the same matches as the automaton when every pattern is four bytes or more", () => {
    const hay = Buffer.from("xx getItem01 GETITEM01 setItem02() naïve café getItem011");
    const found = new AhoCorasick(["getItem01", "setItem02", "café", "getItem01"], {
      caseInsensitive: true,
    }).findAll(hay);
    assert.deepEqual(
      found,
      naive(
        [Buffer.from("getItem01"), Buffer.from("setItem02"), Buffer.from("café"), Buffer.from("getItem01")],
        hay,
        true,
      ).sort(byEnd),
    );
    assert.equal(found.length, 8);
  });

  it("matches nothing with no patterns or only empty ones", () => {
    const hay = Buffer.from("anything");
    assert.deepEqual(new AhoCorasick([]).findAll(hay), []);
    assert.equal(new AhoCorasick([]).test(hay), false);
    assert.deepEqual(new AhoCorasick(["", ""]).findAll(hay), []);
  });

  it("stops at the limit, and test() answers on the first match", () => {
    const automaton = new AhoCorasick(["a"]);
    assert.equal(automaton.findAll(Buffer.from("aaaa"), { limit: 2 }).length, 2);
    assert.deepEqual(automaton.findAll(Buffer.from("aaaa"), { limit: 0 }), []);
    assert.equal(automaton.test(Buffer.from("xxa")), true);
    assert.equal(automaton.test(Buffer.from("xxx")), false);
  });

  it("keeps only leftmost-longest, non-overlapping matches when asked", () => {
    const hay = Buffer.from("abcd");
    const all = new AhoCorasick(["bc", "abc", "ab", "cd", "d"]).findAll(hay);
    assert.deepEqual(leftmostLongest(all), [
      { pattern: 1, start: 0, end: 3 },
      { pattern: 4, start: 3, end: 4 },
    ]);
  });
});
