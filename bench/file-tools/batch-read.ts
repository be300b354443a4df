/**
 * a) One batch read of many small files: Rune's read_files against server-filesystem's
 * read_multiple_files, both over stdio through the same client. Each side's first reply is checked
 * to hold every file's full text, in order, before anything is timed.
 */
import { join } from "node:path";
import { alternate } from "../lib/alternate.js";
import { fmt, printInfo, printRatio, printTable } from "../lib/report.js";
import { residentMiB } from "../lib/rss.js";
import { sized } from "../lib/scale.js";
import { median } from "../lib/stats.js";
import { type SmallFile, writeSmallFiles } from "../lib/text-corpus.js";
import {
  FILESYSTEM,
  offers,
  type Peer,
  RUNE,
  resultText,
  structured,
  type ToolResult,
  timedCall,
  withRuneAndFilesystem,
} from "./peers.js";

const FILES = sized("RUNE_BENCH_FILES", 1_000, 250);
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 7, 2);
const MIN_BYTES = 1_024;
const MAX_BYTES = 8_192;
/**
 * Rune bounds a batch to 100 KB by default (a model's context is the usual reader); the benchmark
 * asks for the whole batch, as server-filesystem always returns it, up to Rune's ceiling.
 */
const BATCH_MAX_BYTES = 64 * 1024 * 1024;

interface Contender {
  name: string;
  peer: Peer;
  tool: string;
  args: Record<string, unknown>;
}

export async function batchRead(root: string): Promise<void> {
  const files = writeSmallFiles(join(root, "small"), FILES, MIN_BYTES, MAX_BYTES, 1);
  const paths = files.map((f) => f.path);
  const totalBytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.content), 0);
  console.log(
    `\n-- a) one batch read of ${FILES} files (${MIN_BYTES / 1024}-${MAX_BYTES / 1024} KB, ${fmt(totalBytes / 2 ** 20)} MiB in all), absolute paths --`,
  );
  await withRuneAndFilesystem(root, async (rune, filesystem) => {
    const contenders: Contender[] = [];
    if (offers(rune, "read_files")) {
      contenders.push({
        name: RUNE,
        peer: rune,
        tool: "read_files",
        args: { paths, maxBytes: BATCH_MAX_BYTES },
      });
    }
    contenders.push({ name: FILESYSTEM, peer: filesystem, tool: "read_multiple_files", args: { paths } });

    const replyBytes = new Map<string, number>();
    for (const c of contenders) {
      const { result } = await timedCall(c.peer, c.tool, c.args);
      checkBatch(c.name, result, files);
      replyBytes.set(c.name, Buffer.byteLength(JSON.stringify(result)));
    }
    const cpu = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
    const medians = await alternate(contenders, ROUNDS, async (c) => {
      const { ms, cpuMs } = await timedCall(c.peer, c.tool, c.args);
      cpu.get(c.name)?.push(cpuMs);
      return ms;
    });

    const rss = new Map(contenders.map((c) => [c.name, residentMiB(c.peer.driver.pid)]));
    console.log(
      `${ROUNDS} alternating rounds after one checked call each; medians per batch of the wall time and of the server's own CPU time.`,
    );
    const rows = [["server", "tool", "ms/batch", "server CPU ms", "files/s", "reply MiB", "RSS MiB after"]];
    for (const c of contenders) {
      const ms = medians.get(c.name) ?? Number.NaN;
      rows.push([
        c.name,
        c.tool,
        fmt(ms),
        fmt(median(cpu.get(c.name) ?? [])),
        fmt((FILES / ms) * 1000, 0),
        fmt((replyBytes.get(c.name) ?? 0) / 2 ** 20, 2),
        fmt(rss.get(c.name) ?? Number.NaN),
      ]);
    }
    printTable(rows);
    const runeMs = medians.get(RUNE);
    const filesystemMs = medians.get(FILESYSTEM) ?? Number.NaN;
    if (runeMs !== undefined) {
      printRatio(`read ${FILES} files: rune speedup over ${FILESYSTEM}`, filesystemMs / runeMs, {
        atLeast: 3,
      });
      const cpuRatio = median(cpu.get(FILESYSTEM) ?? []) / median(cpu.get(RUNE) ?? []);
      printInfo(
        `server CPU per batch: ${FILESYSTEM} / rune`,
        cpuRatio,
        "no target; steadier on a busy machine",
      );
      const ratio = (rss.get(RUNE) ?? Number.NaN) / (rss.get(FILESYSTEM) ?? Number.NaN);
      printInfo(`RSS after the rounds: rune / ${FILESYSTEM}`, ratio, "no target");
    }
  });
}

/**
 * Each file's full text must be in the reply, in the order asked: in its text blocks (where both
 * servers put it now) or in the structured entries' `content`. Rune's structured result must also
 * report no error, truncation or omission: a fast partial batch measures nothing.
 */
function checkBatch(name: string, result: ToolResult, files: readonly SmallFile[]): void {
  const { files: listed, omitted } = structured(result);
  const entries = Array.isArray(listed) ? (listed as Record<string, unknown>[]) : [];
  const structuredText = entries.map((e) => (typeof e.content === "string" ? e.content : "")).join("");
  // Missing only if it is in neither place.
  const missing = firstMissing(resultText(result), files) && firstMissing(structuredText, files);
  if (missing) throw new Error(`${name}: the batch reply lacks the full text of ${missing.path}`);
  if (Array.isArray(omitted) && omitted.length > 0)
    throw new Error(`${name}: omitted ${omitted.length} files`);
  for (const entry of entries) {
    if (entry.error !== undefined || entry.truncated === true) {
      throw new Error(`${name}: ${JSON.stringify(entry).slice(0, 300)}`);
    }
  }
}

/** The first file whose text is not in `text` after the previous file's, if any. */
function firstMissing(text: string, files: readonly SmallFile[]): SmallFile | undefined {
  let at = 0;
  for (const file of files) {
    const found = text.indexOf(file.content, at);
    if (found === -1) return file;
    at = found + file.content.length;
  }
  return undefined;
}
