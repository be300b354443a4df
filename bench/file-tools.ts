/**
 * The file tools against `@modelcontextprotocol/server-filesystem` (installed in test-tools/) and
 * against what a user would otherwise run, on a corpus generated from fixed seeds in a temporary
 * folder that is removed afterwards:
 *   a) one batch read of 1,000 small files (read_files vs read_multiple_files), target >= 3x;
 *   b) one edit of a 10 MB file (edit_file vs edit_file), target >= 3x;
 *   c) a 100-line window from the middle of a 100 MB file, first call and warm, against sed and
 *      server-filesystem's head; Rune's resident memory against the file's size;
 *   d) line-index build throughput, target >= 1 GB/s, against an indexOf loop and split("\n").
 * Every figure is a speedup (anchor time / Rune time, > 1 is faster), from alternating rounds in the
 * same run. Where this build lacks a Rune tool, its side is skipped with a note and the anchor still
 * runs. RUNE_BENCH_QUICK=1 makes a smoke run (250 files, 2 MB and 10 MB files, fewer rounds).
 */
import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { batchRead } from "./file-tools/batch-read.js";
import { editLargeFile } from "./file-tools/edit.js";
import { lineIndexBuild } from "./file-tools/line-index.js";
import { pinClient } from "./file-tools/peers.js";
import { windowOfLargeFile } from "./file-tools/window.js";
import { msSince } from "./lib/alternate.js";
import { fmt, printContext } from "./lib/report.js";
import { quick } from "./lib/scale.js";

export async function fileTools(): Promise<void> {
  printContext(
    "file-tools: Rune's file tools vs @modelcontextprotocol/server-filesystem, sed and plain Node",
  );
  // realpath: both servers resolve their root, and a root under a symlinked tmpdir must still match.
  if (quick)
    console.log("quick run: smaller corpus and fewer rounds; the targets are set for the full sizes");
  const root = realpathSync(mkdtempSync(join(tmpdir(), "rune-bench-files-")));
  try {
    await pinClient(async () => {
      await timed(() => batchRead(root));
      await timed(() => editLargeFile(root));
      const large = await timed(() => windowOfLargeFile(root));
      await timed(() => lineIndexBuild(large));
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Runs one case and says how long it took, corpus included, so a slow run shows where. */
async function timed<T>(run: () => Promise<T>): Promise<T> {
  const begin = process.hrtime.bigint();
  const result = await run();
  console.log(`(${fmt(msSince(begin) / 1000)} s)`);
  return result;
}
