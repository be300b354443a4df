import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { Engine } from "../src/engine/index.js";
import type { RequestContext, SessionHandle } from "../src/protocol/mcp/request-context.js";
import { McpServer } from "../src/protocol/mcp/server.js";
import type { CallToolResult } from "../src/protocol/mcp/types.js";
import { registerTools } from "../src/tools/index.js";
import { fixtureCopy } from "./helpers/analysis-fixtures.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { type Connected, connectSdkClient } from "./helpers/sdk-client.js";

// biome-ignore lint/suspicious/noExplicitAny: the tests read structured results as untyped JSON
type Structured = Record<string, any>;

async function call(
  c: Connected,
  name: string,
  args: Record<string, unknown>,
  onprogress?: (p: unknown) => void,
) {
  const result = (await c.client.callTool(
    { name, arguments: args },
    undefined,
    onprogress ? { onprogress } : {},
  )) as {
    isError?: boolean;
    structuredContent?: Structured;
    content: { text: string }[];
  };
  assert.equal(result.isError, undefined, result.content[0]?.text);
  return result;
}

describe("analysis tools through the official SDK client", () => {
  const root = fixtureCopy("lint");
  // Enough files for several worker batches, so progress is sent more than once.
  mkdirSync(join(root, "many"));
  for (let i = 0; i < 400; i++)
    writeFileSync(join(root, "many", `m${i}.ts`), `// TODO: item ${i}\nexport const v${i} = ${i};\n`);
  writeFileSync(join(root, "broken.ts"), "export const a = (1;\n");
  let c: Connected;
  before(async () => {
    c = await connectSdkClient(process.execPath, [RUNE_MAIN, "serve", root, "--allow-exec"]);
  });
  after(() => c.close());

  it("offers the four analysis tools with output schemas", async () => {
    const tools = (await c.client.listTools()).tools;
    for (const name of ["syntax_check", "lint_analysis", "performance_profile", "get_diagnostics"]) {
      const tool = tools.find((t) => t.name === name);
      assert.ok(tool?.outputSchema, `${name} is offered with an output schema`);
      assert.match(tool?.description ?? "", /1-based/);
    }
  });

  it("syntax_check returns errors with ranges, and a per-file message for what it cannot parse", async () => {
    const result = await call(c, "syntax_check", { paths: ["broken.ts", "clean.ts", "run.sh"] });
    const files = result.structuredContent?.files as Structured[];
    assert.deepEqual(
      files.map((f) => [f.status, f.errors.length]),
      [
        ["errors", 1],
        ["ok", 0],
        ["skipped", 0],
      ],
    );
    assert.deepEqual(files[0]?.errors[0].range, {
      start: { line: 1, column: 20 },
      end: { line: 1, column: 20 },
    });
    assert.match(result.content[0]?.text ?? "", /broken\.ts:1:20: error Missing `\)`/);
    const buffer = await call(c, "syntax_check", { text: "func main() {", language: "go" });
    assert.equal((buffer.structuredContent as Structured).files[0]?.status, "errors");
  });

  it("lint_analysis reports diagnostics, bounded, and sends progress while it works", async () => {
    const progress: unknown[] = [];
    const result = await call(c, "lint_analysis", { maxDiagnostics: 10, external: ["eslint"] }, (p) =>
      progress.push(p),
    );
    const out = result.structuredContent as Structured;
    assert.equal(out.diagnostics.length, 10);
    assert.equal(out.truncated, true);
    assert.ok(out.total > 400, `total ${out.total}`);
    assert.equal(out.counts["todo-comment"], 405);
    assert.equal(out.external[0].status, "missing");
    assert.match(result.content[0]?.text ?? "", /eslint: missing: eslint is not installed/);
    // The SDK client drops a notification that arrives in the same read as the result, so only
    // the ones before it can be counted on.
    assert.ok(progress.length >= 1, `progress notifications: ${progress.length}`);
    const counts = progress.map((p) => (p as { progress: number }).progress);
    assert.deepEqual(
      counts,
      [...counts].sort((a, b) => a - b),
      "progress only grows",
    );
    assert.ok((counts.at(-1) ?? 0) <= out.stats.files);
  });

  it("lint_analysis returns a SARIF 2.1.0 log on request", async () => {
    const result = await call(c, "lint_analysis", { paths: ["issues.go"], format: "sarif" });
    const sarif = (result.structuredContent as Structured).sarif;
    assert.equal(sarif.version, "2.1.0");
    assert.equal(sarif.runs.length, 1);
    const run = sarif.runs[0];
    assert.equal(run.tool.driver.name, "rune-lint");
    assert.equal(run.columnKind, "utf16CodeUnits");
    const unreachable = run.results.find((r: Structured) => r.ruleId === "unreachable-code");
    assert.deepEqual(unreachable.locations[0].physicalLocation, {
      artifactLocation: { uri: "issues.go", uriBaseId: "WORKSPACE" },
      region: { startLine: 17, startColumn: 4, endLine: 17, endColumn: 24 },
    });
    assert.equal(run.results.find((r: Structured) => r.ruleId === "todo-comment").level, "note");
    assert.deepEqual(JSON.parse(result.content[0]?.text ?? ""), sarif);
  });

  it("performance_profile ranks functions and says there is no git history", async () => {
    const result = await call(c, "performance_profile", { limit: 3 });
    const out = result.structuredContent as Structured;
    assert.equal(out.hotspots.length, 3);
    assert.equal(out.hotspots[0].name, "classify");
    assert.equal(out.churn.available, false);
    assert.match(out.scoring, /complexity × \(1 \+ ln\(1 \+ commits\)\)/);
  });

  it("get_diagnostics merges syntax errors and the last lint, with freshness, and re-lints a changed file", async () => {
    await call(c, "lint_analysis", { paths: ["issues.py"] });
    const first = (await call(c, "get_diagnostics", { paths: ["issues.py", "broken.ts"] }))
      .structuredContent as Structured;
    const [py, ts] = first.files as Structured[];
    assert.deepEqual(
      py?.freshness.map((f: Structured) => [f.source, f.stale]),
      [
        ["editor", undefined],
        ["syntax", false],
        ["lint", false],
      ],
    );
    assert.equal(py?.diagnostics.length, 5);
    assert.equal(ts?.diagnostics[0].source, "syntax");
    assert.equal(ts?.diagnostics[0].severity, "error");
    writeFileSync(join(root, "issues.py"), "import os\nimport os\n");
    const second = (await call(c, "get_diagnostics", { paths: ["issues.py"], minSeverity: "warning" }))
      .structuredContent as Structured;
    const lint = second.files[0].freshness.find((f: Structured) => f.source === "lint");
    assert.equal(lint.recomputed, true);
    assert.equal(lint.stale, false);
    assert.deepEqual(
      second.files[0].diagnostics.map((d: Structured) => [d.range.start.line, d.ruleId]),
      [[2, "duplicate-import"]],
    );
    const bounded = (await call(c, "get_diagnostics", { paths: ["broken.ts", "issues.ts"], maxResults: 2 }))
      .structuredContent as Structured;
    assert.equal(bounded.returned, 2);
    assert.equal(bounded.truncated, true);
  });
});

describe("get_diagnostics with an editor attached", () => {
  const root = fixtureCopy("syntax");
  const file = join(root, "clean.ts");
  const uri = pathToFileURL(file).href;
  let now = 1_000_000;
  let engine: Engine;
  let server: McpServer;
  const context = (): RequestContext =>
    ({
      requestId: 1,
      signal: new AbortController().signal,
      session: { id: "s", clientCapabilities: {} } as unknown as SessionHandle,
      meta: undefined,
      progress() {},
      log() {},
    }) as RequestContext;
  const get = async (args: Record<string, unknown>) =>
    ((await server.tools.call("get_diagnostics", args, context(), true)) as CallToolResult)
      .structuredContent as Structured;

  before(() => {
    engine = new Engine({ roots: [root], allowWrites: false, workers: 1, symbolCache: false });
    // The hub's clock, so ages are exact.
    (engine.diagnosticsHub as unknown as { now: () => number }).now = () => now;
    server = new McpServer({ info: { name: "t", version: "0" } });
    registerTools(server, engine);
  });
  after(() => engine.dispose());

  it("merges the editor's diagnostics with syntax errors of the unsaved text, each source with its freshness", async () => {
    engine.editor.open({
      uri,
      path: file,
      text: "const a = (1;\n",
      languageId: "typescript",
      version: 7,
      dirty: true,
    });
    engine.editor.setDiagnostics(uri, [
      {
        range: { start: { line: 0, character: 6 }, end: { line: 0, character: 7 } },
        severity: "Warning",
        message: "'a' is declared but never used",
        source: "ts",
        code: "6133",
      },
      {
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 5 } },
        severity: "Hint",
        message: "hint",
      },
    ]);
    now += 250;
    const result = await get({ paths: [uri] });
    assert.equal(result.files.length, 1);
    const merged = result.files[0];
    assert.deepEqual(
      merged.diagnostics.map((d: Structured) => [
        d.source,
        d.severity,
        d.range.start.line,
        d.range.start.column,
        d.ruleId,
      ]),
      [
        ["syntax", "error", 1, 13, "syntax/missing"],
        ["editor", "warning", 1, 7, "6133"],
        ["editor", "hint", 1, 1, undefined],
      ],
    );
    assert.equal(merged.diagnostics[1].origin, "ts");
    const editor = merged.freshness.find((f: Structured) => f.source === "editor");
    assert.deepEqual(editor, {
      source: "editor",
      open: true,
      updatedAt: new Date(1_000_000).toISOString(),
      ageMs: 250,
      documentVersion: 7,
    });
    const syntax = merged.freshness.find((f: Structured) => f.source === "syntax");
    assert.equal(syntax.stale, false);
    assert.equal(syntax.documentVersion, 7);
    assert.match(syntax.computedFor, /^[0-9a-f]{40}$/);
  });

  it("filters by minimum severity and source, and lists every file with diagnostics when no path is given", async () => {
    const warnings = await get({ paths: [file], minSeverity: "warning", sources: ["editor"] });
    assert.deepEqual(
      warnings.files[0].diagnostics.map((d: Structured) => d.message),
      ["'a' is declared but never used"],
    );
    const all = await get({});
    assert.deepEqual(
      all.files.map((f: Structured) => f.uri),
      [uri],
    );
  });

  it("checks the syntax of an untitled buffer the editor holds", async () => {
    engine.editor.open({
      uri: "untitled:Untitled-1",
      text: "def f(:\n  pass\n",
      languageId: "python",
      version: 2,
    });
    const result = await get({ paths: ["untitled:Untitled-1"] });
    assert.deepEqual(
      result.files[0].diagnostics.map((d: Structured) => [d.source, d.message]),
      [["syntax", "Missing `)` in parameters"]],
    );
    assert.equal(result.files[0].freshness.find((f: Structured) => f.source === "syntax").documentVersion, 2);
  });
});
