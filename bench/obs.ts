/**
 * The cost of observability and what compression buys.
 * (a) tools/call over Streamable HTTP (wrk, 32 connections, as http-calls) against the same echo
 *     server with Rune's operations on (metrics, request logs, dashboard history, pino to a file)
 *     and off. Back-to-back rounds move ±10% with the machine, so the figure (target: lose <= 5%)
 *     is the calls/s ratio with both servers loaded at once on one core, over fresh pairs; the
 *     back-to-back rounds and the in-process cost per call are printed beside it.
 * (b) a large `search` result (a few MB of JSON, the shape tools/call returns) compressed with
 *     each coding Rune offers: size and time against sending it as it is.
 */
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { get } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Engine } from "../src/engine/index.js";
import { RuneLogger } from "../src/ops/log.js";
import { Operations } from "../src/ops/operations.js";
import { Redactor } from "../src/ops/redact.js";
import {
  type ContentEncoding,
  compress,
  SUPPORTED_ENCODINGS,
} from "../src/protocol/transports/http/compression.js";
import { CALL, HEADERS, openSession } from "./http-calls.js";
import { alternate, msSince } from "./lib/alternate.js";
import { cpuTimeNs } from "./lib/cpu-time.js";
import { inProcessCallUs } from "./lib/in-process-calls.js";
import { cores } from "./lib/pinning.js";
import { startServer, stopServer } from "./lib/process.js";
import { fmt, printContext, printInfo, printRatio, printTable } from "./lib/report.js";
import { quick, sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";
import { ensureWrk, type WrkResult, wrk, wrkAsync } from "./lib/wrk.js";
import { runeEchoServer } from "./servers/rune-echo-server.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 6, 2);
const SECONDS = quick ? 2 : 5;
const SIDE_PAIRS = sized("RUNE_BENCH_PAIRS", 6, 2);
const SIDE_ROUNDS = 2;
const WARMUP_SECONDS = quick ? 1 : 8;

interface ObsPeer {
  name: string;
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
}

/** A fresh "off" and "on" server on the server core, each with an open MCP session. */
async function startPeers(): Promise<ObsPeer[]> {
  const peers: ObsPeer[] = [];
  try {
    for (const mode of ["off", "on"] as const) {
      const { child, endpoints } = await startServer(
        [here("./servers/rune-http-obs.js"), mode],
        cores?.server,
      );
      peers.push({ name: mode, child, url: endpoints[0] as string, headers: {} });
      const session = await openSession(endpoints[0] as string);
      (peers.at(-1) as ObsPeer).headers = {
        ...HEADERS,
        "mcp-session-id": session,
        "mcp-protocol-version": "2025-11-25",
      };
    }
    return peers;
  } catch (error) {
    for (const p of peers) await stopServer(p.child);
    throw error;
  }
}

/** Runs the HTTP rounds; returns the "off" server's CPU microseconds per call. */
async function overhead(): Promise<number> {
  ensureWrk();
  const peers = await startPeers();
  let cpuOff: number;
  try {
    cpuOff = await measureOverhead(peers);
  } finally {
    // However the rounds end, the servers go: a failed round must not leave the run hanging.
    for (const p of peers) await stopServer(p.child);
  }
  await sideBySide();
  return cpuOff;
}

async function measureOverhead(peers: ObsPeer[]): Promise<number> {
  const rates = new Map<string, number[]>();
  const cpuPerCall = new Map<string, number[]>();
  /** Calls/s, and the server's CPU microseconds per call (steadier than calls/s on a shared machine). */
  const load = (p: ObsPeer, seconds: number): { rate: number; cpuUs: number } => {
    const before = cpuTimeNs(p.child.pid as number);
    const r = wrk(p.url, JSON.stringify(CALL), p.headers, 32, seconds, cores?.client);
    const cpu = Number(cpuTimeNs(p.child.pid as number) - before) / 1000;
    if (r.non2xx > 0) throw new Error(`${p.name}: ${r.non2xx} responses were not 2xx`);
    return { rate: r.requestsPerSecond, cpuUs: cpu / (r.requestsPerSecond * seconds) };
  };
  for (const p of peers) load(p, WARMUP_SECONDS);
  // Each round runs both servers back to back, so its on/off ratios share the machine's state of
  // the moment; the median of those paired ratios is steadier than a ratio of the two medians.
  const pairedRate: number[] = [];
  const pairedCpu: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const measured = new Map<string, { rate: number; cpuUs: number }>();
    for (const p of round % 2 === 0 ? peers : [...peers].reverse()) {
      const { rate, cpuUs } = load(p, SECONDS);
      measured.set(p.name, { rate, cpuUs });
      rates.set(p.name, [...(rates.get(p.name) ?? []), rate]);
      cpuPerCall.set(p.name, [...(cpuPerCall.get(p.name) ?? []), cpuUs]);
    }
    const offRound = measured.get("off");
    const onRound = measured.get("on");
    if (offRound && onRound) {
      pairedRate.push(onRound.rate / offRound.rate);
      pairedCpu.push(onRound.cpuUs / offRound.cpuUs);
    }
  }
  // The "on" server really counted: its /metrics shows the calls.
  const on = peers[1] as ObsPeer;
  // A fresh connection: the one kept alive since the session opened may have timed out meanwhile.
  const metrics = await freshGet(new URL("/metrics", on.url));
  const counted =
    /rune_requests_total\{transport="http",method="tools\/call",tool="echo",outcome="ok"\} (\d+)/.exec(
      metrics,
    );
  const off = median(rates.get("off") ?? []);
  const onRate = median(rates.get("on") ?? []);
  console.log(`${WARMUP_SECONDS} s warm-up each, then ${ROUNDS} alternating rounds of ${SECONDS} s; medians`);
  const cpuOff = median(cpuPerCall.get("off") ?? []);
  const cpuOn = median(cpuPerCall.get("on") ?? []);
  printTable([
    ["echo server", "calls/s", "server CPU µs/call", "calls/s by round"],
    ["operations off", fmt(off, 0), fmt(cpuOff, 1), (rates.get("off") ?? []).map((r) => fmt(r, 0)).join(" ")],
    [
      "operations on (metrics, logs, history)",
      fmt(onRate, 0),
      fmt(cpuOn, 1),
      (rates.get("on") ?? []).map((r) => fmt(r, 0)).join(" "),
    ],
  ]);
  console.log(`calls counted by the "on" server's /metrics: ${counted?.[1] ?? "none (metrics missing!)"}`);
  printInfo("calls/s on/off, ratio of the medians", onRate / off, "moves with the machine between rounds");
  printInfo("server CPU per call on/off, ratio of the medians", cpuOn / cpuOff, "the same");
  const spread = (values: number[]) =>
    `rounds ${[...values]
      .sort((a, b) => a - b)
      .map((v) => v.toFixed(2))
      .join(" ")}`;
  printInfo("calls/s on/off, median of paired rounds", median(pairedRate), spread(pairedRate));
  printInfo("server CPU per call on/off, median of paired rounds", median(pairedCpu), spread(pairedCpu));
  return cpuOff;
}

/**
 * Both servers loaded at once, sharing the server core: the scheduler gives each half of it, so
 * whatever slows the machine at that moment slows both alike, and their calls/s ratio is the
 * inverse of their CPU per call without the drift between back-to-back rounds. Two identical
 * servers still differ by up to ±4% from one start to the next (where the heap and code land), so
 * the ratio is taken over several fresh pairs.
 */
async function sideBySide(): Promise<void> {
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  for (let pair = 0; pair < SIDE_PAIRS; pair++) {
    const peers = await startPeers();
    try {
      const load = () =>
        Promise.all(
          peers.map((p) => wrkAsync(p.url, JSON.stringify(CALL), p.headers, 32, SECONDS, cores?.client)),
        );
      await load(); // warm-up
      for (let round = 0; round < SIDE_ROUNDS; round++) {
        const before = peers.map((p) => cpuTimeNs(p.child.pid as number));
        const results = await load();
        const cpuUs = peers.map(
          (p, i) => Number(cpuTimeNs(p.child.pid as number) - (before[i] as bigint)) / 1000,
        );
        for (const [i, r] of results.entries()) {
          if (r.non2xx > 0) throw new Error(`${peers[i]?.name}: ${r.non2xx} responses were not 2xx`);
        }
        const [off, on] = results as [WrkResult, WrkResult];
        ratios.push(on.requestsPerSecond / off.requestsPerSecond);
        const perCall = (i: number) =>
          (cpuUs[i] as number) / ((results[i] as WrkResult).requestsPerSecond * SECONDS);
        cpuRatios.push(perCall(1) / perCall(0));
      }
    } finally {
      for (const p of peers) await stopServer(p.child);
    }
  }
  console.log(
    `side by side: both servers loaded at once on the server core; ${SIDE_PAIRS} fresh pairs, ${SIDE_ROUNDS} rounds of ${SECONDS} s each after a warm-up`,
  );
  const sorted = (values: number[]) =>
    `rounds ${[...values]
      .sort((a, b) => a - b)
      .map((v) => v.toFixed(2))
      .join(" ")}`;
  printRatio("calls/s on/off, side by side (median)", median(ratios), { atLeast: 0.95 }, sorted(ratios));
  printInfo("server CPU per call on/off, side by side (median)", median(cpuRatios), sorted(cpuRatios));
}

async function compression(): Promise<void> {
  // The repository's own node_modules, pinned by package-lock.json: the same files every run.
  const root = fileURLToPath(new URL("../../node_modules/", import.meta.url));
  const engine = new Engine({ roots: [root], allowWrites: false, workers: 2 });
  let body: Buffer;
  try {
    const result = await engine.scope.search.search({
      patterns: ["function"],
      noIgnore: true,
      maxResults: quick ? 5_000 : 25_000,
      timeoutMs: 60_000,
    });
    const text = result.files
      .flatMap((f) => f.matches.map((m) => `${f.path}:${m.line}:${m.column}:${m.text}`))
      .join("\n");
    const response = {
      jsonrpc: "2.0",
      id: 1,
      result: { content: [{ type: "text", text }], structuredContent: result },
    };
    body = Buffer.from(JSON.stringify(response));
  } finally {
    await engine.dispose();
  }
  const codings = SUPPORTED_ENCODINGS as readonly Exclude<ContentEncoding, "identity">[];
  const sizes = new Map<string, number>();
  const times = await alternate(
    codings.map((name) => ({ name })),
    quick ? 3 : 7,
    async ({ name }) => {
      const start = process.hrtime.bigint();
      const out = await new Promise<Buffer>((resolve, reject) =>
        compress(name, body, (error, data) => (error ? reject(error) : resolve(data))),
      );
      const ms = msSince(start);
      sizes.set(name, out.length);
      return ms;
    },
  );
  const rows = [["coding", "bytes", "of identity", "ms to compress", "MB/s"]];
  rows.push(["identity", String(body.length), "1.000", "0", "-"]);
  for (const name of codings) {
    const size = sizes.get(name) ?? 0;
    const ms = times.get(name) ?? 0;
    rows.push([
      name,
      String(size),
      (size / body.length).toFixed(3),
      fmt(ms, 1),
      fmt(body.length / 1e6 / (ms / 1000), 0),
    ]);
  }
  console.log(
    `a search result of ${fmt(body.length / 1e6, 2)} MB of JSON (tools/call response shape); medians`,
  );
  printTable(rows);
  if (!SUPPORTED_ENCODINGS.includes("zstd"))
    console.log(`zstd: not in this Node (${process.version}); offered where zlib has it`);
  for (const name of codings) {
    printInfo(`bytes ${name}/identity`, (sizes.get(name) ?? 0) / body.length, "smaller is better");
  }
  // On loopback the time is the cost; over a 100 Mbit/s link the bytes saved are worth this many ms.
  const link = 100e6 / 8;
  for (const name of codings) {
    const saved = ((body.length - (sizes.get(name) ?? 0)) / link) * 1000;
    printInfo(
      `${name}: ms saved on 100 Mbit/s per ms spent`,
      saved / (times.get(name) ?? 1),
      "> 1: worth it off-machine",
    );
  }
}

/**
 * What operations add to a call, with no sockets: the same Operations as the HTTP "on" peer
 * (metrics, live history, request logs through pino to a file at info) against none. Dispatch
 * without I/O is steady where the HTTP rounds are not, so the added microseconds over the HTTP
 * call's whole server CPU (measured above, same run) is the cost figure: the HTTP server is
 * CPU-bound in those rounds, so its calls/s falls by that share.
 */
async function inProcess(httpCpuUsPerCall: number): Promise<void> {
  const calls = quick ? 100_000 : 500_000;
  const dir = mkdtempSync(join(tmpdir(), "rune-obs-inproc-"));
  const engine = new Engine({ roots: [dir], allowWrites: false, workers: 1 });
  const made: Operations[] = [];
  const make = (on: boolean) => {
    if (!on) return runeEchoServer();
    const redactor = new Redactor();
    const logger = new RuneLogger({ level: "info", file: join(dir, `rune-${made.length}.log`), redactor });
    const ops = new Operations(logger, redactor, {
      status: () => engine.status(),
      sessions: () => [],
      config: () => ({}),
      editorExpected: false,
      version: "bench",
    });
    made.push(ops);
    return runeEchoServer({ observer: ops.metrics, logger: ops.logger });
  };
  try {
    const times = await alternate([{ name: "off" }, { name: "on" }], quick ? 3 : 7, ({ name }) =>
      inProcessCallUs(make(name === "on"), calls),
    );
    const off = times.get("off") ?? 0;
    const on = times.get("on") ?? 0;
    printTable([
      ["dispatch, no I/O", "µs/call"],
      ["operations off", fmt(off, 2)],
      ["operations on (as the HTTP peer: metrics, history, logs)", fmt(on, 2)],
    ]);
    printInfo("in-process µs/call on/off", on / off, "the server's own work only, no sockets");
    console.log(
      `added per call: ${fmt(on - off, 2)} µs, against ${fmt(httpCpuUsPerCall, 1)} µs of server CPU per HTTP call (off, above)`,
    );
    // A floor, not the cost: under HTTP load the same work costs several times its in-process
    // share (colder caches between calls); the side-by-side ratio above is the figure.
    printInfo(
      "operations' in-process share of an HTTP call's server CPU",
      Math.max(0, on - off) / httpCpuUsPerCall,
      "a floor; see side by side",
    );
  } finally {
    for (const ops of made) ops.close();
    await engine.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function obs(): Promise<void> {
  printContext("obs (a): cost of metrics + logging on tools/call over HTTP");
  const httpCpuUsPerCall = await overhead();
  await inProcess(httpCpuUsPerCall);
  printContext("obs (b): compression of a large search result");
  await compression();
}

/** A GET on a connection of its own (no agent), so no kept-alive socket can have gone stale. */
function freshGet(url: URL): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, { agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve(body));
      res.on("error", reject);
    }).on("error", reject);
  });
}
