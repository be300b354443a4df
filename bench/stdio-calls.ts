/**
 * tools/call round trips over stdio: Rune's protocol layer against a server built on the official
 * TypeScript SDK exposing the same `echo` tool, driven by the same client in the same run.
 * Rounds alternate between the two servers so drift on a shared machine hits both alike.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { fmt, printContext, printRatio, printTable } from "./lib/report.js";
import { residentMiB } from "./lib/rss.js";
import { median, summarise } from "./lib/stats.js";
import { StdioDriver } from "./lib/stdio-driver.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const quick = process.env.RUNE_BENCH_QUICK === "1";
const ROUNDS = quick ? 2 : 5;
const CALLS = quick ? 2_000 : 20_000;
const WARMUP = quick ? 500 : 3_000;
const CONCURRENCY = [1, 32];
const ECHO = { name: "echo", arguments: { text: "hello from the benchmark" } };

interface Peer {
  name: string;
  args: string[];
}

const PEERS: Peer[] = [
  { name: "rune", args: [here("./servers/rune-echo.js")] },
  { name: "sdk", args: [here("./servers/sdk-echo.js")] },
  // The ceiling, not a competitor: what the pipe and this client allow with no protocol work.
  { name: "bare echo", args: [here("./servers/bare-echo.js")] },
];

/** Idle RSS: after initialize and a settle, before any load. */
async function idleRss(args: string[]): Promise<number> {
  const driver = new StdioDriver(process.execPath, args);
  await driver.initialize();
  await sleep(500);
  const rss = residentMiB(driver.pid);
  await driver.close();
  return rss;
}

export async function stdioCalls(): Promise<void> {
  printContext("stdio-calls: tools/call over stdio, Rune vs official SDK server");
  const drivers = new Map<string, StdioDriver>();
  const idle = new Map<string, number>();
  for (const peer of PEERS) {
    idle.set(peer.name, await idleRss(peer.args));
    const driver = new StdioDriver(process.execPath, peer.args);
    await driver.initialize();
    await driver.run(WARMUP, 32, "tools/call", ECHO);
    drivers.set(peer.name, driver);
  }
  const root = mkdtempSync(join(tmpdir(), "rune-bench-"));
  const serveIdle = await idleRss([here("../src/cli/main.js"), "serve", root, "--log-level", "error"]);

  type Result = { callsPerSecond: number[]; p50: number[]; p99: number[] };
  const results = new Map<string, Result>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const concurrency of CONCURRENCY) {
      for (const peer of round % 2 === 0 ? PEERS : [...PEERS].reverse()) {
        const driver = drivers.get(peer.name) as StdioDriver;
        const { latencies, wallNs } = await driver.run(CALLS, concurrency, "tools/call", ECHO);
        const s = summarise(latencies, wallNs);
        const key = `${peer.name}@${concurrency}`;
        const r = results.get(key) ?? { callsPerSecond: [], p50: [], p99: [] };
        r.callsPerSecond.push(s.callsPerSecond);
        r.p50.push(s.p50Ms);
        r.p99.push(s.p99Ms);
        results.set(key, r);
      }
    }
  }
  const loaded = new Map<string, number>();
  for (const [name, driver] of drivers) {
    loaded.set(name, residentMiB(driver.pid));
    await driver.close();
  }

  const rows = [["server", "in flight", "calls/s", "p50 ms", "p99 ms", "idle RSS MiB", "loaded RSS MiB"]];
  for (const concurrency of CONCURRENCY) {
    for (const peer of PEERS) {
      const r = results.get(`${peer.name}@${concurrency}`) as Result;
      rows.push([
        peer.name,
        String(concurrency),
        fmt(median(r.callsPerSecond), 0),
        fmt(median(r.p50), 3),
        fmt(median(r.p99), 3),
        fmt(idle.get(peer.name) as number),
        fmt(loaded.get(peer.name) as number),
      ]);
    }
  }
  rows.push(["rune serve (idle)", "-", "-", "-", "-", fmt(serveIdle), "-"]);
  console.log(`${ROUNDS} alternating rounds of ${CALLS} calls each; medians over rounds`);
  printTable(rows);
  const get = (key: string, field: keyof Result): number => median((results.get(key) as Result)[field]);
  for (const concurrency of CONCURRENCY) {
    printRatio(
      `calls/s rune/sdk, ${concurrency} in flight`,
      get(`rune@${concurrency}`, "callsPerSecond") / get(`sdk@${concurrency}`, "callsPerSecond"),
      {
        atLeast: 2,
      },
    );
    printRatio(
      `p99 rune/sdk, ${concurrency} in flight`,
      get(`rune@${concurrency}`, "p99") / get(`sdk@${concurrency}`, "p99"),
      {
        atMost: 0.5,
      },
    );
  }
  for (const concurrency of CONCURRENCY) {
    const share =
      get(`rune@${concurrency}`, "callsPerSecond") / get(`bare echo@${concurrency}`, "callsPerSecond");
    console.log(
      `calls/s rune/bare-echo ceiling, ${concurrency} in flight`.padEnd(44),
      `${share.toFixed(2).padStart(6)}x   (how close to the pipe's limit)`,
    );
  }
  printRatio("idle RSS rune-echo/sdk-echo", (idle.get("rune") as number) / (idle.get("sdk") as number), {
    atMost: 1,
  });
  printRatio("idle RSS rune serve/sdk-echo", serveIdle / (idle.get("sdk") as number), { atMost: 1 });
}
