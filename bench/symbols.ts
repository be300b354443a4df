/**
 * Symbol indexing on real source (bench/lib/corpus.ts, ~170 MB of pinned npm packages): Rune's
 * index (tree-sitter grammars in WebAssembly, on the worker pool, cold: no cache) against Universal
 * Ctags (Debian's `universal-ctags`) on the same files, in the same run, as a ratio of wall times;
 * a warm restart from the on-disk cache; re-indexing one changed file (an update, as the file
 * watcher triggers it); and one worker against two. Both indexers get exactly the files Rune
 * indexes (the walker's files of an indexed language, at most 1 MiB each): ctags reads the list
 * with -L. A quick run (RUNE_BENCH_QUICK=1) indexes only the corpus's first package.
 */
import { execFileSync, spawnSync } from "node:child_process";
import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { basename, join } from "node:path";
import { readForScan } from "../src/engine/files/scan-read.js";
import { indexedGlobs } from "../src/engine/symbols/languages.js";
import { SymbolIndex } from "../src/engine/symbols/symbol-index.js";
import { minified } from "../src/engine/symbols/symbols-task.js";
import { WorkerPool } from "../src/engine/workers/worker-pool.js";
import { walk } from "../src/engine/workspace/walker.js";
import { ensureCorpus } from "./lib/corpus.js";
import { mainThreadCpuNs } from "./lib/cpu-time.js";
import { ensureDebianTool } from "./lib/debian.js";
import { fmt, printContext, printInfo, printRatio, printTable } from "./lib/report.js";
import { quick, sized } from "./lib/scale.js";
import { median, percentile } from "./lib/stats.js";

const ROUNDS = sized("RUNE_BENCH_ROUNDS", 3, 1);
const UPDATES = sized("RUNE_BENCH_UPDATES", 30, 10);
/** The index's default bound, so both indexers see the same files. */
const MAX_FILE_BYTES = 1024 * 1024;

/** Whether the kernel shares CPU time between sessions rather than threads (Linux's autogroups). */
function autogroups(): boolean {
  try {
    return readFileSync("/proc/sys/kernel/sched_autogroup_enabled", "utf8").trim() === "1";
  } catch {
    return false;
  }
}

/** Universal Ctags on PATH (Debian's package, installed as root if missing), and its version line. */
function ensureCtags(): string {
  ensureDebianTool("ctags", "universal-ctags");
  const version = spawnSync("ctags", ["--version"], { encoding: "utf8" }).stdout ?? "";
  if (!version.includes("Universal Ctags"))
    throw new Error("`ctags` on PATH is not Universal Ctags: install Debian's universal-ctags");
  return version.split("\n")[0] ?? "";
}

function corpusRoot(): string {
  const root = ensureCorpus().replace(/\/$/, "");
  if (!quick) return root;
  const first = readdirSync(root, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()[0];
  return first === undefined ? root : join(root, first);
}

/** The files Rune indexes under `root` (by its own rules), their bytes, and those it leaves out. */
async function indexedFiles(
  root: string,
): Promise<{ files: string[]; bytes: number; large: number; minifiedOrBinary: number }> {
  const files: string[] = [];
  let bytes = 0;
  let large = 0;
  let minifiedOrBinary = 0;
  for await (const batch of walk(root, { root, include: indexedGlobs() })) {
    for (const entry of batch) {
      const content = readForScan(entry.path, MAX_FILE_BYTES);
      if (content === "large") large++;
      else if (content === "binary" || (typeof content !== "string" && minified(content))) minifiedOrBinary++;
      else if (typeof content !== "string") {
        files.push(entry.path);
        bytes += content.length;
      }
    }
  }
  return { files, bytes, large, minifiedOrBinary };
}

const CLOCK_TICKS = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;

/**
 * Wall and CPU time of one ctags run. A shell runs it and then prints its own /proc stat, whose
 * cutime and cstime are the CPU its waited-for child used: CPU time is what the machine's load
 * (other processes on the same cores) does not inflate.
 */
function timeCtags(list: string, out: string): { ms: number; cpuMs: number; tags: number } {
  const started = process.hrtime.bigint();
  // Its warnings (unnamed tags in bundles) go nowhere: printing them is not indexing.
  const stat = execFileSync(
    "sh",
    ["-c", 'ctags -L "$1" -f "$2" >/dev/null 2>&1 && cat /proc/$$/stat', "sh", list, out],
    { encoding: "utf8" },
  );
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const cpuMs = ((Number(fields[13]) + Number(fields[14])) * 1000) / CLOCK_TICKS;
  const text = execFileSync("grep", ["-vc", "^!_", out], { encoding: "utf8" });
  return { ms, cpuMs, tags: Number(text.trim()) };
}

/** A cold build on `threads` workers, pool start-up and grammar loading included, as a user waits for it. */
async function timeRune(
  roots: string[],
  threads: number,
): Promise<{
  ms: number;
  cpuMs: number;
  /** The main thread's part of cpuMs (the walk, handing out work, taking in symbols); NaN if unknown. */
  mainMs: number;
  symbols: number;
  files: number;
  index: SymbolIndex;
  pool: WorkerPool;
}> {
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage(); // every thread of this process: the main thread and the workers
  const main = mainThreadCpuNs(process.pid);
  const pool = new WorkerPool({ threads });
  const index = new SymbolIndex({ roots, pool, cache: false, maxFileBytes: MAX_FILE_BYTES });
  const stats = await index.ready();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const mainAfter = mainThreadCpuNs(process.pid);
  const mainMs = main === undefined || mainAfter === undefined ? Number.NaN : Number(mainAfter - main) / 1e6;
  return { ms, cpuMs, mainMs, symbols: stats.symbols, files: stats.files, index, pool };
}

/**
 * A build on a pool that has already built one (threads started, grammars loaded, code compiled
 * and optimized), as when the index is rebuilt in a running server: context for the cold figure.
 */
async function timeWarm(roots: string[], pool: WorkerPool): Promise<number> {
  const started = process.hrtime.bigint();
  const index = new SymbolIndex({ roots, pool, cache: false, maxFileBytes: MAX_FILE_BYTES });
  await index.ready();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * A restart from the on-disk cache: one build fills a cache in `folder`, then a fresh pool and index
 * (as after a restart) load it; every file is still read and hashed, none should be parsed.
 */
async function timeRestart(roots: string[], folder: string): Promise<{ ms: number; parsed: number }> {
  const first = new WorkerPool({ threads: 2 });
  const filled = new SymbolIndex({ roots, pool: first, cache: { folder }, maxFileBytes: MAX_FILE_BYTES });
  await filled.ready();
  await filled.save();
  await first.close();
  const started = process.hrtime.bigint();
  const pool = new WorkerPool({ threads: 2 });
  const index = new SymbolIndex({ roots, pool, cache: { folder }, maxFileBytes: MAX_FILE_BYTES });
  const stats = await index.ready();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  await pool.close();
  return { ms, parsed: stats.parsed };
}

/** Median milliseconds of `UPDATES` re-indexings of one edited file. */
async function timeUpdates(index: SymbolIndex, file: string): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < UPDATES; i++) {
    const name = `runeBenchEdit${i}`;
    appendFileSync(file, `\nfunction ${name}() {}\n`);
    const started = process.hrtime.bigint();
    const stats = await index.update([file]);
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
    if (stats.parsed !== 1 || index.find(name).length !== 1) {
      throw new Error(`the update did not re-index ${file}: ${JSON.stringify(stats)}`);
    }
  }
  return times.sort((a, b) => a - b);
}

export async function symbols(): Promise<void> {
  const ctagsVersion = ensureCtags();
  const root = corpusRoot();
  printContext(`symbols: indexing ${root} with Rune (tree-sitter, cold) and ${ctagsVersion}`);
  const { files, bytes, large, minifiedOrBinary } = await indexedFiles(root);
  // The edited file lives in a second root, so the corpus is never written to; both indexers see it.
  const scratch = mkdtempSync(join(tmpdir(), "rune-bench-symbols-"));
  try {
    const sizes = files.map((f) => ({ f, size: statSync(f).size })).sort((a, b) => a.size - b.size);
    const typical = sizes[Math.floor(sizes.length / 2)]?.f;
    if (!typical) throw new Error(`no indexable files under ${root}`);
    const edited = join(scratch, basename(typical));
    copyFileSync(typical, edited);
    const list = join(scratch, "files.txt");
    const tagsFile = join(scratch, "tags");
    writeFileSync(list, `${[...files, edited].join("\n")}\n`);
    if (autogroups()) {
      console.log(
        "note: the kernel shares CPU by session (sched_autogroup): on a loaded machine a second thread " +
          "adds no CPU to this process's share",
      );
    }
    console.log(
      `${files.length + 1} files, ${fmt(bytes / 1e6)} MB (left out of both, as Rune leaves them out: ${large} over ` +
        `${MAX_FILE_BYTES / 1024} KiB, ${minifiedOrBinary} minified or binary); ` +
        `${ROUNDS} alternating round(s); load average ${loadavg()
          .map((l) => fmt(l, 1))
          .join(" ")}${quick ? " (quick run)" : ""}`,
    );

    const roots = [root, scratch];
    const ctagsMs: number[] = [];
    const twoMs: number[] = [];
    const oneMs: number[] = [];
    const ctagsCpu: number[] = [];
    const twoCpu: number[] = [];
    const oneCpu: number[] = [];
    const twoMain: number[] = [];
    const oneMain: number[] = [];
    let tags = 0;
    let found = { symbols: 0, files: 0 };
    let lastTwo: Awaited<ReturnType<typeof timeRune>> | undefined;
    for (let round = 0; round < ROUNDS; round++) {
      const order = round % 2 === 0 ? ["ctags", "two", "one"] : ["one", "two", "ctags"];
      for (const who of order) {
        if (who === "ctags") {
          const result = timeCtags(list, tagsFile);
          ctagsMs.push(result.ms);
          ctagsCpu.push(result.cpuMs);
          tags = result.tags;
        } else {
          const run = await timeRune(roots, who === "two" ? 2 : 1);
          (who === "two" ? twoMs : oneMs).push(run.ms);
          (who === "two" ? twoCpu : oneCpu).push(run.cpuMs);
          (who === "two" ? twoMain : oneMain).push(run.mainMs);
          found = { symbols: run.symbols, files: run.files };
          if (who === "two") {
            await lastTwo?.pool.close();
            lastTwo = run;
          } else await run.pool.close();
        }
      }
    }
    if (!lastTwo) throw new Error("no Rune run");
    if (found.files !== files.length + 1)
      throw new Error(
        `Rune indexed ${found.files} files but ctags was given ${files.length + 1}: not the same files`,
      );
    const warm: number[] = [];
    for (let round = 0; round < ROUNDS; round++) warm.push(await timeWarm(roots, lastTwo.pool));
    const updates = await timeUpdates(lastTwo.index, edited);
    await lastTwo.pool.close();
    const restart = await timeRestart(roots, join(scratch, "cache"));

    const ctags = median(ctagsMs);
    const two = median(twoMs);
    const one = median(oneMs);
    printTable([
      [
        "indexer",
        "wall ms (median)",
        "CPU ms (median)",
        "main thread CPU ms",
        "MB/s (wall)",
        "symbols / tags",
      ],
      [
        "universal ctags -L (1 process, 1 thread)",
        fmt(ctags),
        fmt(median(ctagsCpu)),
        "",
        fmt(bytes / 1e3 / ctags, 2),
        String(tags),
      ],
      [
        "rune cold index, 2 worker threads",
        fmt(two),
        fmt(median(twoCpu)),
        fmt(median(twoMain)),
        fmt(bytes / 1e3 / two, 2),
        String(found.symbols),
      ],
      [
        "rune cold index, 1 worker thread",
        fmt(one),
        fmt(median(oneCpu)),
        fmt(median(oneMain)),
        fmt(bytes / 1e3 / one, 2),
        String(found.symbols),
      ],
      [
        "rune index again on the same 2 workers (warm)",
        fmt(median(warm)),
        "",
        "",
        fmt(bytes / 1e3 / median(warm), 2),
        "",
      ],
      [
        `rune restart from cache, 2 workers (${restart.parsed} parsed)`,
        fmt(restart.ms),
        "",
        "",
        fmt(bytes / 1e3 / restart.ms, 2),
        "",
      ],
      ["rune update, one file (median)", fmt(percentile(updates, 50), 2), "", "", "", ""],
      ["rune update, one file (p90)", fmt(percentile(updates, 90), 2), "", "", "", ""],
    ]);
    console.log();
    printRatio(
      "index wall: rune (2 workers) / ctags (1 proc)",
      two / ctags,
      { atMost: 1.5 },
      "same files, no cache; Rune on 2 threads, ctags on 1",
    );
    printRatio(
      "re-index one changed file (median)",
      percentile(updates, 50),
      { atMost: 50 },
      `${basename(typical)}, ${fmt(statSync(typical).size / 1024)} KiB; read, hash, parse, replace`,
      " ms",
    );
    printRatio("1 worker / 2 workers (wall)", one / two, { atLeast: 1.7 });
    printInfo(
      "cores used: 2 workers / 1 worker",
      median(twoCpu) / two / (median(oneCpu) / one),
      "CPU ms per wall ms; near 1 means the second thread got no more CPU",
    );
    printInfo(
      "the most 1w/2w could be here",
      one / (median(twoCpu) / availableParallelism()),
      "1w wall / (2w CPU / cores): a 2-worker build takes at least its CPU time over the cores",
    );
    printInfo(
      "index CPU: rune (2 workers) / ctags",
      median(twoCpu) / median(ctagsCpu),
      "all threads' CPU time; the machine's load does not inflate it",
    );
    printInfo(
      "warm index wall: rune (2 workers) / ctags",
      median(warm) / ctags,
      "the same build on a pool that has built once: no thread start-up, code already optimized",
    );
    printInfo("restart from cache / cold index (2 workers)", restart.ms / two, "reads and hashes every file");
    printInfo(
      "symbols found: rune / ctags tags",
      found.symbols / Math.max(1, tags),
      "different rules; context only",
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
