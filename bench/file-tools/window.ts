/**
 * c) A 100-line window from the middle of a 100 MB file. Rune's read_file on its first call (a
 * fresh server process that has never seen the file) and warm (the same window again), against
 * what a user would otherwise reach for: `sed -n 'A,Bp'` (and the quicker `A,Bp;Bq`), spawned; and
 * server-filesystem's read_text_file, whose only way to the middle is `head`. Rune's resident
 * memory after the window is set against the file's size.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { alternate, msSince } from "../lib/alternate.js";
import { fmt, printInfo, printRatio, printTable } from "../lib/report.js";
import { residentMiB } from "../lib/rss.js";
import { quick, sized } from "../lib/scale.js";
import { median } from "../lib/stats.js";
import { writeLargeFile } from "../lib/text-corpus.js";
import {
  FILESYSTEM,
  offers,
  type Peer,
  RUNE,
  resultText,
  startFilesystem,
  startRune,
  structured,
  type ToolResult,
  timedCall,
} from "./peers.js";

const WINDOW_MEGABYTES = sized("RUNE_BENCH_WINDOW_MB", 100, 10);
const WINDOW_LINES = 100;
/** Fresh Rune processes, one first call each. */
const COLD = sized("RUNE_BENCH_COLD", 5, 1);
const WARM = sized("RUNE_BENCH_WARM", 20, 5);
/** server-filesystem returns half the file for this window, so it gets one call, at most this long. */
const FILESYSTEM_CAP_MS = quick ? 5_000 : 45_000;

/** One Rune process's first call on the file and what it left resident. */
interface ColdSample {
  ms: number;
  idleMiB: number;
  afterMiB: number;
  peakMiB: number;
}

interface Memory {
  afterMiB: number;
  peakMiB: number;
}

/** server-filesystem's one read; `capped`: stopped at FILESYSTEM_CAP_MS, so `ms` is a lower bound. */
interface HeadRead extends Memory {
  ms: number;
  capped: boolean;
}

/** What one run of the case measured; `rune` is absent when this build has no read_file. */
interface Figures {
  start: number;
  end: number;
  fileMiB: number;
  rune?: { cold: ColdSample; warm: Memory & { ms: number } };
  sedMs: number;
  sedQuitMs: number;
  head: HeadRead;
}

/** Writes the large file (the line-index case reuses it), runs the window case on it, and returns its path. */
export async function windowOfLargeFile(root: string): Promise<string> {
  const path = join(root, "large.ts");
  const file = writeLargeFile(path, WINDOW_MEGABYTES * 1_000_000, 3);
  const start = Math.floor(file.lines / 2) - WINDOW_LINES / 2;
  const end = start + WINDOW_LINES - 1;
  console.log(
    `\n-- c) lines ${start}-${end} of a ${fmt(file.bytes / 1e6)} MB file of ${file.lines} lines --`,
  );
  const expected = sed(path, `${start},${end}p`).out;
  if (expected.split("\n").length !== WINDOW_LINES + 1) {
    throw new Error(`sed returned no ${WINDOW_LINES}-line window`);
  }
  const window = { path, startLine: start, endLine: end };

  // This process serves the warm calls; it does not touch the file until the cold rounds are over.
  const rune = await startRune(root);
  const cold: ColdSample[] = [];
  let figures: Omit<Figures, "head">;
  try {
    const hasRune = offers(rune, "read_file");
    const contenders = [...(hasRune ? [{ name: RUNE }] : []), { name: "sed A,Bp" }, { name: "sed A,Bp;Bq" }];
    const medians = await alternate(contenders, COLD, async ({ name }) => {
      if (name === "sed A,Bp") return sed(path, `${start},${end}p`, expected).ms;
      if (name === "sed A,Bp;Bq") return sed(path, `${start},${end}p;${end}q`, expected).ms;
      const sample = await runeCold(root, window, expected);
      cold.push(sample);
      return sample.ms;
    });
    figures = {
      start,
      end,
      fileMiB: file.bytes / 2 ** 20,
      sedMs: medians.get("sed A,Bp") ?? Number.NaN,
      sedQuitMs: medians.get("sed A,Bp;Bq") ?? Number.NaN,
    };
    if (hasRune) figures.rune = { cold: medianSample(cold), warm: await runeWarm(rune, window, expected) };
  } finally {
    await rune.driver.close();
  }
  report({ ...figures, head: await filesystemHead(root, path, end, expected) });
  return path;
}

function report({ start, end, fileMiB, rune, sedMs, sedQuitMs, head }: Figures): void {
  console.log(
    `Rune's first call: median of ${COLD} fresh processes, alternating with sed; warm: median of ${WARM} calls. ` +
      "The file is in the page cache (written just before; a shared machine's cache is not dropped). " +
      `sed's time includes its process start. ${FILESYSTEM} has no line range: head=${end} returns ` +
      `lines 1-${end} (half the file, sent twice: text and structuredContent), and the client keeps the last ` +
      `${WINDOW_LINES}; one call in a fresh process, stopped after ${FILESYSTEM_CAP_MS / 1000} s.`,
  );
  const rows = [["reader", "ms", "RSS MiB after", "peak MiB"]];
  if (rune) {
    const { cold, warm } = rune;
    rows.push([`${RUNE} read_file, first call`, fmt(cold.ms, 2), fmt(cold.afterMiB), fmt(cold.peakMiB)]);
    rows.push([`${RUNE} read_file, warm`, fmt(warm.ms, 3), fmt(warm.afterMiB), fmt(warm.peakMiB)]);
  }
  rows.push([`sed -n '${start},${end}p' (spawned)`, fmt(sedMs, 2), "-", "-"]);
  rows.push([`sed -n '${start},${end}p;${end}q' (spawned)`, fmt(sedQuitMs, 2), "-", "-"]);
  rows.push([
    `${FILESYSTEM} read_text_file head=${end}${head.capped ? " (stopped)" : ""}`,
    `${head.capped ? ">" : ""}${fmt(head.ms, 0)}`,
    fmt(head.afterMiB),
    fmt(head.peakMiB),
  ]);
  printTable(rows);
  if (!rune) return;
  const { cold, warm } = rune;
  printInfo("window, first call: rune speedup over sed A,Bp", sedMs / cold.ms, "no target");
  printInfo("window, first call: rune speedup over sed A,Bp;Bq", sedQuitMs / cold.ms, "no target");
  printInfo("window, warm: rune speedup over sed A,Bp", sedMs / warm.ms, "no target");
  const capped = `at least: it was stopped after ${FILESYSTEM_CAP_MS / 1000} s; no target`;
  printInfo(
    `window, first call: rune speedup over ${FILESYSTEM} head`,
    head.ms / cold.ms,
    head.capped ? capped : "no target",
  );
  // The target is on what the read added: a Node process is about 40 MiB resident before it
  // does anything, and Rune with its tools loaded about 70, which alone is 0.7x a 100 MB file.
  printRatio(
    "rune RSS growth over idle after the first window / file size",
    (cold.afterMiB - cold.idleMiB) / fileMiB,
    { atMost: 0.5 },
    `${fmt(cold.afterMiB - cold.idleMiB)} MiB added to ${fmt(cold.idleMiB)} idle, for a ${fmt(fileMiB)} MiB file`,
  );
  printInfo("rune RSS after the first window / file size", cold.afterMiB / fileMiB, "idle included");
  printInfo("rune peak RSS (VmHWM) / file size", cold.peakMiB / fileMiB, "no target");
}

/** Each figure's median over the fresh processes. */
function medianSample(samples: readonly ColdSample[]): ColdSample {
  const of = (key: keyof ColdSample): number => median(samples.map((s) => s[key]));
  return { ms: of("ms"), idleMiB: of("idleMiB"), afterMiB: of("afterMiB"), peakMiB: of("peakMiB") };
}

/** Whether a read_file result holds exactly `expected`, as its text or its structured `content`. */
function holds(result: ToolResult, expected: string): boolean {
  return resultText(result) === expected || structured(result).content === expected;
}

function memory(peer: Peer): Memory {
  return { afterMiB: residentMiB(peer.driver.pid), peakMiB: residentMiB(peer.driver.pid, "VmHWM") };
}

/** A fresh Rune process: its idle memory, then its first read_file of the window, timed and checked. */
async function runeCold(
  root: string,
  window: Record<string, unknown>,
  expected: string,
): Promise<ColdSample> {
  const rune = await startRune(root);
  try {
    const idleMiB = residentMiB(rune.driver.pid);
    const { ms, result } = await timedCall(rune, "read_file", window);
    if (!holds(result, expected)) throw new Error(`${RUNE}: the first window is not sed's`);
    return { ms, idleMiB, ...memory(rune) };
  } finally {
    await rune.driver.close();
  }
}

/** After one unmeasured call, the median of WARM calls for the same window, and memory after them. */
async function runeWarm(
  rune: Peer,
  window: Record<string, unknown>,
  expected: string,
): Promise<Memory & { ms: number }> {
  await timedCall(rune, "read_file", window);
  const times: number[] = [];
  for (let i = 0; i < WARM; i++) {
    const { ms, result } = await timedCall(rune, "read_file", window);
    if (!holds(result, expected)) throw new Error(`${RUNE}: the warm window is not sed's`);
    times.push(ms);
  }
  return { ms: median(times), ...memory(rune) };
}

/** Runs `sed -n <script> <path>`, timed; with `expected`, its output must be that. */
function sed(path: string, script: string, expected?: string): { ms: number; out: string } {
  const begin = process.hrtime.bigint();
  const run = spawnSync("sed", ["-n", script, path], { encoding: "utf8", maxBuffer: 1 << 26 });
  const ms = msSince(begin);
  if (run.error || run.status !== 0) {
    throw new Error(`sed -n '${script}' failed: ${run.error?.message ?? run.stderr}`);
  }
  if (expected !== undefined && run.stdout !== expected)
    throw new Error(`sed -n '${script}' gave another window`);
  return { ms, out: run.stdout };
}

/**
 * server-filesystem's read_text_file with head=`end`, once, in a fresh process; its last
 * WINDOW_LINES lines must be the window (it drops the final "\n"). It reads in 1 KiB steps through
 * the thread pool, so on a busy machine it can take minutes: past FILESYSTEM_CAP_MS the process is
 * killed and the cap is reported as a lower bound.
 */
async function filesystemHead(root: string, path: string, end: number, expected: string): Promise<HeadRead> {
  const filesystem = await startFilesystem(root);
  try {
    const call = timedCall(filesystem, "read_text_file", { path, head: end });
    const outcome = await Promise.race([call, sleep(FILESYSTEM_CAP_MS, undefined, { ref: false })]);
    if (outcome === undefined) {
      const memoryNow = memory(filesystem);
      process.kill(filesystem.driver.pid, "SIGKILL");
      await call.catch(() => undefined); // rejects with the kill
      return { ms: FILESYSTEM_CAP_MS, capped: true, ...memoryNow };
    }
    const text = resultText(outcome.result);
    let from = text.length;
    for (let i = 0; i < WINDOW_LINES && from > 0; i++) from = text.lastIndexOf("\n", from - 1);
    if (`${text.slice(from + 1)}\n` !== expected) {
      throw new Error(`${FILESYSTEM}: head=${end} does not end in the window`);
    }
    return { ms: outcome.ms, capped: false, ...memory(filesystem) };
  } finally {
    await filesystem.driver.close();
  }
}
