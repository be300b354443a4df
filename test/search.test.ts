import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { after, describe, it } from "node:test";
import fc from "fast-check";
import { Engine, EngineError } from "../src/engine/index.js";
import { rankFuzzy } from "../src/engine/text/fuzzy-score.js";
import { fanOutFiles } from "../src/engine/workers/file-fan-out.js";
import { WorkerPool } from "../src/engine/workers/worker-pool.js";
import { tempDir } from "./helpers/sdk-client.js";

function tree(files: Record<string, string | Buffer>): string {
  const root = tempDir("rune-search-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

const engines: Engine[] = [];
function engineFor(root: string): Engine {
  const engine = new Engine({ roots: [root], allowWrites: false });
  engines.push(engine);
  return engine;
}
after(() => Promise.all(engines.map((e) => e.dispose())));

/** (file, line, column) triples, the way a reader checks results. */
function hits(result: Awaited<ReturnType<Engine["scope"]["search"]["search"]>>, root: string): string[] {
  return result.files.flatMap((f) =>
    f.matches.map((m) => `${f.path.slice(root.length + 1)}:${m.line}:${m.column}`),
  );
}

/** The obvious search: every line containing the literal, column of its first occurrence in UTF-16. */
function reference(files: Record<string, string>, needle: string): string[] {
  const out: string[] = [];
  for (const path of Object.keys(files).sort()) {
    (files[path] as string).split("\n").forEach((line, i) => {
      const at = line.replace(/\r$/, "").indexOf(needle);
      if (at !== -1) out.push(`${path}:${i + 1}:${at + 1}`);
    });
  }
  return out;
}

describe("workspace search", () => {
  it("finds literals with 1-based lines and UTF-16 columns, on any text", async () => {
    const line = fc
      .array(fc.constantFrom("a", "b", "ab", "é", "😀", " ", "\r"), { maxLength: 12 })
      .map((p) => p.join(""));
    const content = fc.array(line, { maxLength: 12 }).map((lines) => lines.join("\n"));
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom("x.txt", "dir/y.txt", "z.md"), content, { minKeys: 1 }),
        fc.constantFrom("ab", "b", "😀a", "é", "a a"),
        async (files, needle) => {
          const root = tree(files);
          const engine = engineFor(root);
          const result = await engine.scope.search.search({
            patterns: [needle],
            ignoreCase: false,
            maxResults: 10_000,
          });
          assert.deepEqual(hits(result, root), reference(files, needle));
          assert.equal(result.partial, false);
        },
      ),
      { numRuns: 40 },
    );
  });

  const root = tree({
    "src/app.ts":
      "import { Engine } from './engine';\nconst engine = new Engine();\r\nexport default engine;\n",
    "src/util.py": "def helper():\n    return 'Engine'\n",
    "docs/notes.md": "line one\nline two\nthe ENGINE room\nline four\n",
    "ignored/out.txt": "Engine",
    ".gitignore": "ignored/\n",
    "bin/blob.dat": Buffer.concat([Buffer.from("Engine"), Buffer.alloc(10)]),
  });
  const engine = engineFor(root);
  const search = engine.scope.search;

  it("ignores case unless the pattern has an upper-case letter, and skips ignored and binary files", async () => {
    const smart = await search.search({ patterns: ["engine"] });
    assert.deepEqual(hits(smart, root), [
      "docs/notes.md:3:5",
      "src/app.ts:1:10",
      "src/app.ts:2:7",
      "src/app.ts:3:16",
      "src/util.py:2:13",
    ]);
    assert.equal(smart.stats.skippedBinary, 1);
    const exact = await search.search({ patterns: ["Engine"] });
    assert.deepEqual(hits(exact, root), ["src/app.ts:1:10", "src/app.ts:2:20", "src/util.py:2:13"]);
    const forced = await search.search({ patterns: ["Engine"], ignoreCase: true });
    assert.equal(forced.matches, 5);
  });

  it("runs regular expressions with ^ and $ at line ends, and several literals at once", async () => {
    const regex = await search.search({ patterns: ["^const \\w+"], regex: true });
    assert.deepEqual(hits(regex, root), ["src/app.ts:2:1"]);
    assert.equal(regex.files[0]?.matches[0]?.text, "const engine = new Engine();");
    const anyOf = await search.search({ patterns: ["helper", "line two", "default"] });
    assert.deepEqual(hits(anyOf, root), ["docs/notes.md:2:1", "src/app.ts:3:8", "src/util.py:1:5"]);
  });

  it("returns context lines around each match", async () => {
    const result = await search.search({ patterns: ["ENGINE"], context: 1 });
    const match = result.files[0]?.matches[0];
    assert.deepEqual(
      [match?.before, match?.text, match?.after],
      [["line two"], "the ENGINE room", ["line four"]],
    );
  });

  it("shows each line once: context stops at the next match and leaves out what was shown", async () => {
    const dense = tree({
      "d.txt": ["a", "hit 1", "b", "hit 2", "hit 3", "c", "d", "e", "f", "hit 4", "g"].join("\n"),
    });
    const result = await engineFor(dense).scope.search.search({ patterns: ["hit"], context: 2 });
    assert.deepEqual(
      result.files[0]?.matches.map((m) => [m.before, m.line, m.after]),
      [
        [["a"], 2, ["b"]],
        [[], 4, []],
        [[], 5, ["c", "d"]],
        [["e", "f"], 10, ["g"]],
      ],
    );
  });

  it("searches UTF-16 files marked by a byte-order mark, as ripgrep does, with columns in their text", async () => {
    const root = tempDir("rune-search-utf16-");
    const text = "first line\r\nsay foo bar\r\n";
    writeFileSync(
      join(root, "le.txt"),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, "utf16le")]),
    );
    const be = Buffer.from(text, "utf16le").swap16();
    writeFileSync(join(root, "be.txt"), Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
    // UTF-32 (FF FE 00 00) is no UTF-16: after decoding it is full of NULs, so binary.
    writeFileSync(
      join(root, "utf32.txt"),
      Buffer.from([0xff, 0xfe, 0, 0, 0x66, 0, 0, 0, 0x6f, 0, 0, 0, 0x6f, 0, 0, 0]),
    );
    const result = await engineFor(root).scope.search.search({ patterns: ["foo"] });
    assert.deepEqual(hits(result, root), ["be.txt:2:5", "le.txt:2:5"]);
    assert.equal(result.stats.skippedBinary, 1);
  });

  it("keeps what tasks in flight found when the time limit comes", async () => {
    // Each file takes a while (a backtracking but finishing regex over one long line): at the
    // limit, every task is mid-batch; each stops at its next file and its matches count.
    const slow = tempDir("rune-search-slow-");
    const line = "ab".repeat(1_500);
    for (let i = 0; i < 260; i++)
      writeFileSync(join(slow, `f${String(i).padStart(3, "0")}.txt`), `hello\n${line}\n`);
    const result = await engineFor(slow).scope.search.search({
      patterns: ["hello|(a|b)*c"],
      regex: true,
      timeoutMs: 400,
    });
    assert.equal(result.reason, "timeout");
    assert.ok(result.matches > 0, "matches found before the limit are returned");
  });

  it("keeps the matches found in a long file when the time limit comes inside it", async () => {
    // One file: matching lines between lines that take the expression a few ms each to reject.
    // The task is inside it at the limit; it stops there with what it found, instead of being
    // stopped after the grace period with nothing.
    const slow = tempDir("rune-search-long-");
    writeFileSync(join(slow, "long.txt"), `hello\n${"ab".repeat(1_500)}\n`.repeat(3_000));
    const result = await engineFor(slow).scope.search.search({
      patterns: ["hello|(a|b)*c"],
      regex: true,
      maxResults: 10_000,
      timeoutMs: 300,
    });
    assert.equal(result.reason, "timeout");
    assert.ok(result.matches > 0, "matches found before the limit are returned");
    assert.equal(result.files[0]?.matches[0]?.line, 1);
  });

  it("bounds a result's text, cutting it as partial for its size", async () => {
    const wide = tree({ "w.txt": `${"needle ".repeat(40)}\n`.repeat(10_000) });
    const result = await engineFor(wide).scope.search.search({
      patterns: ["needle"],
      maxResults: 10_000,
      context: 20,
      maxLineChars: 300,
    });
    const chars = result.files
      .flatMap((f) => f.matches)
      .reduce((n, m) => n + m.text.length + [...(m.before ?? []), ...(m.after ?? [])].join("").length, 0);
    assert.deepEqual([result.partial, result.reason], [true, "size"]);
    assert.ok(chars <= 2_000_000 && result.matches < 10_000, `${chars} characters, ${result.matches} lines`);
  });

  it("searches only where asked, with globs", async () => {
    assert.deepEqual(
      hits(await search.search({ patterns: ["engine"], paths: ["src"], include: ["*.py"] }), root),
      ["src/util.py:2:13"],
    );
    assert.deepEqual(hits(await search.search({ patterns: ["engine"], exclude: ["src"] }), root), [
      "docs/notes.md:3:5",
    ]);
    // A file named directly is searched even if the ignore rules leave it out.
    assert.deepEqual(hits(await search.search({ patterns: ["Engine"], paths: ["ignored/out.txt"] }), root), [
      "ignored/out.txt:1:1",
    ]);
  });

  it("shares many files given by name among the threads, in batches, before walking any folder", async () => {
    // The pool only sizes the fan-out here: the batches go to a recording function, not to threads.
    const pool = new WorkerPool({ threads: 2 });
    const files = Array.from({ length: 300 }, (_, i) => `/given/${i}.ts`);
    const folder = tree(Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.ts`, ""])));
    const batches: number[] = [];
    let inFlight = 0;
    let most = 0;
    await fanOutFiles(
      pool,
      { targets: [{ root: folder, start: folder }], files },
      async (batch) => {
        batches.push(batch.length);
        most = Math.max(most, ++inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
      },
      () => "continue",
    );
    assert.deepEqual(batches, [128, 128, 128, 128, 88]);
    assert.ok(most <= 2 * pool.threads);
    assert.equal(pool.stats().started, false);
  });

  it("refuses a task the threads do not know, and keeps serving tasks of each kind on a fresh thread", async () => {
    const pool = new WorkerPool({ threads: 1 });
    try {
      await assert.rejects(pool.run("nonsense" as "search", {} as never), /Unknown worker task: nonsense/);
      const folder = tree({ "a.ts": "export class Found {}\n" });
      const budget = new SharedArrayBuffer(4);
      new Int32Array(budget)[0] = 10;
      const spec = {
        mode: "literal" as const,
        patterns: ["Found"],
        ignoreCase: false,
        context: 0,
        maxLineChars: 300,
      };
      const file = join(folder, "a.ts");
      // Each kind's code loads in the thread the first time it is asked for.
      const [searched, symbols] = await Promise.all([
        pool.run("search", { files: [file], spec, budget, maxFileBytes: 1 << 20 }),
        pool.run("symbols", { files: [{ path: file }], maxFileBytes: 1 << 20 }),
      ]);
      assert.equal(searched.results[0]?.matches[0]?.column, 14);
      assert.equal(symbols.files[0]?.language, "typescript");
      assert.equal(symbols.parsed, 1);
    } finally {
      await pool.close();
    }
  });

  it("caps matching lines across all files and says the result is partial", async () => {
    const many = tree(
      Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`f${i}.txt`, "hit\nhit\nmiss\n"])),
    );
    const result = await engineFor(many).scope.search.search({ patterns: ["hit"], maxResults: 25 });
    assert.equal(result.matches, 25);
    assert.equal(
      result.files.reduce((n, f) => n + f.matches.length, 0),
      25,
    );
    assert.deepEqual([result.partial, result.reason], [true, "limit"]);
  });

  it("is not partial when the cap holds exactly every matching line, wherever the files without one are", async () => {
    const exact = tree({ "a.txt": "hit\nhit\n", "b.txt": "miss\n", "c.txt": "miss\n" });
    const result = await engineFor(exact).scope.search.search({ patterns: ["hit"], maxResults: 2 });
    assert.deepEqual([result.matches, result.partial], [2, false]);
  });

  it("reads globs as ripgrep does: each by itself, ! to leave out, a trailing / for folders", async () => {
    const root = tree({
      "a/b.ts": "foo\n",
      "a/b.d.ts": "foo\n",
      "src/x/y.js": "foo\n",
      "top.js": "foo\n",
      "gen/g.ts": "foo\n",
    });
    const s = engineFor(root).scope.search;
    const files = async (query: Parameters<typeof s.search>[0]) =>
      (await s.search(query)).files.map((f) => f.path.slice(root.length + 1));
    // A glob with a folder in it does not stop the others from matching names at any depth.
    assert.deepEqual(await files({ patterns: ["foo"], include: ["*.ts", "src/**/*.js"] }), [
      "a/b.d.ts",
      "a/b.ts",
      "gen/g.ts",
      "src/x/y.js",
    ]);
    assert.deepEqual(await files({ patterns: ["foo"], include: ["*.ts", "!*.d.ts"] }), [
      "a/b.ts",
      "gen/g.ts",
    ]);
    assert.deepEqual(await files({ patterns: ["foo"], include: ["!gen/"], exclude: ["*.js"] }), [
      "a/b.d.ts",
      "a/b.ts",
    ]);
    assert.deepEqual(await files({ patterns: ["foo"], exclude: ["gen/", "*.ts", "x/y.js"] }), [
      "src/x/y.js",
      "top.js",
    ]);
    // Only `!` globs in exclude leave nothing out; an empty glob is no glob and no error (an
    // include of empty ones must not make a scan silently see nothing).
    assert.equal((await files({ patterns: ["foo"], exclude: ["!top.js"] })).length, 5);
    assert.equal((await files({ patterns: ["foo"], include: ["!", "/", ""] })).length, 5);
    assert.equal((await files({ patterns: ["foo"], exclude: ["!", "/", ""] })).length, 5);
  });

  it("keeps escapes out of smart case, and refuses a pattern holding a line break", async () => {
    const root = tree({ "a.txt": "xFOO\n" });
    const s = engineFor(root).scope.search;
    assert.equal((await s.search({ patterns: ["\\Sfoo"], regex: true })).matches, 1);
    await assert.rejects(
      s.search({ patterns: ["a\nb"] }),
      (error: unknown) => error instanceof EngineError && /cannot hold a line break/.test(error.message),
    );
    await assert.rejects(
      s.search({ patterns: ["a\\nb"], regex: true }),
      (error: unknown) => error instanceof EngineError && /cannot match \\n/.test(error.message),
    );
    assert.equal((await s.search({ patterns: ["[^\\n]FOO"], regex: true })).matches, 1);
    for (const pattern of ["b\\x0ac", "b\\u000Ac", "b\\u{a}c", "b\\cJc"])
      await assert.rejects(
        s.search({ patterns: [pattern], regex: true }),
        { code: "INVALID_ARGUMENT" },
        pattern,
      );
  });

  it("reads a regular expression with the u flag where it is valid so: \\p{...}, \\u{...}, astral characters", async () => {
    const root = tree({ "a.txt": "hello\nĄrtur\n漢字\nsmile 😀 here\nplain-dash\n" });
    const s = engineFor(root).scope.search;
    const lines = async (pattern: string) =>
      (await s.search({ patterns: [pattern], regex: true, ignoreCase: false })).files.flatMap((f) =>
        f.matches.map((m) => m.line),
      );
    assert.deepEqual(await lines("^\\p{Lu}"), [2]);
    assert.deepEqual(await lines("\\p{Script=Han}+"), [3]);
    assert.deepEqual(await lines("\\u{1F600}"), [4]);
    assert.deepEqual(await lines("smile .{1} here"), [4], "an astral character is one .");
    // Not valid with u (an escaped dash outside a class): read as before, without it, where
    // `\u{a}` is the text u{a}, no line feed.
    assert.deepEqual(await lines("plain\\-dash"), [5]);
    const literalU = tree({ "u.txt": "u{a}-x\n" });
    assert.equal(
      (await engineFor(literalU).scope.search.search({ patterns: ["\\u{a}\\-x"], regex: true })).matches,
      1,
    );
    // Smart case keeps case with a Unicode property, as rg -S does: \p{Lu} finds upper case only.
    const smart = await s.search({ patterns: ["^\\p{Lu}"], regex: true });
    assert.deepEqual(
      smart.files.flatMap((f) => f.matches.map((m) => m.line)),
      [2],
    );
    // /iu folds k with the Kelvin sign: the byte prefilter must not skip a file holding only that.
    const kelvin = tree({ "k.txt": "\u212aey\n" });
    assert.equal(
      (await engineFor(kelvin).scope.search.search({ patterns: ["key"], regex: true })).matches,
      1,
    );
    // Smart case as rg -S: letters typed and none upper case ignore case, a property alone keeps it.
    const cased = tree({ "c.txt": "abc\nABC\nxbc\nAbc\n" });
    const casedSearch = engineFor(cased).scope.search;
    assert.equal((await casedSearch.search({ patterns: ["\\p{Lu}bc"], regex: true })).matches, 4);
    // An escape written for an upper-case letter is one; a group's name is not typed text.
    assert.equal((await casedSearch.search({ patterns: ["\\x41bc"], regex: true })).matches, 1);
    assert.equal((await casedSearch.search({ patterns: ["(?<Name>abc)"], regex: true })).matches, 3);
    // Without the u flag \p{[} opens a class: what follows it is no required literal.
    const klass = tree({ "k.txt": "p{ax\n" });
    assert.equal(
      (await engineFor(klass).scope.search.search({ patterns: ["\\p{[}abcd]x"], regex: true })).matches,
      1,
    );
    // Without the u flag \p{(} is text, and the group after it optional: no literal is required.
    const paren = tree({ "p.txt": "p{(\n" });
    assert.equal(
      (await engineFor(paren).scope.search.search({ patterns: ["\\p{(}abc)?"], regex: true })).matches,
      1,
    );
    // A lone { is a character of its own (no u flag then): the literal after it is optional here.
    const brace = tree({ "b.js": "try {\n" });
    assert.equal(
      (await engineFor(brace).scope.search.search({ patterns: ["try \\{( \\}\\s*catch)?"], regex: true }))
        .matches,
      1,
    );
  });

  it("lets .ignore rules decide before .gitignore rules at any depth, as ripgrep does", async () => {
    const root = tree({
      ".ignore": "*.log\n",
      "sub/.gitignore": "!*.log\n",
      "sub/a.log": "foo\n",
      "sub/b.txt": "foo\n",
      "keep/.ignore": "!*.tmp\n",
      ".gitignore": "*.tmp\n",
      "keep/c.tmp": "foo\n",
    });
    const found = await engineFor(root).scope.search.search({ patterns: ["foo"] });
    assert.deepEqual(
      found.files.map((f) => f.path.slice(root.length + 1)),
      ["keep/c.tmp", "sub/b.txt"],
    );
  });

  it("applies a folder's ignore rules to names that start with two dots", async () => {
    const root = tree({ "sub/.gitignore": "*.log\n", "sub/..b.log": "foo\n", "sub/c.txt": "foo\n" });
    const found = await engineFor(root).scope.search.search({ patterns: ["foo"], hidden: true });
    assert.deepEqual(
      found.files.map((f) => f.path.slice(root.length + 1)),
      ["sub/c.txt"],
    );
  });

  it("stops a runaway regular expression at the time limit and keeps serving", async () => {
    const slow = tree({ "evil.txt": `${"a".repeat(40)}!\n` });
    const e = engineFor(slow);
    const result = await e.scope.search.search({ patterns: ["(a+)+$"], regex: true, timeoutMs: 300 });
    assert.deepEqual([result.partial, result.reason], [true, "timeout"]);
    const after = await e.scope.search.search({ patterns: ["a!"] });
    assert.equal(after.matches, 1);
  });

  it("stops when cancelled", async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await search.search({ patterns: ["engine"], signal: controller.signal });
    assert.deepEqual([result.partial, result.reason], [true, "cancelled"]);
  });

  it("refuses an invalid regular expression, an empty pattern, and paths outside the workspace", async () => {
    for (const request of [
      { patterns: ["(unclosed"], regex: true },
      { patterns: [""] },
      { patterns: ["x"], paths: ["../.."] },
    ]) {
      await assert.rejects(
        search.search(request),
        (e: unknown) => e instanceof EngineError,
        JSON.stringify(request),
      );
    }
    // The reason in plain words, with the pattern as given (not V8's "/(unclosed/gm").
    await assert.rejects(search.search({ patterns: ["(unclosed"], regex: true }), {
      message: 'Invalid regular expression "(unclosed": Unterminated group',
    });
  });

  it("finds a name written decomposed (as macOS writes it) from a query typed composed, and the other way", async () => {
    const files = tree({
      "docs/cafe\u0301-menu.md": "",
      "src/re\u0301sume\u0301.ts": "",
      "src/naïve.ts": "",
    });
    const search = engineFor(files).scope.search;
    const found = async (query: string) => (await search.findFiles({ query })).files.map((f) => f.relative);
    assert.deepEqual(await found("café"), ["docs/cafe\u0301-menu.md"]);
    assert.deepEqual(await found("résumé"), ["src/re\u0301sume\u0301.ts"]);
    assert.deepEqual(await found("nai\u0308ve"), ["src/naïve.ts"]);
  });

  it("ranks the shorter name first among equal matches, falls back to any case, and bounds the query", async () => {
    const files = tree({
      "test/config.test.ts": "",
      "src/configuration.ts": "",
      "src/server/config.ts": "",
      "src/engine/workspace-search.ts": "",
    });
    const search = engineFor(files).scope.search;
    const config = await search.findFiles({ query: "config" });
    assert.equal(config.files[0]?.relative, "src/server/config.ts");
    const typed = await search.findFiles({ query: "WorkspaceSearch" });
    assert.deepEqual(
      typed.files.map((f) => f.relative),
      ["src/engine/workspace-search.ts"],
    );
    for (const query of ["a ".repeat(40), "x".repeat(2_000)])
      await assert.rejects(search.findFiles({ query }), { code: "INVALID_ARGUMENT" });
    // A file named in paths is listed; overlapping paths list a file once; partial means the walk
    // was cut, not that more files matched than were returned.
    const named = await search.findFiles({ query: "", paths: ["src/server/config.ts"] });
    assert.deepEqual(
      named.files.map((f) => f.relative),
      ["src/server/config.ts"],
    );
    const overlapping = await search.findFiles({ query: "config.ts", paths: ["src", "src/server"] });
    assert.deepEqual(
      overlapping.files.map((f) => f.relative),
      ["src/server/config.ts", "src/configuration.ts"],
    );
    const cut = await search.findFiles({ query: "", limit: 1 });
    assert.deepEqual([cut.files.length, cut.scanned, cut.partial], [1, 4, false]);
  });

  it("refuses patterns too long together, and answers at the cap without waiting for a stuck file", async () => {
    const files = tree({ "slow.txt": `${"a".repeat(60)}b\n` });
    for (let i = 0; i < 20; i++) writeFileSync(join(files, `hit${i}.txt`), "needle\n");
    const search = engineFor(files).scope.search;
    await assert.rejects(search.search({ patterns: ["ab".repeat(30_000), "cd".repeat(30_000)] }), {
      code: "INVALID_ARGUMENT",
    });
    // The catastrophic file is searched alongside; the cap, once reached, does not wait for it.
    const started = performance.now();
    const capped = await search.search({
      patterns: ["needle|(a+)+$"],
      regex: true,
      maxResults: 3,
      timeoutMs: 60_000,
    });
    assert.equal(capped.reason, "limit");
    assert.ok(performance.now() - started < 30_000, "answered well before the time limit");
  });

  it("ranks a large tree in slices, with the same answer as one ranking", async () => {
    const root = tempDir("rune-find-many-");
    const names: string[] = [];
    for (let i = 0; i < 9_000; i++) {
      const name = `d${i % 7}/${["cfg", "conf", "config", "srv"][i % 4]}-${i}.ts`;
      mkdirSync(dirname(join(root, name)), { recursive: true });
      writeFileSync(join(root, name), "");
      names.push(name);
    }
    const found = await engineFor(root).scope.search.findFiles({ query: "cnf 8", limit: 30 });
    const whole = rankFuzzy("cnf 8", names, 30, { caseSensitive: "smart" });
    assert.deepEqual(
      found.files.map((f) => [f.relative, f.score]),
      whole.map((r) => [r.candidate, r.score]),
    );
  });

  it("finds files fuzzily, file names first", async () => {
    const files = tree({
      "src/server/config.ts": "",
      "src/cli/serve.ts": "",
      "docs/configuration.md": "",
      "src/service/misc.ts": "",
    });
    const found = await engineFor(files).scope.search.findFiles({ query: "srvcfg" });
    assert.equal(found.files[0]?.relative, "src/server/config.ts");
    const byName = await engineFor(files).scope.search.findFiles({ query: "config" });
    assert.deepEqual(
      byName.files.map((f) => f.relative),
      ["src/server/config.ts", "docs/configuration.md"],
    );
    // Words separated by spaces each match on their own, in any order, as in an editor's "go to file".
    const words = await engineFor(files).scope.search.findFiles({ query: "serve cli" });
    assert.deepEqual(
      words.files.map((f) => f.relative),
      ["src/cli/serve.ts"],
    );
    const listed = await engineFor(files).scope.search.findFiles({ query: "", include: ["*.ts"] });
    assert.deepEqual(listed.files.map((f) => f.relative).sort(), [
      "src/cli/serve.ts",
      "src/server/config.ts",
      "src/service/misc.ts",
    ]);
  });
});
