/**
 * The cost of observability and what compression buys.
 * (a) tools/call over Streamable HTTP (wrk, 32 connections, as http-calls) against the same echo
 *     server with Rune's operations on (metrics, request logs, dashboard history, pino to a file)
 *     and off, in alternating rounds of one run: the calls/s ratio is the cost (target: lose <= 5%).
 * (b) a large `search` result (a few MB of JSON, the shape tools/call returns) compressed with
 *     each coding Rune offers: size and time against sending it as it is.
 */
import type { ChildProcess } from "node:child_process";
import { get } from "node:http";
import { fileURLToPath } from "node:url";
import { Engine } from "../src/engine/index.js";
import { LiveStats } from "../src/ops/live-stats.js";
import { RuneMetrics } from "../src/ops/metrics.js";
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
import { ensureWrk, wrk } from "./lib/wrk.js";
import { runeEchoServer } from "./servers/rune-echo-server.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 6, 2);
const SECONDS = quick ? 2 : 6;
const WARMUP_SECONDS = quick ? 1 : 8;

interface ObsPeer {
  name: string;
  child: ChildProcess;
  url: string;
  headers: Record<string, string>;
}

async function overhead(): Promise<void> {
  ensureWrk();
  const peers: ObsPeer[] = [];
  for (const mode of ["off", "on"] as const) {
    const { child, endpoints } = await startServer([here("./servers/rune-http-obs.js"), mode], cores?.server);
    const url = endpoints[0] as string;
    const session = await openSession(url);
    peers.push({
      name: mode,
      child,
      url,
      headers: { ...HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" },
    });
  }
  try {
    await measureOverhead(peers);
  } finally {
    // However the rounds end, the servers go: a failed round must not leave the run hanging.
    for (const p of peers) await stopServer(p.child);
  }
}

async function measureOverhead(peers: ObsPeer[]): Promise<void> {
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
  for (let round = 0; round < ROUNDS; round++) {
    for (const p of round % 2 === 0 ? peers : [...peers].reverse()) {
      const { rate, cpuUs } = load(p, SECONDS);
      rates.set(p.name, [...(rates.get(p.name) ?? []), rate]);
      cpuPerCall.set(p.name, [...(cpuPerCall.get(p.name) ?? []), cpuUs]);
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
  printRatio("calls/s on/off (cost of observability)", onRate / off, { atLeast: 0.95 });
  printRatio("server CPU per call on/off", cpuOn / cpuOff, { atMost: 1.05 }, "steadier on a shared machine");
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

/** The observer's own per-call cost, with no sockets: the figure the HTTP rounds cannot resolve on a busy machine. */
async function inProcess(): Promise<void> {
  const calls = quick ? 100_000 : 500_000;
  const make = (on: boolean) => {
    if (!on) return runeEchoServer();
    const metrics = new RuneMetrics();
    const live = new LiveStats();
    metrics.tap((record) => live.add(record));
    return runeEchoServer({ observer: metrics });
  };
  const times = await alternate([{ name: "off" }, { name: "on" }], quick ? 3 : 5, ({ name }) =>
    inProcessCallUs(make(name === "on"), calls),
  );
  const off = times.get("off") ?? 0;
  const on = times.get("on") ?? 0;
  printTable([
    ["dispatch, no I/O", "µs/call"],
    ["observer off", fmt(off, 2)],
    ["observer on (metrics + live history)", fmt(on, 2)],
  ]);
  printInfo("in-process µs/call on/off", on / off, "the server's own work only, no sockets");
  console.log(`added per call: ${fmt(on - off, 2)} µs`);
}

export async function obs(): Promise<void> {
  printContext("obs (a): cost of metrics + logging on tools/call over HTTP");
  await overhead();
  await inProcess();
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
