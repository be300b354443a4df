/**
 * d) Line-index build throughput, in process: the engine's LineIndex.of over the large file's bytes,
 * against counting newlines with a Buffer#indexOf loop (the memchr floor any index must scan at)
 * and against decoding the text and splitting it on "\n" (what code without an index does). Every
 * contender is checked to find the same number of lines before it is timed.
 */
import { readFileSync } from "node:fs";
import { alternate } from "../lib/alternate.js";
import { fmt, printInfo, printRatio, printTable } from "../lib/report.js";
import { sized } from "../lib/scale.js";

const ROUNDS = sized("RUNE_BENCH_ROUNDS", 7, 3);
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
  const contenders: Contender[] = [
    ...(rune ? [rune] : []),
    { name: INDEX_OF, run: countNewlines },
    { name: SPLIT, run: (b) => b.toString("utf8").split("\n").length },
  ];
  const counts = contenders.map((c) => c.run(bytes));
  if (new Set(counts).size !== 1) {
    throw new Error(
      `the contenders count different lines: ${contenders.map((c, i) => `${c.name} ${counts[i]}`)}`,
    );
  }
  const medians = await alternate(contenders, ROUNDS, (c) => {
    const begin = process.hrtime.bigint();
    c.run(bytes);
    return Number(process.hrtime.bigint() - begin) / 1e6;
  });
  const gbPerSecond = (name: string): number =>
    bytes.length / 1e9 / ((medians.get(name) ?? Number.NaN) / 1e3);

  console.log(
    `${ROUNDS} alternating rounds after one checked run each; median per build. ${counts[0]} lines.`,
  );
  const rows = [["contender", "ms", "GB/s"]];
  for (const c of contenders)
    rows.push([c.name, fmt(medians.get(c.name) ?? Number.NaN, 1), fmt(gbPerSecond(c.name), 2)]);
  printTable(rows);
  if (!rune) return;
  const runeMs = medians.get(RUNE) ?? Number.NaN;
  printRatio("line index build throughput", gbPerSecond(RUNE), { atLeast: 1 }, "", " GB/s");
  printInfo(
    `line index: speedup over ${INDEX_OF}`,
    (medians.get(INDEX_OF) ?? Number.NaN) / runeMs,
    "the scan's floor; no target",
  );
  printInfo(`line index: speedup over ${SPLIT}`, (medians.get(SPLIT) ?? Number.NaN) / runeMs, "no target");
}
