import assert from "node:assert/strict";
import { copyFileSync, existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { DiagnosticsHub } from "../src/engine/analysis/diagnostics-hub.js";
import { EditorState } from "../src/engine/editor/editor-state.js";
import { type CodeDiagnostic, Engine, parseOutput } from "../src/engine/index.js";
import { ANALYSIS_FIXTURES, fixtureCopy } from "./helpers/analysis-fixtures.js";
import { tempDir } from "./helpers/sdk-client.js";

const engines: Engine[] = [];
after(() => Promise.all(engines.map((e) => e.dispose())));
function engine(root: string, allowExec = true): Engine {
  const created = new Engine({
    roots: [root],
    allowWrites: false,
    allowExec,
    symbolCache: false,
    workers: 1,
  });
  engines.push(created);
  return created;
}

const brief = (root: string, list: CodeDiagnostic[]) =>
  list
    .map(
      (d) =>
        `${d.path.slice(root.length + 1)}:${d.range.start.line}:${d.range.start.column}-${d.range.end.line}:${d.range.end.column} ${d.ruleId}`,
    )
    .sort();

describe("lint_analysis engine", () => {
  const root = fixtureCopy("lint");
  const rune = engine(root);

  it("finds each rule's problems in TypeScript, Python, Go and a shell script", async () => {
    const result = await rune.scope.lint.lint();
    assert.deepEqual(brief(root, result.diagnostics), [
      "issues.go:17:4-17:24 unreachable-code",
      "issues.go:20:5-20:35 todo-comment",
      "issues.go:6:2-6:7 duplicate-import",
      "issues.go:9:12-9:34 parameter-count",
      "issues.py:14:5-15:13 empty-catch",
      "issues.py:22:9-22:23 unreachable-code",
      "issues.py:26:3-26:45 todo-comment",
      "issues.py:4:8-4:10 duplicate-import",
      "issues.py:7:12-7:64 parameter-count",
      "issues.ts:16:11-18:12 nesting-depth",
      "issues.ts:29:5-29:21 empty-catch",
      "issues.ts:37:7-37:35 unreachable-code",
      "issues.ts:3:27-3:45 duplicate-import",
      "issues.ts:42:3-42:25 unreachable-code",
      "issues.ts:45:4-45:38 todo-comment",
      "issues.ts:46:4-46:36 todo-comment",
      "issues.ts:6:26-6:120 parameter-count",
      "run.sh:2:3-2:28 todo-comment",
    ]);
    const messages = result.diagnostics.map((d) => d.message);
    assert.ok(messages.includes("Function `classify` nests 5 levels deep (max 4)"));
    assert.ok(messages.includes("Function `connect` takes 6 parameters (max 5)"));
    assert.ok(messages.includes("`node:fs/promises` is already imported on line 1"));
    assert.ok(messages.includes("FIXME: (ana) handle Windows paths"));
    assert.ok(messages.includes("Unreachable code after `throw`"));
    assert.equal(result.stats.files, 7);
    assert.equal(result.stats.parsed, 6);
    assert.deepEqual(result.counts["todo-comment"], 5);
  });

  it("finds nothing in clean code: commented catch, hoisted function after return, type import, markers in strings", async () => {
    const result = await rune.scope.lint.lint({ paths: ["clean.ts", "clean.py", "clean.go"] });
    assert.deepEqual(result.diagnostics, []);
    assert.equal(result.stats.files, 3);
  });

  it("reports function length past the threshold given, and honours .rune/lint.json", async () => {
    const byInput = await rune.scope.lint.lint({
      paths: ["issues.ts"],
      rules: ["function-length"],
      thresholds: { functionLines: 10 },
    });
    assert.deepEqual(brief(root, byInput.diagnostics), [
      "issues.ts:10:8-24:2 function-length",
      "issues.ts:33:8-43:2 function-length",
    ]);
    assert.equal(byInput.diagnostics[0]?.message.startsWith("Function `"), true);
    const configured = tempDir("rune-lint-config-");
    mkdirSync(join(configured, ".rune"));
    writeFileSync(
      join(configured, ".rune", "lint.json"),
      JSON.stringify({ thresholds: { parameters: 1 }, disable: ["todo-comment"] }),
    );
    writeFileSync(
      join(configured, "a.ts"),
      "// TODO: later\nexport function f(a: number, b: number) { return a + b; }\n",
    );
    const result = await engine(configured).scope.lint.lint();
    assert.deepEqual(brief(configured, result.diagnostics), ["a.ts:2:18-2:40 parameter-count"]);
    assert.deepEqual(result.settings.thresholds, { functionLines: 80, nestingDepth: 4, parameters: 1 });
    writeFileSync(join(configured, ".rune", "lint.json"), "{ not json");
    await assert.rejects(engine(configured).scope.lint.lint(), /lint.json is not valid JSON/);
  });

  it("applies the structural rules in Java, C#, Rust, C and Ruby as their grammars allow", async () => {
    const more = fixtureCopy("lint-more");
    const result = await engine(more).scope.lint.lint();
    assert.deepEqual(brief(more, result.diagnostics), [
      "A.java:2:1-2:23 duplicate-import",
      "A.java:4:8-4:50 parameter-count",
      "A.java:5:23-5:46 empty-catch",
      "b.cs:2:1-2:14 duplicate-import",
      "b.cs:5:23-5:44 empty-catch",
      "b.cs:7:5-7:28 unreachable-code",
      "c.rs:2:1-2:13 duplicate-import",
      // `return 2` after `again:` is a goto target: reachable.
      "d.c:3:22-3:34 unreachable-code",
      "e.rb:2:5-2:22 todo-comment",
    ]);
  });

  it("refuses unknown rules and linters with a clear error", async () => {
    await assert.rejects(rune.scope.lint.lint({ rules: ["no-such-rule"] }), /unknown lint rule no-such-rule/);
    await assert.rejects(rune.scope.lint.lint({ external: ["pylint"] }), /unknown external linter "pylint"/);
  });

  it("notes a linter that is not installed instead of failing", async () => {
    const result = await rune.scope.lint.lint({ paths: ["clean.ts"], external: ["ruff"] });
    const ruff = result.external[0];
    // PATH may hold a real ruff on some machines; then it ran.
    assert.ok(ruff?.status === "missing" || ruff?.status === "ran", JSON.stringify(ruff));
    if (ruff?.status === "missing") assert.match(ruff.note ?? "", /ruff is not installed/);
  });
});

describe("external linters", () => {
  /** A project whose node_modules/.bin holds the fake eslint and ruff of the fixtures, and the real tsc. */
  function project(): string {
    const root = tempDir("rune-external-");
    const bin = join(root, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    // The fixtures' eslint and ruff are stand-ins that print the real tools' JSON reports (see
    // their headers): the normaliser is what is under test, not eslint's rules.
    for (const name of ["eslint", "ruff"])
      copyFileSync(join(ANALYSIS_FIXTURES, "fake-linters", name), join(bin, name));
    const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
    symlinkSync(tsc, join(bin, "tsc"));
    writeFileSync(join(root, "old.js"), "var a = 1;\nlet b = 2;\n");
    writeFileSync(join(root, "star.py"), "from os import *\n");
    writeFileSync(
      join(root, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, files: ["typed.ts"] }),
    );
    writeFileSync(join(root, "typed.ts"), "export const n: number = 1;\nexport const s: string = n;\n");
    return root;
  }

  it("runs eslint, ruff and the real tsc, normalised into the one diagnostic shape", async () => {
    const root = project();
    const result = await engine(root).scope.lint.lint({ external: ["eslint", "tsc", "ruff"], rules: [] });
    assert.deepEqual(
      result.external.map((r) => [r.linter, r.status]),
      [
        ["eslint", "ran"],
        ["tsc", "ran"],
        ["ruff", "ran"],
      ],
    );
    const byTool = Object.fromEntries(
      result.diagnostics.map((d) => [d.source, { ...d, path: d.path.slice(root.length + 1) }]),
    );
    assert.deepEqual(byTool.eslint, {
      path: "old.js",
      range: { start: { line: 1, column: 1 }, end: { line: 1, column: 11 } },
      severity: "error",
      ruleId: "no-var",
      message: "Unexpected var, use let or const instead.",
      source: "eslint",
    });
    assert.deepEqual(byTool.ruff?.range, { start: { line: 1, column: 9 }, end: { line: 1, column: 17 } });
    assert.equal(byTool.ruff?.ruleId, "F403");
    assert.equal(byTool.tsc?.path, "typed.ts");
    assert.equal(byTool.tsc?.ruleId, "TS2322");
    assert.deepEqual(byTool.tsc?.range.start, { line: 2, column: 14 });
    assert.match(byTool.tsc?.message ?? "", /Type 'number' is not assignable to type 'string'/);
  });

  it("gives ruff's findings in UTF-16 columns, as every other position, after an emoji too", async () => {
    const root = project();
    // ruff counts characters: "import" is its 18th here, and the 19th UTF-16 unit (😀 takes two).
    writeFileSync(join(root, "emoji.py"), 'x = 1\ns = "😀"; from os import *\n');
    const result = await engine(root).scope.lint.lint({ external: ["ruff"], rules: [] });
    const ranges = Object.fromEntries(
      result.diagnostics.map((d) => [d.path.slice(root.length + 1), d.range]),
    );
    assert.deepEqual(ranges["emoji.py"], { start: { line: 2, column: 19 }, end: { line: 2, column: 27 } });
    assert.deepEqual(ranges["star.py"], { start: { line: 1, column: 9 }, end: { line: 1, column: 17 } });
  });

  it("runs none of the project's linters unless the engine allows it, even when .rune/lint.json names them", async () => {
    const root = project();
    // Were it run, this eslint would leave a mark: the workspace's executables are its code.
    const marker = join(root, "ran");
    writeFileSync(join(root, "node_modules", ".bin", "eslint"), `#!/bin/sh\ntouch '${marker}'\necho '[]'\n`, {
      mode: 0o755,
    });
    mkdirSync(join(root, ".rune"));
    writeFileSync(join(root, ".rune", "lint.json"), JSON.stringify({ external: ["eslint", "tsc"] }));
    const result = await engine(root, false).scope.lint.lint({ rules: [] });
    assert.deepEqual(
      result.external.map((r) => [r.linter, r.status]),
      [
        ["eslint", "refused"],
        ["tsc", "refused"],
      ],
    );
    assert.match(result.external[0]?.note ?? "", /--allow-exec/);
    assert.equal(existsSync(marker), false);
  });

  it("runs the linters .rune/lint.json names when the call names none", async () => {
    const root = project();
    mkdirSync(join(root, ".rune"));
    writeFileSync(join(root, ".rune", "lint.json"), JSON.stringify({ external: ["eslint"] }));
    const result = await engine(root).scope.lint.lint({ rules: [] });
    assert.deepEqual(
      result.external.map((r) => [r.linter, r.status]),
      [["eslint", "ran"]],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => d.ruleId),
      ["no-var"],
    );
  });

  it("parses tsc's continuation lines and eslint's warnings", () => {
    const tsc = parseOutput(
      "tsc",
      "src/a.ts(3,5): error TS2345: Argument is wrong.\n  Details follow.\n",
      "/p",
    );
    assert.deepEqual(
      tsc.map((d) => [d.path, d.range.start, d.message]),
      [["/p/src/a.ts", { line: 3, column: 5 }, "Argument is wrong.\nDetails follow."]],
    );
    const eslint = parseOutput(
      "eslint",
      JSON.stringify([
        { filePath: "/p/a.js", messages: [{ ruleId: null, severity: 1, message: "m", line: 2, column: 3 }] },
      ]),
      "/p",
    );
    assert.deepEqual(
      eslint.map((d) => [d.severity, d.ruleId, d.range.end]),
      [["warning", "eslint", { line: 2, column: 3 }]],
    );
    assert.throws(() => parseOutput("eslint", "Oops! Something went wrong", "/p"));
  });
});

describe("the lint store", () => {
  it("keeps at most 1,000 diagnostics a file, the most severe, and says how many it dropped", () => {
    const hub = new DiagnosticsHub(new EditorState());
    const at = (line: number) => ({ start: { line, column: 1 }, end: { line, column: 2 } });
    const diagnostics: CodeDiagnostic[] = [];
    for (let line = 1; line <= 1_500; line++) {
      diagnostics.push({
        path: "/w/a.ts",
        range: at(line),
        severity: line % 100 === 0 ? "error" : "hint",
        ruleId: line % 100 === 0 ? "nesting-depth" : "todo-comment",
        message: "m",
        source: "rune",
      });
    }
    hub.recordLint("/w/a.ts", "h", diagnostics);
    const record = hub.lintOf("/w/a.ts");
    assert.equal(record?.diagnostics.length, 1_000);
    assert.equal(record?.omitted, 500);
    assert.equal(record?.diagnostics.filter((d) => d.severity === "error").length, 15);
    hub.recordLint("/w/b.ts", "h", diagnostics.slice(0, 10));
    assert.equal(hub.lintOf("/w/b.ts")?.omitted, 0);
  });
});

describe("get_diagnostics without paths", () => {
  it("syntax-checks at most 64 files a call and says which it left unchecked", async () => {
    const root = tempDir("rune-many-");
    for (let i = 0; i < 70; i++)
      writeFileSync(join(root, `f${i}.ts`), `// TODO item ${i}\nexport const v${i} = ${i};\n`);
    const rune = engine(root);
    await rune.scope.lint.lint({});
    const result = await rune.scope.diagnostics.get({});
    assert.equal(result.files.length, 70);
    const unchecked = result.files.filter((f) =>
      f.freshness.some((s) => s.source === "syntax" && /not checked/.test(s.note ?? "")),
    );
    assert.equal(unchecked.length, 6);
    // Named, a file is always checked.
    const named = await rune.scope.diagnostics.get({ paths: [unchecked[0]?.path ?? ""] });
    assert.ok(named.files[0]?.freshness.some((s) => s.source === "syntax" && s.note === undefined));
  });
});
