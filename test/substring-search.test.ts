import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { findAllSubstrings } from "../src/engine/text/substring-search.js";

/** Every offset where `needle` matches, byte by byte: the reference the fast paths must equal. */
function naive(
  hay: Uint8Array,
  needle: Uint8Array,
  { caseInsensitive = false, overlapping = false, from = 0 } = {},
): number[] {
  const fold = (b: number): number => (caseInsensitive && b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  const found: number[] = [];
  if (needle.length === 0) return found;
  for (let i = Math.max(0, from); i + needle.length <= hay.length; ) {
    let same = true;
    for (let j = 0; j < needle.length && same; j++) same = fold(hay[i + j]!) === fold(needle[j]!);
    if (same) {
      found.push(i);
      i += overlapping ? 1 : needle.length;
    } else i++;
  }
  return found;
}

/** Bytes from a small alphabet with both cases and a multi-byte character, so matches are common. */
const text = (maxLength: number) =>
  fc
    .array(fc.constantFrom("a", "A", "b", "B", "z", "Z", "[", "@", "é", "É", "\n"), { maxLength })
    .map((chars) => Buffer.from(chars.join("")));

describe("substring search", () => {
  it("finds the same offsets as a byte-by-byte scan, in every mode", () => {
    fc.assert(
      fc.property(
        text(300),
        text(5),
        fc.boolean(),
        fc.boolean(),
        fc.nat(20),
        (hay, needle, caseInsensitive, overlapping, from) => {
          const options = { caseInsensitive, overlapping, from };
          assert.deepEqual(findAllSubstrings(hay, needle, options), naive(hay, needle, options));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it("finds case-insensitive matches that straddle the 64 KiB chunks it folds", () => {
    const hay = Buffer.alloc(200_000, "x");
    // Chunks are [0, 65536) then [65531, 131067): 65533 and 131064 straddle a boundary.
    const offsets = [0, 65_533, 131_064, 199_994];
    for (const at of offsets) hay.write("NeEdLe", at, "latin1");
    const expected = naive(hay, Buffer.from("needle"), { caseInsensitive: true });
    assert.deepEqual(findAllSubstrings(hay, "nEEDLE", { caseInsensitive: true }), expected);
    assert.deepEqual(expected, offsets);
  });

  it("keeps non-overlapping semantics across folded chunk boundaries", () => {
    const hay = Buffer.alloc(140_000, "A");
    const options = { caseInsensitive: true };
    assert.deepEqual(findAllSubstrings(hay, "aaa", options), naive(hay, Buffer.from("aaa"), options));
  });

  it("never folds the bytes of a multi-byte character: É does not match é", () => {
    assert.deepEqual(findAllSubstrings(Buffer.from("É é"), "é", { caseInsensitive: true }), [3]);
  });

  it("stops at the limit", () => {
    assert.deepEqual(findAllSubstrings(Buffer.from("abababab"), "ab", { limit: 2 }), [0, 2]);
    assert.deepEqual(
      findAllSubstrings(Buffer.from("ABABABAB"), "ab", { limit: 3, caseInsensitive: true }),
      [0, 2, 4],
    );
    assert.deepEqual(findAllSubstrings(Buffer.from("ab"), "ab", { limit: 0 }), []);
  });

  it("matches nothing for an empty needle, a needle longer than the text, or a start past the end", () => {
    assert.deepEqual(findAllSubstrings(Buffer.from("abc"), ""), []);
    assert.deepEqual(findAllSubstrings(Buffer.from("ab"), "abc", { caseInsensitive: true }), []);
    assert.deepEqual(findAllSubstrings(Buffer.from("abc"), "c", { from: 3 }), []);
  });

  it("searches a plain Uint8Array view without copying it wrong", () => {
    const backing = new Uint8Array(Buffer.from("xxhello HELLO"));
    const view = backing.subarray(2);
    assert.deepEqual(findAllSubstrings(view, "hello", { caseInsensitive: true }), [0, 6]);
    assert.deepEqual(findAllSubstrings(view, new Uint8Array(Buffer.from("HELLO"))), [6]);
  });
});
