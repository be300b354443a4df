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
  timedCall,
} from "./peers.js";

const WINDOW_MEGABYTES = sized("RUNE_BENCH_WINDOW_MB", 100, 10);
const WINDOW_LINES = 100;
/** Fresh Rune processes, one first call each. */
const COLD = sized("RUNE_BENCH_COLD", 5, 2);
const WARM = sized("RUNE_BENCH_WARM", 20, 5);
/** server-filesystem returns half the file for this window, so it gets one call, at most this long. */
const FILESYSTEM_CAP_MS = quick ? 5_000 : 60_000;

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

/** Writes the large file (the line-index case reuses it) and runs the window case on it. */
export async function windowOfLargeFile(root: string): Promise<string> {
  const path = join(root, "large.ts");
  const file = writeLargeFile(path, WINDOW_MEGABYTES * 1_000_000, 3);
  const fileMiB = file.bytes / 2 ** 20;
  const start = Math.floor(file.lines / 2) - WINDOW_LINES / 2;
  const end = start + WINDOW_LINES - 1;
  console.log(
    `\n-- c) lines ${start}-${end} of a ${fmt(file.bytes / 1e6)} MB file of ${file.lines} lines --`,
  );
  const expected = sed(path, `${start},${end}p`).out;
  if (expected.split("\n").length !== WINDOW_LINES + 1)
    throw new Error(`sed returned no ${WINDOW_LINES}-line window`);
  const window = { path, startLine: start, endLine: end };
  const rows = [["reader", "ms", "RSS MiB after", "peak MiB"]];

  const probe = await startRune(root);
  const hasRune = offers(probe, "read_file");
  await probe.driver.close();
  const cold: ColdSample[] = [];
  const contenders = [...(hasRune ? [{ name: RUNE }] : []), { name: "sed A,Bp" }, { name: "sed A,Bp;Bq" }];
  const medians = await alternate(contenders, COLD, async ({ name }) => {
    if (name === "sed A,Bp") return sed(path, `${start},${end}p`, expected).ms;
    if (name === "sed A,Bp;Bq") return sed(path, `${start},${end}p;${end}q`, expected).ms;
    const sample = await runeCold(root, window, expected);
    cold.push(sample);
    return sample.ms;
  });
  const sedMs = medians.get("sed A,Bp") ?? Number.NaN;
  const sedQuitMs = medians.get("sed A,Bp;Bq") ?? Number.NaN;

  let warm: (Memory & { ms: number }) | undefined;
  if (hasRune) {
    const rune = await startRune(root);
    try {
      await timedCall(rune, "read_file", window);
      const times: number[] = [];
      for (let i = 0; i < WARM; i++) {
        const { ms, result } = await timedCall(rune, "read_file", window);
        if (resultText(result) !== expected) throw new Error(`${RUNE}: the warm window is not sed's`);
        times.push(ms);
      }
      warm = { ms: median(times), ...memory(rune) };
    } finally {
      await rune.driver.close();
    }
    const coldMs = median(cold.map((s) => s.ms));
    const after = median(cold.map((s) => s.afterMiB));
    const peak = median(cold.map((s) => s.peakMiB));
    rows.push([`${RUNE} read_file, first call`, fmt(coldMs, 2), fmt(after), fmt(peak)]);
    rows.push([`${RUNE} read_file, warm`, fmt(warm.ms, 3), fmt(warm.afterMiB), fmt(warm.peakMiB)]);
  }
  rows.push([`sed -n '${start},${end}p' (spawned)`, fmt(sedMs, 2), "-", "-"]);
  rows.push([`sed -n '${start},${end}p;${end}q' (spawned)`, fmt(sedQuitMs, 2), "-", "-"]);

  const filesystem = await filesystemHead(root, path, end, expected);
  const headMs = `${filesystem.capped ? ">" : ""}${fmt(filesystem.ms, 0)}`;
  const headLabel = `${FILESYSTEM} read_text_file head=${end}${filesystem.capped ? " (stopped)" : ""}`;
  rows.push([headLabel, headMs, fmt(filesystem.afterMiB), fmt(filesystem.peakMiB)]);

  console.log(
    `Rune's first call: median of ${COLD} fresh processes, alternating with sed; warm: median of ${WARM} calls. ` +
      "The file is in the page cache (written just before; a shared machine's cache is not dropped). " +
      `sed's time includes its process start. ${FILESYSTEM} has no line range: head=${end} returns ` +
      `lines 1-${end} (half the file, sent twice: text and structuredContent), and the client keeps the last ${WINDOW_LINES}; ` +
      `one call in a fresh process, stopped after ${FILESYSTEM_CAP_MS / 1000} s.`,
  );
  printTable(rows);
  if (!warm) return path;
  const coldMs = median(cold.map((s) => s.ms));
  printInfo("window, first call: rune speedup over sed A,Bp", sedMs / coldMs, "no target");
  printInfo("window, first call: rune speedup over sed A,Bp;Bq", sedQuitMs / coldMs, "no target");
  printInfo("window, warm: rune speedup over sed A,Bp", sedMs / warm.ms, "no target");
  printInfo(
    `window, first call: rune speedup over ${FILESYSTEM} head`,
    filesystem.ms / coldMs,
    filesystem.capped
      ? `at least: it was stopped after ${FILESYSTEM_CAP_MS / 1000} s; no target`
      : "no target",
  );
  const after = median(cold.map((s) => s.afterMiB));
  const idle = median(cold.map((s) => s.idleMiB));
  printRatio(
    "rune RSS after the first window / file size",
    after / fileMiB,
    { atMost: 0.5 },
    `${fmt(after)} MiB (${fmt(idle)} idle) for a ${fmt(fileMiB)} MiB file`,
  );
  printInfo("rune peak RSS (VmHWM) / file size", median(cold.map((s) => s.peakMiB)) / fileMiB, "no target");
  return path;
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
    if (resultText(result) !== expected) throw new Error(`${RUNE}: the first window is not sed's`);
    return { ms, idleMiB, ...memory(rune) };
  } finally {
    await rune.driver.close();
  }
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
