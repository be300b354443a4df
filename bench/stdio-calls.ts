/**
 * tools/call round trips over stdio: Rune's protocol layer against a server built on the official
 * TypeScript SDK exposing the same `echo` tool, driven by the same client in the same run. A bare
 * JSON echo with no MCP is the ceiling: what the pipe and the client allow. Rounds alternate
 * between the servers so drift on a shared machine hits them alike. Also: the idle memory of the
 * real `rune serve` against the SDK echo server's.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { cpuTimeNs } from "./lib/cpu-time.js";
import { fmt, printContext, printInfo, printRatio, printTable } from "./lib/report.js";
import { residentMiB } from "./lib/rss.js";
import { quick, sized } from "./lib/scale.js";
import { median, summarise } from "./lib/stats.js";
import { StdioDriver } from "./lib/stdio-driver.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 5, 2);
const CALLS = sized("RUNE_BENCH_CALLS", 20_000, 2_000);
/** Pipelined runs make five times as many calls, so that they too last about a second per peer. */
const callsAt = (concurrency: number): number => (concurrency === 1 ? CALLS : 5 * CALLS);
const WARMUP = quick ? 500 : 2_000;
/** Fresh processes whose idle RSS is read, reporting the median: one reading varies by ~2 MiB. */
const IDLE_SAMPLES = quick ? 1 : 5;
/** Long enough for startup garbage to be collected and lazy initialisation to finish. */
const SETTLE_MS = 500;
/** 1 in flight: sequential round trips (latency). 32 in flight: pipelined (throughput). */
const CONCURRENCY = [1, 32] as const;
const TEXT = "hello from the benchmark";
const ECHO = { name: "echo", arguments: { text: TEXT } };

interface Peer {
  name: string;
  args: string[];
  /** The tools/call params it is measured with; one call checks the result before any timing. */
  call: { name: string; arguments: Record<string, unknown> };
  check(result: Record<string, unknown>): boolean;
}

const echoes = (result: Record<string, unknown>): boolean =>
  JSON.stringify(result.content) === JSON.stringify([{ type: "text", text: TEXT }]);

const RUNE = "rune";
const SDK = "sdk";
const CEILING = "bare echo";
/** The real CLI serving an empty folder; only its idle memory is compared. */
const servePeer = (root: string): Peer => ({
  name: "rune serve",
  args: [here("../src/cli/main.js"), "serve", root, "--log-level", "error"],
  call: { name: "workspace_info", arguments: {} },
  check: (result) => JSON.stringify(result).includes(JSON.stringify(root).slice(1, -1)),
});

const PEERS: Peer[] = [
  { name: RUNE, args: [here("./servers/rune-echo.js")], call: ECHO, check: echoes },
  { name: SDK, args: [here("./servers/sdk-echo.js")], call: ECHO, check: echoes },
  { name: CEILING, args: [here("./servers/bare-echo.js")], call: ECHO, check: echoes },
];

interface Started {
  peer: Peer;
  driver: StdioDriver;
  idleMiB: number;
}

/**
 * Spawns a peer, initializes it, lets it settle and reads its idle RSS before it has served a
 * single call, then checks one call's result.
 */
async function start(peer: Peer): Promise<Started> {
  const driver = new StdioDriver(peer.name, process.execPath, peer.args);
  try {
    await driver.initialize();
    await sleep(SETTLE_MS);
    const idleMiB = residentMiB(driver.pid);
    const result = await driver.call("tools/call", peer.call);
    if (!peer.check(result)) {
      throw new Error(`${peer.name}: unexpected ${peer.call.name} result ${JSON.stringify(result)}`);
    }
    return { peer, driver, idleMiB };
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/** The median idle RSS of a started peer and of fresh processes of it, IDLE_SAMPLES in all. */
async function medianIdle(peer: Peer, first: number): Promise<number> {
  const readings = [first];
  while (readings.length < IDLE_SAMPLES) {
    const { driver, idleMiB } = await start(peer);
    readings.push(idleMiB);
    await driver.close();
  }
  return median(readings);
}

/** Per peer and concurrency, one figure per round. */
interface Samples {
  callsPerSecond: number[];
  p50Ms: number[];
  p99Ms: number[];
  /** The server's own CPU time per call, all threads: its cost even when the client is the limit. */
  cpuUsPerCall: number[];
}

const key = (peer: string, concurrency: number): string => `${peer}@${concurrency}`;

/** ROUNDS rounds; each runs every concurrency on every peer, in an order reversed every round. */
async function measure(started: readonly Started[]): Promise<Map<string, Samples>> {
  const samples = new Map<string, Samples>();
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? started : [...started].reverse();
    for (const concurrency of CONCURRENCY) {
      for (const { peer, driver } of order) {
        const cpuBefore = cpuTimeNs(driver.pid);
        const calls = callsAt(concurrency);
        const { latencies, wallNs } = await driver.run(calls, concurrency, "tools/call", peer.call);
        const cpuNs = cpuTimeNs(driver.pid) - cpuBefore;
        const s = summarise(latencies, wallNs);
        const entry = samples.get(key(peer.name, concurrency)) ?? {
          callsPerSecond: [],
          p50Ms: [],
          p99Ms: [],
          cpuUsPerCall: [],
        };
        entry.callsPerSecond.push(s.callsPerSecond);
        entry.p50Ms.push(s.p50Ms);
        entry.p99Ms.push(s.p99Ms);
        entry.cpuUsPerCall.push(Number(cpuNs) / calls / 1_000);
        samples.set(key(peer.name, concurrency), entry);
      }
    }
  }
  return samples;
}

interface Memory {
  idle: Map<string, number>;
  loaded: Map<string, number>;
  peak: Map<string, number>;
  serveIdle: number;
}

function report(samples: Map<string, Samples>, memory: Memory): void {
  const get = (peer: string, concurrency: number, field: keyof Samples): number =>
    median(samples.get(key(peer, concurrency))?.[field] ?? []);
  const mib = (map: Map<string, number>, peer: string): number => map.get(peer) ?? Number.NaN;
  const idleHow = IDLE_SAMPLES === 1 ? "one process" : `median of ${IDLE_SAMPLES} fresh processes`;
  console.log(
    `${ROUNDS} alternating rounds; each round makes ${CONCURRENCY.map((c) => `${callsAt(c)} calls with ${c} in flight`).join(" and ")} ` +
      `on every server, after ${WARMUP} warm-up calls at each.`,
  );
  console.log(
    "calls/s, p50, p99 and server CPU per call: the median over rounds of each round's figure.\n" +
      `Idle RSS: after initialize and a ${SETTLE_MS} ms settle, before any call (${idleHow}). ` +
      "Loaded RSS: after the last round; peak: VmHWM.",
  );
  const rows = [
    [
      "server",
      "in flight",
      "calls/s",
      "p50 ms",
      "p99 ms",
      "CPU us/call",
      "idle MiB",
      "loaded MiB",
      "peak MiB",
    ],
  ];
  for (const concurrency of CONCURRENCY) {
    for (const { name } of PEERS) {
      rows.push([
        name === CEILING ? `${CEILING} (ceiling)` : name,
        String(concurrency),
        fmt(get(name, concurrency, "callsPerSecond"), 0),
        fmt(get(name, concurrency, "p50Ms"), 3),
        fmt(get(name, concurrency, "p99Ms"), 3),
        fmt(get(name, concurrency, "cpuUsPerCall")),
        fmt(mib(memory.idle, name)),
        fmt(mib(memory.loaded, name)),
        fmt(mib(memory.peak, name)),
      ]);
    }
  }
  rows.push(["rune serve (workspace_info)", "-", "-", "-", "-", "-", fmt(memory.serveIdle), "-", "-"]);
  printTable(rows);
  console.log();

  // The ceiling's own ratio to the SDK says how much any server could gain over it on this pipe.
  const ceilingNote = (field: keyof Samples, concurrency: number): string =>
    `ceiling/sdk ${(get(CEILING, concurrency, field) / get(SDK, concurrency, field)).toFixed(2)}x`;
  const ratio = (field: keyof Samples, concurrency: number): number =>
    get(RUNE, concurrency, field) / get(SDK, concurrency, field);
  for (const concurrency of CONCURRENCY) {
    printRatio(
      `calls/s rune/sdk, ${concurrency} in flight`,
      ratio("callsPerSecond", concurrency),
      { atLeast: 2 },
      ceilingNote("callsPerSecond", concurrency),
    );
    printRatio(
      `p99 rune/sdk, ${concurrency} in flight`,
      ratio("p99Ms", concurrency),
      { atMost: 0.5 },
      ceilingNote("p99Ms", concurrency),
    );
  }
  printRatio("idle RSS rune echo/sdk echo", mib(memory.idle, RUNE) / mib(memory.idle, SDK), { atMost: 1 });
  printRatio("idle RSS rune serve/sdk echo", memory.serveIdle / mib(memory.idle, SDK), { atMost: 1 });
  printInfo("loaded RSS rune echo/sdk echo", mib(memory.loaded, RUNE) / mib(memory.loaded, SDK), "no target");
  for (const concurrency of CONCURRENCY) {
    printInfo(
      `server CPU per call rune/sdk, ${concurrency} in flight`,
      ratio("cpuUsPerCall", concurrency),
      "no target; the server's own cost, even where the client is the limit",
    );
  }
  for (const concurrency of CONCURRENCY) {
    printInfo(
      `calls/s rune/ceiling, ${concurrency} in flight`,
      get(RUNE, concurrency, "callsPerSecond") / get(CEILING, concurrency, "callsPerSecond"),
      "1.00x = all the pipe and this client allow",
    );
  }
}

export async function stdioCalls(): Promise<void> {
  printContext("stdio-calls: tools/call over stdio, Rune vs the official SDK server");
  const root = mkdtempSync(join(tmpdir(), "rune-bench-"));
  const started: Started[] = [];
  try {
    const serve = await start(servePeer(root));
    await serve.driver.close();
    const serveIdle = await medianIdle(serve.peer, serve.idleMiB);

    for (const peer of PEERS) started.push(await start(peer));
    const idle = new Map<string, number>();
    for (const s of started) idle.set(s.peer.name, await medianIdle(s.peer, s.idleMiB));
    for (const { driver, peer } of started) {
      for (const concurrency of CONCURRENCY) await driver.run(WARMUP, concurrency, "tools/call", peer.call);
    }
    const samples = await measure(started);
    const loaded = new Map(started.map((s) => [s.peer.name, residentMiB(s.driver.pid)]));
    const peak = new Map(started.map((s) => [s.peer.name, residentMiB(s.driver.pid, "VmHWM")]));
    report(samples, { idle, loaded, peak, serveIdle });
  } finally {
    await Promise.all(started.map((s) => s.driver.close()));
    rmSync(root, { recursive: true, force: true });
  }
}
