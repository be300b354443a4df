/**
 * security_scan over ~170 MB of real source (bench/lib/corpus.ts): Rune's tool, called over stdio
 * on a warm server, against ripgrep (Debian's `rg`) running the same rule patterns over the same
 * files, in the same run, page cache warm for both. The issue names no target: the ratio is shown
 * for context.
 *
 * What ripgrep is given: every rule's expression (named groups in its `(?P<name>` spelling,
 * `(?i)` for the case-insensitive ones), one rg process per set of file extensions the rules are
 * limited to, run one after the other; their wall times are added. ripgrep does only the matching:
 * Rune also checks entropy and placeholders, comments that suppress a line, dotenv files, and
 * reports UTF-16 ranges and masked snippets, so its findings are fewer than rg's matching lines.
 * rg runs twice: with its default Unicode classes, and with `(?-u)` (ASCII classes, which is what
 * `\w` and `\b` mean in Rune's JavaScript expressions); the faster of the two is the anchor.
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SECURITY_RULES } from "../src/engine/analysis/security-rules.js";
import { ensureCorpus } from "./lib/corpus.js";
import { ensureDebianTool } from "./lib/debian.js";
import { fmt, printContext, printInfo, printTable } from "./lib/report.js";
import { quick, sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";
import { StdioDriver } from "./lib/stdio-driver.js";

const RUNE_MAIN = fileURLToPath(new URL("../src/cli/main.js", import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 3, 1);

/** One rg command line per extension set the rules are limited to. */
function rgInvocations(corpus: string, ascii: boolean): string[][] {
  const groups = new Map<string, string[]>();
  for (const rule of SECURITY_RULES) {
    const key = (rule.extensions ?? []).join(",");
    let pattern = rule.pattern.replaceAll("(?<", "(?P<");
    if (rule.ignoreCase) pattern = `(?i)${pattern}`;
    if (ascii) pattern = `(?-u)${pattern}`;
    const patterns = groups.get(key) ?? [];
    patterns.push(pattern);
    groups.set(key, patterns);
  }
  return [...groups].map(([key, patterns]) => [
    "-n",
    "--column",
    "--no-heading",
    // The corpus is the workspace root, as it is for Rune; the repository's .gitignore above it
    // must not apply.
    "--no-ignore-parent",
    ...(key === "" ? [] : key.split(",").flatMap((ext) => ["-g", `*${ext}`])),
    ...patterns.flatMap((p) => ["-e", p]),
    corpus,
  ]);
}

function rgScan(invocations: string[][]): { ms: number; lines: number } {
  const started = performance.now();
  let lines = 0;
  for (const args of invocations) {
    const out = spawnSync("rg", args, { maxBuffer: 1 << 30 });
    // 1 is "no match", which is not a failure.
    if (out.status !== 0 && out.status !== 1) throw new Error(`rg failed: ${out.stderr}`);
    lines += out.stdout.toString().split("\n").length - 1;
  }
  return { ms: performance.now() - started, lines };
}

async function runeScan(driver: StdioDriver): Promise<{ ms: number; findings: number; files: number }> {
  const started = performance.now();
  const result = await driver.call("tools/call", {
    name: "security_scan",
    arguments: { maxFindings: 10_000 },
  });
  const ms = performance.now() - started;
  const structured = result.structuredContent as
    | { findings: unknown[]; partial: boolean; stats: { scanned: number } }
    | undefined;
  if (result.isError || !structured || structured.partial)
    throw new Error(`rune security_scan failed: ${JSON.stringify(result).slice(0, 300)}`);
  return { ms, findings: structured.findings.length, files: structured.stats.scanned };
}

export async function security(): Promise<void> {
  printContext("security");
  ensureDebianTool("rg", "ripgrep");
  const corpus = ensureCorpus();
  const driver = new StdioDriver("rune", process.execPath, [
    RUNE_MAIN,
    "serve",
    corpus,
    "--no-watch",
    "--log-level",
    "warn",
  ]);
  await driver.initialize();
  const unicode = rgInvocations(corpus, false);
  const ascii = rgInvocations(corpus, true);
  const times = { rune: [] as number[], unicode: [] as number[], ascii: [] as number[] };
  let rune = { ms: 0, findings: 0, files: 0 };
  let lines = { unicode: 0, ascii: 0 };
  try {
    // Warm the page cache and the worker threads.
    rune = await runeScan(driver);
    for (let round = 0; round < (quick ? 1 : ROUNDS); round++) {
      times.rune.push((await runeScan(driver)).ms);
      const u = rgScan(unicode);
      const a = rgScan(ascii);
      times.unicode.push(u.ms);
      times.ascii.push(a.ms);
      lines = { unicode: u.lines, ascii: a.lines };
    }
  } finally {
    await driver.close();
  }
  const [r, u, a] = [median(times.rune), median(times.unicode), median(times.ascii)];
  console.log(
    `corpus ${corpus}; ${SECURITY_RULES.length} rules, ${unicode.length} rg processes per scan; ` +
      `${quick ? 1 : ROUNDS} alternating rounds, medians; wall time of the whole call\n`,
  );
  printTable([
    ["scanner", "ms", "findings / matching lines"],
    ["rune security_scan (2 workers)", fmt(r), `${rune.findings} findings in ${rune.files} files`],
    ["rg, same patterns, Unicode classes", fmt(u), String(lines.unicode)],
    ["rg, same patterns, ASCII classes (?-u)", fmt(a), String(lines.ascii)],
  ]);
  console.log("");
  printInfo("security_scan: Rune wall time / rg's (faster)", r / Math.min(u, a), "no target");
}
