import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { type EditorEvent, EditorState, EngineError, packContext } from "../src/engine/index.js";

const at = (line: number, character: number) => ({ line, character });

describe("editor state", () => {
  it("numbers every update and tells listeners in order", () => {
    const state = new EditorState();
    const events: EditorEvent[] = [];
    state.onEvent((e) => events.push(e));
    state.open({ uri: "file:///a.ts", path: "/a.ts", text: "let a = 1;\n", languageId: "typescript" });
    state.setActive("file:///a.ts");
    state.update("file:///a.ts", { text: "let a = 2;\n", dirty: true });
    state.setSelections("file:///a.ts", [{ anchor: at(0, 4), active: at(0, 5) }]);
    state.setDiagnostics("file:///a.ts", []);
    state.saved("file:///a.ts");
    assert.deepEqual(
      events.map((e) => [e.version, e.kind]),
      [
        [1, "document-opened"],
        [2, "active-changed"],
        [3, "document-changed"],
        [4, "selection-changed"],
        [5, "diagnostics-changed"],
        [6, "document-saved"],
      ],
    );
    assert.equal(state.version, 6);
    assert.equal(state.document("file:///a.ts")?.dirty, false);
  });

  it("answers the current selection and keeps its text after the document changes", () => {
    const state = new EditorState();
    state.open({ uri: "file:///a", path: "/a", text: "alpha beta" });
    state.setActive("file:///a");
    const snapshot = state.setSelections("file:///a", [{ anchor: at(0, 6), active: at(0, 10) }]);
    state.update("file:///a", { text: "gamma" });
    assert.equal(state.selection()?.primary.text, "beta");
    assert.equal(snapshot.stateVersion, 3);
    assert.equal(state.latestSelection()?.primary.text, "beta");
  });

  it("keeps a bounded history of the latest non-empty selections, newest first", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.nat(5), fc.nat(5)), { maxLength: 60 }),
        fc.integer({ min: 1, max: 8 }),
        (moves, capacity) => {
          const state = new EditorState({ historySize: capacity });
          state.open({ uri: "file:///a", text: "0123456789" });
          for (const [anchor, active] of moves)
            state.setSelections("file:///a", [{ anchor: at(0, anchor), active: at(0, active) }]);
          const history = state.history.list();
          assert.ok(history.length <= capacity);
          assert.ok(history.every((s) => !s.isEmpty));
          const lastNonEmpty = [...moves].reverse().find(([a, b]) => a !== b);
          if (lastNonEmpty) assert.equal(history[0]?.selections[0]?.anchor.character, lastNonEmpty[0]);
          for (let i = 1; i < history.length; i++) {
            assert.ok(
              (history[i - 1] as { stateVersion: number }).stateVersion >
                (history[i] as { stateVersion: number }).stateVersion,
            );
          }
        },
      ),
    );
  });

  it("replaces a history entry while one selection is dragged from the same anchor", () => {
    const state = new EditorState();
    state.open({ uri: "file:///a", text: "0123456789" });
    for (let end = 1; end < 8; end++)
      state.setSelections("file:///a", [{ anchor: at(0, 0), active: at(0, end) }]);
    assert.equal(state.history.size, 1);
    assert.equal(state.latestSelection()?.primary.text, "0123456");
  });

  it("updates several documents' cursors as one batch, or none if one is not open", () => {
    const state = new EditorState();
    state.open({ uri: "file:///a", text: "aaaa" });
    state.open({ uri: "file:///b", text: "bbbb" });
    const [a, b] = state.setSelectionsBatch([
      {
        uri: "file:///a",
        selections: [
          { anchor: at(0, 0), active: at(0, 1) },
          { anchor: at(0, 2), active: at(0, 4) },
        ],
      },
      { uri: "file:///b", selections: [{ anchor: at(0, 1), active: at(0, 1) }] },
    ]);
    assert.deepEqual(
      a?.all.map((s) => s.text),
      ["a", "aa"],
    );
    assert.equal(b?.isEmpty, true);
    const before = state.version;
    assert.throws(
      () =>
        state.setSelectionsBatch([
          { uri: "file:///a", selections: [{ anchor: at(0, 0), active: at(0, 2) }] },
          { uri: "file:///missing", selections: [{ anchor: at(0, 0), active: at(0, 1) }] },
        ]),
      (e: unknown) => e instanceof EngineError && e.code === "NOT_FOUND",
    );
    assert.equal(state.version, before);
    assert.equal(state.selection("file:///a")?.all.length, 2);
  });

  it("orders diagnostics most severe first and forgets a closed document's state", () => {
    const state = new EditorState();
    state.open({ uri: "file:///a", text: "x\ny" });
    state.setDiagnostics("file:///a", [
      { range: { start: at(0, 0), end: at(0, 1) }, severity: "Warning", message: "w" },
      { range: { start: at(1, 0), end: at(1, 1) }, severity: "Error", message: "e" },
    ]);
    assert.deepEqual(
      state.diagnostics("file:///a").map((d) => d.message),
      ["e", "w"],
    );
    state.setSelections("file:///a", [{ anchor: at(0, 0), active: at(1, 1) }]);
    state.close("file:///a");
    assert.deepEqual(state.diagnostics("file:///a"), []);
    assert.equal(state.latestSelection(), undefined);
  });
});

describe("mentions", () => {
  it("keeps the latest mentions newest first, bounded, and announces each", () => {
    const state = new EditorState({ mentionsKept: 2, now: () => 7 });
    const events: EditorEvent[] = [];
    state.onEvent((e) => events.push(e));
    state.mention({ path: "/w/a.ts", lineStart: 2, lineEnd: 4 });
    state.mention({ path: "/w/b.ts" });
    state.mention({ path: "/w/c.ts", lineStart: 9 });
    state.mention({ path: "/w/src/", lineStart: 1, lineEnd: 2 });
    assert.deepEqual(state.mentions(), [
      { path: "/w/src/", at: 7 },
      { path: "/w/c.ts", lineStart: 9, lineEnd: 9, at: 7 },
    ]);
    assert.deepEqual(
      events.map((e) => (e.kind === "mentioned" ? e.mention.path : e.kind)),
      ["/w/a.ts", "/w/b.ts", "/w/c.ts", "/w/src/"],
    );
  });

  it("refuses a relative path, negative or fractional lines, and an end before the start", () => {
    const state = new EditorState();
    const refused = (input: Parameters<EditorState["mention"]>[0], message: RegExp) =>
      assert.throws(
        () => state.mention(input),
        (error: unknown) =>
          error instanceof EngineError && error.code === "INVALID_ARGUMENT" && message.test(error.message),
      );
    refused({ path: "a.ts" }, /absolute path/);
    refused({ path: 3 }, /absolute path/);
    refused({ path: "/a.ts", lineStart: -1 }, /lineStart must be a 0-based line number/);
    refused({ path: "/a.ts", lineStart: 1, lineEnd: 1.5 }, /lineEnd must be/);
    refused({ path: "/a.ts", lineStart: 5, lineEnd: 2 }, /lineEnd \(2\) comes before lineStart \(5\)/);
    assert.deepEqual(state.mentions(), []);
    assert.equal(state.version, 0);
  });

  it("packs mentioned lines of an open file into the context, 1-based", () => {
    const state = new EditorState();
    state.open({ uri: "file:///w/a.ts", path: "/w/a.ts", text: "one\ntwo\nthree\nfour\n" });
    state.mention({ path: "/w/a.ts", lineStart: 1, lineEnd: 2 });
    state.mention({ path: "/w/closed.ts" });
    const packed = packContext(state, { budgetTokens: 1_000 });
    assert.deepEqual(packed.mentions, [
      { filePath: "/w/closed.ts" },
      { filePath: "/w/a.ts", startLine: 2, endLine: 3, text: "two\nthree", truncated: false },
    ]);
  });
});

describe("context packing", () => {
  function busyState(): EditorState {
    const state = new EditorState();
    const text = Array.from({ length: 200 }, (_, i) => `line ${i} ${"x".repeat(40)}`).join("\n");
    state.open({ uri: "file:///w/a.ts", path: "/w/a.ts", text, languageId: "typescript" });
    state.open({ uri: "file:///w/b.ts", path: "/w/b.ts", text: "b", languageId: "typescript" });
    state.setActive("file:///w/a.ts");
    state.setSelections("file:///w/a.ts", [{ anchor: at(100, 0), active: at(102, 4) }]);
    state.setDiagnostics(
      "file:///w/a.ts",
      Array.from({ length: 30 }, (_, i) => ({
        range: { start: at(i, 0), end: at(i, 1) },
        severity: "Error" as const,
        message: `problem ${i}`,
      })),
    );
    return state;
  }

  it("fits the selection, the lines around the cursor, diagnostics and open files into a large budget", () => {
    const packed = packContext(busyState(), { budgetTokens: 20_000, linesAround: 5 });
    assert.equal(packed.selection?.text.startsWith("line 100"), true);
    assert.equal(packed.around?.startLine, 98);
    assert.equal(packed.around?.endLine, 108);
    assert.equal(packed.diagnostics.length, 30);
    assert.equal(packed.openFiles.length, 2);
    assert.deepEqual(packed.omitted, []);
    assert.ok(packed.tokens.used <= 20_000);
  });

  it("never exceeds a small budget, and says what it left out", () => {
    for (const budget of [80, 150, 300, 600]) {
      const packed = packContext(busyState(), { budgetTokens: budget });
      assert.ok(packed.tokens.used <= budget, `used ${packed.tokens.used} of ${budget}`);
      assert.ok(packed.omitted.length > 0);
      assert.ok(packed.selection !== null);
    }
  });
});
