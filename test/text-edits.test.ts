import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import fc from "fast-check";
import { EngineError } from "../src/engine/index.js";
import { LineStarts } from "../src/engine/text/line-starts.js";
import { applyChanges, invertChanges, planEdits, type TextEdit } from "../src/engine/text/text-edits.js";
import { unifiedDiff } from "../src/engine/text/unified-diff.js";
import { tempDir } from "./helpers/sdk-client.js";

function target(text: string | Buffer) {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  const lines = LineStarts.of(bytes);
  const bomLength = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const last = lines.lineCount - 1;
  const lineCount =
    bytes.length <= bomLength ? 0 : lines.start(last) === bytes.length ? last : lines.lineCount;
  return { bytes, lines, bomLength, lineCount };
}

function edit(text: string, edits: TextEdit[]): string {
  const t = target(text);
  return applyChanges(t.bytes, planEdits(t, edits)).toString();
}

function refusal(fn: () => unknown, code: string): void {
  assert.throws(fn, (error: unknown) => error instanceof EngineError && error.code === code);
}

/**
 * Applies a unified diff to `original` the way patch(1) would, strictly: every context and removed
 * line must match. A reference for the property that our diffs are correct, not just plausible.
 */
function applyUnifiedDiff(original: string, diff: string): string {
  const lines = original.split(/(?<=\n)/).filter((l) => l !== "");
  const out: string[] = [];
  let at = 0;
  const body = diff.split("\n").slice(2);
  for (let i = 0; i < body.length; i++) {
    const line = body[i] as string;
    const hunk = /^@@ -(\d+),(\d+) \+\d+,\d+ @@$/.exec(line);
    if (hunk) {
      const start = Number(hunk[1]) - (hunk[2] === "0" ? 0 : 1);
      while (at < start) out.push(lines[at++] as string);
      continue;
    }
    const text = line.slice(1);
    const noBreak = body[i + 1] === "\\ No newline at end of file";
    if (line[0] === " " || line[0] === "-") {
      assert.equal(
        (lines[at] as string).replace(/\n$/, ""),
        text,
        `${line[0] === " " ? "context" : "removed"} line matches`,
      );
      if (line[0] === " ") out.push(lines[at] as string);
      at++;
    } else if (line[0] === "+") {
      out.push(noBreak ? text : `${text}\n`);
    }
  }
  while (at < lines.length) out.push(lines[at++] as string);
  return out.join("");
}

/** LF-only text made of a few distinct lines, so matches are sometimes ambiguous. */
const document = fc
  .array(fc.constantFrom("alpha", "beta", "gamma", "", "  indented", "é😀", "delta epsilon"), {
    maxLength: 30,
  })
  .chain((lines) => fc.boolean().map((final) => lines.join("\n") + (final && lines.length > 0 ? "\n" : "")));

/** Random edits against a document: line ranges and replacements of substrings that occur in it. */
function editsFor(text: string) {
  const t = target(text);
  const count = t.lineCount;
  const lineEdit = fc
    .tuple(fc.integer({ min: 1, max: count + 1 }), fc.nat(3), fc.constantFrom("", "new line", "x\ny", "z\n"))
    .map(
      ([startLine, span, newText]): TextEdit => ({
        startLine,
        endLine: Math.min(count, startLine - 1 + span),
        newText,
      }),
    );
  const replaceEdit =
    text.length === 0
      ? lineEdit
      : fc
          .tuple(
            fc.nat(text.length - 1),
            fc.integer({ min: 1, max: 12 }),
            fc.constantFrom("", "Q", "R\nS", "\n"),
          )
          .map(
            ([from, length, newText]): TextEdit => ({
              oldText: text.slice(from, from + length),
              newText,
              replaceAll: true,
            }),
          );
  return fc.array(fc.oneof(lineEdit, replaceEdit), { minLength: 1, maxLength: 3 });
}

describe("text edits", () => {
  it("followed by their inverse give back the original bytes", () => {
    fc.assert(
      fc.property(
        document.chain((text) => fc.tuple(fc.constant(text), editsFor(text))),
        ([text, edits]) => {
          const t = target(text);
          let changes: ReturnType<typeof planEdits>;
          try {
            changes = planEdits(t, edits);
          } catch (error) {
            if (
              error instanceof EngineError &&
              ["EDIT_OVERLAP", "NO_MATCH", "INVALID_ARGUMENT"].includes(error.code)
            )
              return;
            throw error;
          }
          const edited = applyChanges(t.bytes, changes);
          const restored = applyChanges(edited, invertChanges(t.bytes, changes));
          assert.deepEqual(restored, t.bytes);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("produce a unified diff that, applied to the original, gives the edited text", () => {
    fc.assert(
      fc.property(
        document.chain((text) => fc.tuple(fc.constant(text), editsFor(text))),
        ([text, edits]) => {
          const t = target(text);
          let changes: ReturnType<typeof planEdits>;
          try {
            changes = planEdits(t, edits);
          } catch (error) {
            if (error instanceof EngineError) return;
            throw error;
          }
          const edited = applyChanges(t.bytes, changes).toString();
          const diff = unifiedDiff("f.txt", t.bytes, t.lines, changes);
          if (edited === text) return;
          assert.equal(applyUnifiedDiff(text, diff), edited, diff);
        },
      ),
      { numRuns: 500 },
    );
  });

  it("match the hunks diff -u prints for a simple change", () => {
    const dir = tempDir("rune-diff-");
    const before = `${Array.from({ length: 20 }, (_, i) => `line ${i + 1}`).join("\n")}\n`;
    const t = target(before);
    const changes = planEdits(t, [
      { oldText: "line 5\n", newText: "line five\n" },
      { startLine: 15, endLine: 14, newText: "inserted" },
    ]);
    const after = applyChanges(t.bytes, changes).toString();
    writeFileSync(join(dir, "a"), before);
    writeFileSync(join(dir, "b"), after);
    const reference = spawnSync("diff", ["-u", "a", "b"], { cwd: dir, encoding: "utf8" }).stdout;
    const ours = unifiedDiff("f", t.bytes, t.lines, changes);
    const hunks = (d: string) => d.split("\n").filter((l) => !l.startsWith("---") && !l.startsWith("+++"));
    assert.deepEqual(hunks(ours), hunks(reference));
  });

  it("keep the file's line breaks: LF written into a CRLF file becomes CRLF", () => {
    assert.equal(edit("a\r\nb\r\nc\r\n", [{ oldText: "b\nc", newText: "B\nC" }]), "a\r\nB\r\nC\r\n");
    assert.equal(edit("a\r\nb\r\n", [{ startLine: 2, endLine: 2, newText: "x\ny" }]), "a\r\nx\r\ny\r\n");
    assert.equal(edit("a\rb\r", [{ startLine: 3, endLine: 2, newText: "c" }]), "a\rb\rc\r");
  });

  it("keep the BOM, and replace, insert and append whole lines", () => {
    assert.equal(edit("\ufeffa\nb\n", [{ startLine: 1, endLine: 1, newText: "A" }]), "\ufeffA\nb\n");
    assert.equal(edit("a\nb\n", [{ startLine: 2, endLine: 1, newText: "between" }]), "a\nbetween\nb\n");
    assert.equal(edit("a\nb", [{ startLine: 3, endLine: 2, newText: "c" }]), "a\nb\nc");
    assert.equal(edit("a\nb\nc\n", [{ startLine: 2, endLine: 2, newText: "" }]), "a\nc\n");
    assert.equal(edit("", [{ startLine: 1, endLine: 0, newText: "first\n" }]), "first\n");
  });

  it("locate every edit in the original, so their order does not matter", () => {
    const text = "one\ntwo\nthree\n";
    const forward = edit(text, [
      { oldText: "one", newText: "1" },
      { oldText: "three", newText: "3" },
    ]);
    const backward = edit(text, [
      { oldText: "three", newText: "3" },
      { oldText: "one", newText: "1" },
    ]);
    assert.equal(forward, "1\ntwo\n3\n");
    assert.equal(backward, forward);
    assert.equal(edit("x x x", [{ oldText: "x", newText: "y", replaceAll: true }]), "y y y");
  });

  it("refuse text that is missing, ambiguous or overlapping, saying where", () => {
    const t = target("alpha\nbeta\nalpha\n");
    refusal(() => planEdits(t, [{ oldText: "gamma", newText: "" }]), "NO_MATCH");
    refusal(() => planEdits(t, [{ oldText: "alpha", newText: "" }]), "AMBIGUOUS_MATCH");
    assert.throws(() => planEdits(t, [{ oldText: "alpha", newText: "" }]), /lines 1 and 3/);
    assert.throws(() => planEdits(t, [{ oldText: "beta  ", newText: "" }]), /first line occurs at line 2/);
    refusal(
      () =>
        planEdits(t, [
          { oldText: "beta", newText: "" },
          { startLine: 2, endLine: 3, newText: "" },
        ]),
      "EDIT_OVERLAP",
    );
    refusal(() => planEdits(t, [{ startLine: 9, endLine: 9, newText: "" }]), "INVALID_ARGUMENT");
    refusal(() => planEdits(t, [{ startLine: 2, endLine: 0, newText: "" }]), "INVALID_ARGUMENT");
    refusal(() => planEdits(t, [{ oldText: "", newText: "x" }]), "INVALID_ARGUMENT");
    refusal(() => planEdits(t, []), "INVALID_ARGUMENT");
  });

  it("leave invalid UTF-8 outside the edits byte for byte", () => {
    const bytes = Buffer.concat([
      Buffer.from("ok\n"),
      Buffer.from([0xff, 0xfe, 0x80]),
      Buffer.from("\nend\n"),
    ]);
    const t = target(bytes);
    const out = applyChanges(t.bytes, planEdits(t, [{ oldText: "end", newText: "END" }]));
    assert.deepEqual(out.subarray(0, 7), bytes.subarray(0, 7));
    assert.equal(out.subarray(7).toString(), "END\n");
  });
});
