/**
 * Runs Rune's benchmarks: `node dist/bench/run.js [name...]`. Each prints ratios against its anchor
 * measured in the same run; a missed target is reported, not fatal (machines here are noisy).
 * RUNE_BENCH_QUICK=1 makes a short smoke run.
 */
import { httpCalls } from "./http-calls.js";
import { stdioCalls } from "./stdio-calls.js";

const BENCHMARKS: { name: string; run: () => Promise<void> }[] = [
  { name: "stdio-calls", run: stdioCalls },
  { name: "http-calls", run: httpCalls },
];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark(s): ${unknown.join(", ")}; have: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
  );
  process.exit(2);
}
for (const bench of BENCHMARKS) {
  if (wanted.length === 0 || wanted.includes(bench.name)) await bench.run();
}
