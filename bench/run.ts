/**
 * Runs Rune's benchmarks: `node dist/bench/run.js [name...]` (all of them when no name is given).
 * Each prints ratios against its anchor measured in the same run. A missed target is reported, not
 * fatal (shared machines are noisy); only a benchmark that crashes makes the exit status non-zero.
 * RUNE_BENCH_QUICK=1 makes a smoke run of a few seconds each.
 */
import { analysis } from "./analysis.js";
import { editor } from "./editor.js";
import { fileTools } from "./file-tools.js";
import { httpCalls } from "./http-calls.js";
import { obs } from "./obs.js";
import { search } from "./search.js";
import { security } from "./security.js";
import { stdioCalls } from "./stdio-calls.js";
import { symbols } from "./symbols.js";
import { textSearch } from "./text-search.js";

interface Benchmark {
  name: string;
  run(): Promise<void>;
}

const BENCHMARKS: Benchmark[] = [
  { name: "stdio-calls", run: stdioCalls },
  { name: "http-calls", run: httpCalls },
  { name: "text-search", run: textSearch },
  { name: "search", run: search },
  { name: "symbols", run: symbols },
  { name: "security", run: security },
  { name: "file-tools", run: fileTools },
  { name: "editor", run: editor },
  { name: "obs", run: obs },
  { name: "analysis", run: analysis },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; have: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
const crashed: string[] = [];
for (const bench of BENCHMARKS) {
  if (wanted.length > 0 && !wanted.includes(bench.name)) continue;
  try {
    await bench.run();
  } catch (error) {
    crashed.push(bench.name);
    console.error(`\n${bench.name} crashed:`, error);
  }
}
if (crashed.length > 0) {
  console.error(`\ncrashed: ${crashed.join(", ")}`);
  process.exitCode = 1;
}
