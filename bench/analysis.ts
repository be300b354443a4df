/**
 * Diagnostics and code analysis.
 *
 * (a) syntax_check of one ~1 MB TypeScript file, built by concatenating real TypeScript sources
 *     from the benchmark corpus (rxjs's src/, then TypeScript's own .d.ts files): cold (new
 *     engine, grammar loaded and the file parsed from scratch), warm full parse (grammar loaded,
 *     a document never seen), warm after a one-character edit (the kept tree edited and
 *     re-parsed incrementally: the 50 ms target), and unchanged (answered from the kept tree).
 *     Errors are extracted each time. The anchor is TypeScript's own parser,
 *     `ts.createSourceFile` from the installed typescript package, on the same text in the same
 *     run (parse only; it builds an AST, as tree-sitter builds a tree).
 * (b) lint_analysis over the corpus (RUNE_BENCH_QUICK=1: its first package), called through the
 *     official SDK client over stdio, counting the progress notifications received. The anchor is
 *     Rune's own symbol indexing of the same tree in the same server (workspace_symbols on a cold
 *     index, no disk cache; both timed after an untimed lint has warmed the workers): the same walk and tree-sitter parse on the same workers, without
 *     the rules, so the ratio is what the rules cost on top of parsing.
 */
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import ts from "typescript";
import { SyntaxService } from "../src/engine/analysis/syntax-service.js";
import { EditorState } from "../src/engine/editor/editor-state.js";
import { languageById } from "../src/engine/symbols/languages.js";
import { ensureCorpus } from "./lib/corpus.js";
import { fmt, printContext, printInfo, printRatio, printTable } from "./lib/report.js";
import { quick, sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";

const RUNE_MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 15, 5);
const TARGET_BYTES = 1024 * 1024;

/** Every `.ts` file under `folder`, sources before declaration files, in name order. */
function tsFiles(folder: string): string[] {
  const found: string[] = [];
  const visit = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      if (entry.isDirectory() && entry.name !== "node_modules") visit(path);
      else if (entry.isFile() && entry.name.endsWith(".ts")) found.push(path);
    }
  };
  visit(folder);
  return [...found.filter((f) => !f.endsWith(".d.ts")), ...found.filter((f) => f.endsWith(".d.ts"))];
}

/** About 1 MB of real TypeScript, from the corpus. */
function bigSource(corpus: string): { text: string; files: number } {
  const parts: string[] = [];
  let size = 0;
  for (const folder of ["rxjs-7.8.1/src", "typescript-5.9.3/lib"]) {
    for (const file of tsFiles(join(corpus, folder))) {
      if (size >= TARGET_BYTES) break;
      if (statSync(file).size > TARGET_BYTES) continue;
      const text = readFileSync(file, "utf8");
      parts.push(text);
      size += Buffer.byteLength(text);
    }
  }
  return { text: parts.join("\n"), files: parts.length };
}

function time<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

async function timeAsync<T>(run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await run();
  return { ms: performance.now() - started, value };
}

async function syntaxOfBigFile(corpus: string): Promise<void> {
  const { text, files } = bigSource(corpus);
  const spec = languageById("typescript");
  const cold = new SyntaxService(new EditorState());
  const first = await timeAsync(() => cold.checkText("big.ts", spec, text));
  cold.dispose();

  const service = new SyntaxService(new EditorState());
  await service.checkText("warm-up.ts", spec, "export const x = 1;\n");
  const full: number[] = [];
  const incremental: number[] = [];
  const cached: number[] = [];
  const anchor: number[] = [];
  // A keystroke in the middle: a space after a semicolon, then removed again.
  const middle = text.indexOf(";", text.length >> 1) + 1;
  const edited = `${text.slice(0, middle)} ${text.slice(middle)}`;
  let parses = { incremental: 0 };
  let errors = 0;
  for (let round = 0; round < ROUNDS; round++) {
    full.push((await timeAsync(() => service.checkText(`fresh-${round}.ts`, spec, text))).ms);
    service.trees.forget(`fresh-${round}.ts`);
    const step = await timeAsync(() => service.checkText("doc.ts", spec, round % 2 === 0 ? edited : text));
    if (round > 0) incremental.push(step.ms);
    errors = step.value.totalErrors;
    cached.push(
      (await timeAsync(() => service.checkText("doc.ts", spec, round % 2 === 0 ? edited : text))).ms,
    );
    anchor.push(
      time(() => ts.createSourceFile("big.ts", text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)).ms,
    );
  }
  parses = { incremental: service.trees.counts.incremental };
  service.dispose();
  const [f, i, c, a] = [median(full), median(incremental), median(cached), median(anchor)];
  console.log(
    `(a) syntax_check of one ${fmt(Buffer.byteLength(text) / 1024 / 1024, 2)} MB TypeScript file (${files} real sources concatenated, ${text.split("\n").length} lines, ${errors} syntax errors found); ${ROUNDS} rounds, medians; ${parses.incremental} incremental parses\n`,
  );
  printTable([
    ["step", "ms"],
    ["cold: new engine, grammar load + full parse", fmt(first.ms)],
    ["warm: full parse of an unseen document", fmt(f)],
    ["warm: after a one-character edit (incremental)", fmt(i)],
    ["warm: unchanged (kept tree, hash check)", fmt(c)],
    ["anchor: ts.createSourceFile, same text", fmt(a)],
  ]);
  console.log("");
  printRatio("syntax_check after an edit, ms", i, { atMost: 50 }, "", " ms");
  printInfo("syntax_check after an edit / ts.createSourceFile", i / a, "no target");
  printInfo("syntax_check full parse / ts.createSourceFile", f / a, "no target");
}

interface Connected {
  client: Client;
  close(): Promise<void>;
}

async function connect(root: string): Promise<Connected> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [RUNE_MAIN, "serve", root, "--no-watch", "--log-level", "warn"],
    // A cache folder of its own: the symbol index (the anchor) starts cold.
    env: { ...getDefaultEnvironment(), XDG_CACHE_HOME: mkdtempSync(join(tmpdir(), "rune-bench-cache-")) },
    stderr: "ignore",
  });
  const client = new Client({ name: "rune-bench", version: "1.0.0" });
  await client.connect(transport);
  return { client, close: () => client.close() };
}

async function lintCorpus(corpus: string): Promise<void> {
  const root = quick ? join(corpus, "lodash-4.17.21") : corpus;
  const rune = await connect(root);
  let progress = 0;
  const callLint = () =>
    rune.client.callTool({ name: "lint_analysis", arguments: { maxDiagnostics: 100 } }, undefined, {
      onprogress: () => progress++,
      timeout: 600_000,
      resetTimeoutOnProgress: true,
    });
  try {
    // Warm the workers (threads started, grammars loaded) so neither timed call pays for it.
    await callLint();
    const index = await timeAsync(() =>
      rune.client.callTool({ name: "workspace_symbols", arguments: { query: "x", limit: 1 } }, undefined, {
        timeout: 600_000,
      }),
    );
    progress = 0;
    const lint = await timeAsync(callLint);
    const out = lint.value.structuredContent as {
      total: number;
      partial: boolean;
      stats: { files: number; parsed: number; bytes: number; skippedMinified: number; skippedLarge: number };
    };
    if (lint.value.isError || !out || out.partial)
      throw new Error(`lint_analysis failed: ${JSON.stringify(lint.value).slice(0, 300)}`);
    const indexed = (index.value.structuredContent as { indexed?: { files?: number } } | undefined)?.indexed;
    console.log(
      `\n(b) lint_analysis over ${root} through the SDK client over stdio (workers warmed by an untimed lint first)\n`,
    );
    printTable([
      ["run", "ms", "what"],
      [
        "rune lint_analysis",
        fmt(lint.ms),
        `${out.stats.files} files (${out.stats.parsed} parsed, ${fmt(out.stats.bytes / 1024 / 1024)} MB), ${out.total} diagnostics, ${progress} progress notifications; skipped ${out.stats.skippedMinified} minified, ${out.stats.skippedLarge} large`,
      ],
      ["anchor: workspace_symbols, cold index", fmt(index.ms), `${indexed?.files ?? "?"} files indexed`],
    ]);
    console.log("");
    printInfo("lint_analysis / symbol indexing of the same tree", lint.ms / index.ms, "no target");
  } finally {
    await rune.close();
  }
}

export async function analysis(): Promise<void> {
  printContext("analysis");
  const corpus = ensureCorpus();
  await syntaxOfBigFile(corpus);
  await lintCorpus(corpus);
}
