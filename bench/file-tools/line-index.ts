/**
 * d) Line-index build throughput, in process: the engine's LineIndex.of over the large file's bytes,
 * against counting newlines with a Buffer#indexOf loop (the memchr floor any index must scan at)
 * and against decoding the text and splitting it on "\n" (what code without an index does). Every
 * contender is checked to find the same number of lines before it is timed.
 */
import { readFileSync } from "node:fs";
import { alternate, msSince } from "../lib/alternate.js";
import { fmt, printInfo, printRatio, printTable } from "../lib/report.js";
import { sized } from "../lib/scale.js";

const ROUNDS = sized("RUNE_BENCH_ROUNDS", 7, 3);
/** toString + split takes seconds on 100 MB: fewer rounds of it. */
const SPLIT_ROUNDS = sized("RUNE_BENCH_SPLIT_ROUNDS", 3, 1);
const RUNE = "LineIndex.of";
const INDEX_OF = "Buffer#indexOf(10) loop";
const SPLIT = 'toString("utf8").split("\\n")';

interface Contender {
  name: string;
  /** Returns the number of lines, so the contenders can be checked against each other. */
  run(bytes: Buffer): number;
}

/** The engine's LineIndex if this build has one; undefined (and a note) if not. */
async function loadLineIndex(): Promise<Contender | undefined> {
  try {
    const { LineIndex } = await import("../../src/engine/text/line-index.js");
    return { name: RUNE, run: (bytes) => LineIndex.of(bytes).lineCount };
  } catch (error) {
    if ((error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND") throw error;
    console.log(
      "rune: LineIndex not available (src/engine/text/line-index.js is missing); its side is skipped",
    );
    return undefined;
  }
}

function countNewlines(bytes: Buffer): number {
  let lines = 1;
  let at = bytes.indexOf(10);
  while (at !== -1) {
    lines++;
    at = bytes.indexOf(10, at + 1);
  }
  return lines;
}

export async function lineIndexBuild(path: string): Promise<void> {
  const bytes = readFileSync(path);
  console.log(`\n-- d) line index of the same ${fmt(bytes.length / 1e6)} MB, in process --`);
  const rune = await loadLineIndex();
  const fast: Contender[] = [...(rune ? [rune] : []), { name: INDEX_OF, run: countNewlines }];
  const split: Contender = { name: SPLIT, run: (b) => b.toString("utf8").split("\n").length };
  const all = [...fast, split];
  const lines = fast.map((c) => c.run(bytes));
  const medians = await alternate(fast, ROUNDS, (c) => time(c, bytes));
  // Split last and apart: the millions of strings it leaves behind would tax the others' rounds.
  lines.push(split.run(bytes));
  medians.set(
    SPLIT,
    (await alternate([split], SPLIT_ROUNDS, (c) => time(c, bytes))).get(SPLIT) ?? Number.NaN,
  );
  if (lines.some((n) => n !== lines[0])) {
    throw new Error(
      `the contenders count different lines: ${all.map((c, i) => `${c.name} ${lines[i]}`).join(", ")}`,
    );
  }
  const ms = (name: string): number => medians.get(name) ?? Number.NaN;
  const gbPerSecond = (name: string): number => bytes.length / 1e9 / (ms(name) / 1e3);

  console.log(
    `${ROUNDS} alternating rounds (split: ${SPLIT_ROUNDS}, after the others) after one checked run each; ` +
      `median per build. ${lines[0]} lines.`,
  );
  const rows = [["contender", "ms", "GB/s"]];
  for (const c of all) rows.push([c.name, fmt(ms(c.name)), fmt(gbPerSecond(c.name), 2)]);
  printTable(rows);
  if (!rune) return;
  printRatio("line index build throughput", gbPerSecond(RUNE), { atLeast: 1 }, "", " GB/s");
  printInfo(`line index: speedup over ${INDEX_OF}`, ms(INDEX_OF) / ms(RUNE), "the scan's floor; no target");
  printInfo(`line index: speedup over ${SPLIT}`, ms(SPLIT) / ms(RUNE), "no target");
}

function time(contender: Contender, bytes: Buffer): number {
  const begin = process.hrtime.bigint();
  contender.run(bytes);
  return msSince(begin);
}
