/**
 * Workspace search over ~170 MB of real source (bench/lib/corpus.ts): Rune's `search` tool, called
 * over stdio on a warm server, against ripgrep (Debian's `rg`) run the way a user or an agent's
 * shell tool runs it, on the same tree in the same run, page cache warm for both. Both must find
 * the same lines. Also: the same search on one worker thread against two.
 */
import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { ensureCorpus } from "./lib/corpus.js";
import { cpuTimeNs, mainThreadCpuNs } from "./lib/cpu-time.js";
import { ensureDebianTool } from "./lib/debian.js";
import { fmt, printContext, printInfo, printRatio, printTable } from "./lib/report.js";
import { quick, sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";
import { StdioDriver } from "./lib/stdio-driver.js";

const RUNE_MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 5, 2);
/** Untimed searches per server and case before the timed rounds. */
const WARM_UP_CALLS = sized("RUNE_BENCH_WARM_UP", 5, 1);

interface Case {
  name: string;
  patterns: string[];
  regex: boolean;
  /** ripgrep's arguments for the same search. */
  rg: string[];
  target: number;
}

const CASES: Case[] = [
  { name: "literal", patterns: ["createElement"], regex: false, rg: ["-F", "createElement"], target: 1.3 },
  {
    name: "regex",
    patterns: ["class \\w+Provider\\b"],
    regex: true,
    rg: ["class \\w+Provider\\b"],
    target: 2,
  },
  {
    name: "3 literals",
    patterns: ["hasOwnProperty", "Symbol.iterator", "WeakMap"],
    regex: false,
    rg: ["-F", "-e", "hasOwnProperty", "-e", "Symbol.iterator", "-e", "WeakMap"],
    target: 1.3,
  },
];

function rune(threads: number): StdioDriver {
  return new StdioDriver(`rune (${threads} workers)`, process.execPath, [
    RUNE_MAIN,
    "serve",
    ensureCorpus(),
    "--no-watch",
    "--workers",
    String(threads),
    "--log-level",
    "warn",
  ]);
}

async function runeSearch(driver: StdioDriver, c: Case): Promise<{ ms: number; lines: number }> {
  const started = performance.now();
  const result = await driver.call("tools/call", {
    name: "search",
    arguments: {
      patterns: c.patterns,
      regex: c.regex,
      ignoreCase: false,
      maxResults: 10_000,
      timeoutMs: 120_000,
    },
  });
  const ms = performance.now() - started;
  const structured = result.structuredContent as { matches: number; partial: boolean } | undefined;
  if (result.isError || !structured || structured.partial)
    throw new Error(`rune search failed: ${JSON.stringify(result).slice(0, 300)}`);
  return { ms, lines: structured.matches };
}

function rgSearch(corpus: string, c: Case): { ms: number; lines: number } {
  const started = performance.now();
  // --no-ignore-parent: the corpus is the workspace root, as it is for Rune; the repository's own
  // .gitignore above it must not apply.
  const out = spawnSync("rg", ["-n", "--column", "--no-heading", "--no-ignore-parent", ...c.rg, corpus], {
    maxBuffer: 1 << 30,
  });
  const ms = performance.now() - started;
  if (out.status !== 0) throw new Error(`rg failed: ${out.stderr}`);
  return { ms, lines: out.stdout.toString().split("\n").length - 1 };
}

/** A server's CPU so far, in ms: all its threads, and its main thread (Linux only, else undefined). */
function serverCpu(driver: StdioDriver): { all: number; main: number } | undefined {
  const main = mainThreadCpuNs(driver.pid);
  return main === undefined
    ? undefined
    : { all: Number(cpuTimeNs(driver.pid)) / 1e6, main: Number(main) / 1e6 };
}

/** Mean CPU per call since `before`: all threads and the main thread, or undefined if not measurable. */
function cpuPerCall(
  driver: StdioDriver,
  before: ReturnType<typeof serverCpu>,
  calls: number,
): { all: number; main: number } | undefined {
  const after = serverCpu(driver);
  if (!before || !after) return undefined;
  return { all: (after.all - before.all) / calls, main: (after.main - before.main) / calls };
}

export async function search(): Promise<void> {
  printContext("search");
  ensureDebianTool("rg", "ripgrep");
  const corpus = ensureCorpus();
  const two = rune(2);
  const one = rune(1);
  await Promise.all([two.initialize(), one.initialize()]);
  const rows = [
    ["case", "rune 2w ms", "rune 1w ms", "rg ms", "lines", "rune/rg", "1w/2w", "2w CPU ms", "2w main ms"],
  ];
  const verdicts: [Case, number, number, number | undefined][] = [];
  try {
    for (const c of CASES) {
      // Warm the page cache, the worker threads and the server's own code (V8 optimizes it over
      // the first few calls: the first case measured after one call ran on half-warm servers),
      // and check both find the same lines.
      const a = await runeSearch(two, c);
      await runeSearch(one, c);
      for (let call = 1; call < WARM_UP_CALLS; call++) {
        await runeSearch(two, c);
        await runeSearch(one, c);
      }
      const b = rgSearch(corpus, c);
      if (a.lines !== b.lines) throw new Error(`${c.name}: Rune found ${a.lines} lines, rg ${b.lines}`);
      const times = { two: [] as number[], one: [] as number[], rg: [] as number[] };
      const rounds = quick ? 1 : ROUNDS;
      // The servers are idle between calls (no watcher), so their CPU over the rounds is the calls'.
      const before = serverCpu(two);
      for (let round = 0; round < rounds; round++) {
        times.two.push((await runeSearch(two, c)).ms);
        times.rg.push(rgSearch(corpus, c).ms);
        times.one.push((await runeSearch(one, c)).ms);
      }
      const cpu = cpuPerCall(two, before, rounds);
      const [r2, r1, rg] = [median(times.two), median(times.one), median(times.rg)];
      rows.push([
        c.name,
        fmt(r2),
        fmt(r1),
        fmt(rg),
        String(a.lines),
        fmt(r2 / rg, 2),
        fmt(r1 / r2, 2),
        cpu ? fmt(cpu.all) : "-",
        cpu ? fmt(cpu.main) : "-",
      ]);
      // On this machine's cores the two-worker call takes at least its CPU time over the cores,
      // so one worker's wall time over that is the most two workers could gain here.
      verdicts.push([c, r2 / rg, r1 / r2, cpu ? r1 / (cpu.all / availableParallelism()) : undefined]);
    }
  } finally {
    await Promise.all([two.close(), one.close()]);
  }
  console.log(
    `corpus ${corpus}; ${quick ? 1 : ROUNDS} alternating rounds, medians; wall time of the whole call\n`,
  );
  printTable(rows);
  console.log("");
  for (const [c, ratio, scaling, bound] of verdicts) {
    printRatio(`${c.name}: Rune wall time / rg's`, ratio, { atMost: c.target });
    if (c.name === "literal") printRatio(`${c.name}: one worker / two workers`, scaling, { atLeast: 1.7 });
    else printInfo(`${c.name}: one worker / two workers`, scaling, "scaling");
    if (bound !== undefined) {
      printInfo(
        `${c.name}: the most 1w/2w could be here`,
        bound,
        "1w median wall / (2w server's mean CPU per call / cores): every thread, workers, main, V8's",
      );
    }
  }
}
