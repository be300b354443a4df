import { execFile, execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { pinnedTo } from "./pinning.js";

export interface WrkResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Responses that were not 2xx: a benchmark of errors measures nothing, so callers check it. */
  non2xx: number;
}

/** Makes sure wrk (Debian's `wrk`, a C load generator) is on PATH, installing it as root if needed. */
export function ensureWrk(): void {
  if (spawnSync("wrk", ["--version"]).error === undefined) return;
  if (process.getuid?.() !== 0) throw new Error("wrk is not installed: run `sudo apt-get install wrk`");
  console.log("installing wrk from Debian's packages (apt-get install wrk)");
  execFileSync("apt-get", ["install", "-y", "-qq", "wrk"], { stdio: "inherit" });
}

function toMs(value: string): number {
  const m = /^([\d.]+)(us|ms|s)$/.exec(value.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return m[2] === "us" ? n / 1000 : m[2] === "s" ? n * 1000 : n;
}

/**
 * POSTs the same body over `connections` keep-alive connections for `seconds`, from one wrk
 * thread (the other core is the server's), and returns throughput and latency percentiles. The
 * script only sets wrk.method/body/headers, so wrk builds the request once and runs no Lua per
 * request. `cpu` pins wrk to those cores.
 */
export function wrk(
  url: string,
  body: string,
  headers: Record<string, string>,
  connections: number,
  seconds: number,
  cpu?: string,
): WrkResult {
  const run = wrkCommand(url, body, headers, connections, seconds, cpu);
  return parseWrk(execFileSync(run.command, run.args, { encoding: "utf8" }));
}

/** `wrk`, without blocking: for loads that must run side by side. */
export async function wrkAsync(...load: Parameters<typeof wrk>): Promise<WrkResult> {
  const run = wrkCommand(...load);
  const { stdout } = await promisify(execFile)(run.command, run.args, { encoding: "utf8" });
  return parseWrk(stdout);
}

function wrkCommand(...[url, body, headers, connections, seconds, cpu]: Parameters<typeof wrk>): {
  command: string;
  args: string[];
} {
  const dir = mkdtempSync(join(tmpdir(), "rune-wrk-"));
  const script = join(dir, "post.lua");
  const lines = [`wrk.method = "POST"`, `wrk.body = ${JSON.stringify(body)}`];
  for (const [k, v] of Object.entries(headers))
    lines.push(`wrk.headers[${JSON.stringify(k)}] = ${JSON.stringify(v)}`);
  writeFileSync(script, `${lines.join("\n")}\n`);
  return pinnedTo(cpu, "wrk", ["-t1", `-c${connections}`, `-d${seconds}s`, "--latency", "-s", script, url]);
}

function parseWrk(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const p50 = /^\s+50%\s+(\S+)/m.exec(out);
  const p99 = /^\s+99%\s+(\S+)/m.exec(out);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  if (!rps || !p50 || !p99) throw new Error(`could not read wrk's output:\n${out}`);
  return {
    requestsPerSecond: Number(rps[1]),
    p50Ms: toMs(p50[1] as string),
    p99Ms: toMs(p99[1] as string),
    non2xx: non2xx ? Number(non2xx[1]) : 0,
  };
}
