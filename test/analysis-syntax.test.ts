import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { editBetween } from "../src/engine/analysis/document-trees.js";
import { ByteLru, DocumentTrees, Engine, type SyntaxFileResult } from "../src/engine/index.js";
import { languageById } from "../src/engine/symbols/languages.js";
import { fixtureCopy } from "./helpers/analysis-fixtures.js";
import { tempDir } from "./helpers/sdk-client.js";

const engines: Engine[] = [];
after(() => Promise.all(engines.map((e) => e.dispose())));
function engine(root: string, allowWrites = false): Engine {
  const created = new Engine({ roots: [root], allowWrites, symbolCache: false, workers: 1 });
  engines.push(created);
  return created;
}

/** `line:column-endLine:endColumn message` for each error, as a reader compares them. */
const errors = (file: SyntaxFileResult | undefined) =>
  (file?.errors ?? []).map(
    (e) =>
      `${e.range.start.line}:${e.range.start.column}-${e.range.end.line}:${e.range.end.column} ${e.message}`,
  );

describe("syntax_check engine", () => {
  const root = fixtureCopy("syntax");
  const rune = engine(root);

  it("reports missing and unexpected tokens with exact ranges in several languages", async () => {
    const { files } = await rune.scope.syntax.check({
      paths: ["missing-paren.ts", "extra-brace.js", "bad.py", "bad.go", "bad.rs"],
    });
    assert.deepEqual(
      files.map((f) => [f.language, f.status, errors(f)]),
      [
        ["typescript", "errors", ["3:27-3:27 Missing `)` in for in statement"]],
        ["javascript", "errors", ["4:1-4:2 Unexpected `}`"]],
        ["python", "errors", ["5:5-5:19 Unexpected `def size(self:` in class definition `Box`"]],
        ["go", "errors", ["5:1-5:1 Missing `}` in block"]],
        ["rust", "errors", ["2:13-2:14 Unexpected `1` in let declaration"]],
      ],
    );
  });

  it("counts columns in UTF-16 code units, as editors do", async () => {
    // `"café 😀"`: é is one unit and the emoji two, so `)` is missing at column 36.
    const { files } = await rune.scope.syntax.check({ paths: ["unicode.ts"] });
    assert.deepEqual(errors(files[0]), ["1:36-1:36 Missing `)` in arguments"]);
  });

  it("finds nothing in clean files", async () => {
    const { files } = await rune.scope.syntax.check({ paths: ["clean.ts", "clean.py", "clean.go"] });
    assert.deepEqual(
      files.map((f) => [f.status, f.totalErrors]),
      [
        ["ok", 0],
        ["ok", 0],
        ["ok", 0],
      ],
    );
  });

  it("checks an unsaved buffer given as text and language", async () => {
    const { files } = await rune.scope.syntax.check({ text: "def f(:\n  pass\n", language: "python" });
    assert.equal(files[0]?.source, "text");
    assert.deepEqual(errors(files[0]), ["1:7-1:7 Missing `)` in parameters"]);
    await assert.rejects(
      rune.scope.syntax.check({ text: "x", language: "cobol" }),
      /no grammar for language "cobol"/,
    );
    await assert.rejects(rune.scope.syntax.check({ text: "x" }), /text needs a language/);
  });

  it("reports binary, oversized, unsupported, missing and outside files per file without failing the batch", async () => {
    const dir = tempDir("rune-syntax-odd-");
    writeFileSync(join(dir, "image.ts"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 1, 2]));
    writeFileSync(join(dir, "big.ts"), `export const x = 1;\n${"// padding\n".repeat(200)}`);
    writeFileSync(join(dir, "notes.txt"), "plain text\n");
    writeFileSync(join(dir, "ok.ts"), "export const ok = true;\n");
    const odd = engine(dir);
    const { files } = await odd.scope.syntax.check({
      paths: ["image.ts", "big.ts", "notes.txt", "gone.ts", "/etc/passwd", ".", "ok.ts"],
      maxFileBytes: 1000,
    });
    assert.deepEqual(
      files.map((f) => [f.status, f.skipped]),
      [
        ["skipped", "binary"],
        ["skipped", "large"],
        ["skipped", "language"],
        ["skipped", "invalid"],
        ["skipped", "invalid"],
        ["skipped", "invalid"],
        ["ok", undefined],
      ],
    );
    assert.match(files[0]?.message ?? "", /binary file/);
    assert.match(files[1]?.message ?? "", /larger than 1000 bytes/);
    assert.match(files[2]?.message ?? "", /no tree-sitter grammar/);
    assert.match(files[3]?.message ?? "", /NOT_FOUND/);
    assert.match(files[4]?.message ?? "", /PATH_OUTSIDE_ROOT/);
    assert.match(files[5]?.message ?? "", /a directory/);
  });
});

describe("incremental re-parse", () => {
  it("re-parses an edited file from its kept tree and finds what a fresh parse finds", async () => {
    const root = fixtureCopy("syntax");
    const rune = engine(root, true);
    const first = await rune.scope.syntax.check({ paths: ["clean.ts"] });
    assert.equal(first.files[0]?.parse, "full");
    // The edit goes through Rune's own write path, which re-parses the kept tree at once.
    rune.files.edit("clean.ts", [
      { oldText: "for (const item of items) {", newText: "for (const item of items {" },
    ]);
    const second = await rune.scope.syntax.check({ paths: ["clean.ts"] });
    assert.equal(second.files[0]?.parse === "incremental" || second.files[0]?.parse === "cached", true);
    assert.ok(rune.syntax.trees.counts.incremental >= 1, "the kept tree was edited and re-parsed");
    const fresh = await engine(root).scope.syntax.check({ paths: ["clean.ts"] });
    assert.equal(fresh.files[0]?.parse, "full");
    assert.deepEqual(errors(second.files[0]), errors(fresh.files[0]));
    assert.deepEqual(errors(second.files[0]), ["3:27-3:27 Missing `)` in for in statement"]);
  });

  it("re-parses a kept tree when the file watcher reports a change made outside Rune", async () => {
    const root = fixtureCopy("syntax");
    const rune = engine(root);
    await rune.watch();
    await rune.scope.syntax.check({ paths: ["clean.go"] });
    writeFileSync(join(root, "clean.go"), "package shapes\n\nfunc Area(w, h int) int {\n\treturn w * h\n");
    // Wait for the watcher's event (not a fixed sleep): the kept tree is re-parsed incrementally.
    for (let i = 0; i < 200 && rune.syntax.trees.counts.incremental === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    assert.equal(rune.syntax.trees.counts.incremental, 1);
    const { files } = await rune.scope.syntax.check({ paths: ["clean.go"] });
    assert.equal(files[0]?.parse, "cached");
    assert.deepEqual(errors(files[0]), ["5:1-5:1 Missing `}` in block"]);
  });

  it("follows the editor's unsaved text, incrementally", async () => {
    const root = fixtureCopy("syntax");
    const rune = engine(root);
    const path = join(root, "clean.py");
    await rune.scope.syntax.check({ paths: [path] });
    const uri = `file://${path}`;
    rune.editor.open({
      uri,
      path,
      text: "def area(w, h):\n    return w * h\n",
      languageId: "python",
      version: 3,
    });
    rune.editor.update(uri, {
      changes: [{ range: { start: { line: 0, character: 8 }, end: { line: 0, character: 9 } }, text: "" }],
      version: 4,
    });
    const { files } = await rune.scope.syntax.check({ paths: [path] });
    assert.equal(files[0]?.source, "editor");
    assert.equal(files[0]?.documentVersion, 4);
    assert.deepEqual(errors(files[0]), ["1:1-2:17 Unexpected `def areaw, h):`"]);
    assert.ok(rune.syntax.trees.counts.incremental >= 1);
    const fresh = await engine(tempDir()).scope.syntax.check({
      text: rune.editor.document(uri)?.text ?? "",
      language: "python",
    });
    assert.deepEqual(errors(files[0]), errors(fresh.files[0]));
  });

  it("gives the same trees as fresh parses over a sequence of random edits", async () => {
    const trees = new DocumentTrees();
    const fresh = new DocumentTrees();
    const spec = languageById("typescript");
    let text =
      'export function f(a: number) {\n  const s = "é😀";\n  return a + 1;\n}\nclass C { m() { return 2; } }\n';
    const pieces = ["(", ")", "{", "}", ";", "\n", "x", " + 1", "é", "😀", "return ", ""];
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const sexp = (t: { rootNode: { toString(): string } }) => t.rootNode.toString();
    await trees.withTree("doc", spec, text, () => undefined);
    for (let i = 0; i < 60; i++) {
      const start = random(text.length + 1);
      const end = Math.min(text.length, start + random(4));
      text = text.slice(0, start) + (pieces[random(pieces.length)] as string) + text.slice(end);
      // Never split a surrogate pair: an editor does not either.
      text = text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, "");
      const incremental = await trees.withTree("doc", spec, text, sexp);
      const full = await fresh.withTree(`fresh-${i}`, spec, text, sexp);
      assert.equal(incremental.value, full.value, `edit ${i}: ${JSON.stringify(text)}`);
    }
    assert.ok(trees.counts.incremental > 50);
    trees.dispose();
    fresh.dispose();
  });

  it("describes an edit by the span between common prefix and suffix, in UTF-16 units and rows", () => {
    const edit = editBetween("ab\ncd😀ef", "ab\ncXd😀ef");
    assert.deepEqual(
      [edit.startIndex, edit.oldEndIndex, edit.newEndIndex, edit.startPosition, edit.newEndPosition],
      [4, 4, 5, { row: 1, column: 1 }, { row: 1, column: 2 }],
    );
  });
});

describe("syntax trees in the engine's shared cache", () => {
  const spec = languageById("typescript");
  const source = (n: number) => `export function f${n}(a: number) {\n  return a + ${n};\n}\n`;

  it("keeps trees as cache entries of kind tree, counted as hits and misses, incremental after a change", async () => {
    const cache = new ByteLru({ budgetBytes: 1024 * 1024 });
    const trees = new DocumentTrees({ cache });
    assert.equal((await trees.withTree("a.ts", spec, source(1), () => 0)).parse, "full");
    assert.equal((await trees.withTree("a.ts", spec, source(1), () => 0)).parse, "cached");
    assert.equal((await trees.withTree("a.ts", spec, source(2), () => 0)).parse, "incremental");
    const stats = cache.snapshot().kinds.tree;
    assert.deepEqual([stats?.misses, stats?.hits, stats?.entries], [1, 2, 1]);
    assert.ok((stats?.bytes ?? 0) > source(2).length);
    trees.dispose();
    assert.equal(cache.snapshot().kinds.tree?.entries, 0);
  });

  it("frees a tree the cache evicts (budget or memory pressure), and parses it afresh next time", async () => {
    const cache = new ByteLru({ budgetBytes: 1024 * 1024 });
    const trees = new DocumentTrees({ cache });
    await trees.withTree("a.ts", spec, source(1), () => 0);
    await trees.withTree("b.ts", spec, source(2), () => 0);
    cache.shrinkTo(0, true);
    assert.equal(trees.keys().length, 0, "the evicted trees left the index");
    assert.equal((await trees.withTree("a.ts", spec, source(1), () => 0)).parse, "full");
    // Another kind filling the budget pushes the least recently used tree out too.
    cache.set("search", "q", {}, 1024 * 1024 - 100);
    assert.equal(trees.has("a.ts"), false);
    trees.dispose();
  });

  it("uses and frees at once a tree larger than the whole cache, keeping nothing", async () => {
    const cache = new ByteLru({ budgetBytes: 64 });
    const trees = new DocumentTrees({ cache });
    const { value } = await trees.withTree("big.ts", spec, source(3), (tree) => tree.rootNode.type);
    assert.equal(value, "program");
    assert.equal(trees.has("big.ts"), false);
    assert.equal(cache.snapshot().entries, 0);
    trees.dispose();
  });
});
