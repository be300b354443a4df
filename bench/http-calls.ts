/**
 * tools/call over Streamable HTTP with keep-alive: Rune against the official SDK server (stateful,
 * JSON responses), the same wrk client and connections, in one run; a bare node:http JSON echo is
 * the ceiling. Also reports tools/call over Rune's IDE WebSocket.
 */
import { type ChildProcess, spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import WebSocket from "ws";
import { cores } from "./lib/pinning.js";
import { startServer, stopServer } from "./lib/process.js";
import { fmt, printContext, printRatio, printTable } from "./lib/report.js";
import { residentMiB } from "./lib/rss.js";
import { quick, sized } from "./lib/scale.js";
import { median } from "./lib/stats.js";
import { ensureWrk, type WrkResult, wrk } from "./lib/wrk.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));
const ROUNDS = sized("RUNE_BENCH_ROUNDS", 3, 1);
const SECONDS = quick ? 2 : 8;
/**
 * Untimed load before the rounds, so every peer is measured after V8 has optimised its hot path
 * (Rune's calls/s still climbed for about 10 s of load here; the bare echo's for under 3 s).
 */
const WARMUP_SECONDS = quick ? 1 : 10;
const CONNECTIONS = 32;
export const HEADERS = { "content-type": "application/json", accept: "application/json, text/event-stream" };
export const CALL = {
  jsonrpc: "2.0",
  id: 1,
  method: "tools/call",
  params: { name: "echo", arguments: { text: "hello from the benchmark" } },
};

/** Opens an MCP session and checks that one echo call works; returns the session id. */
export async function openSession(url: string): Promise<string> {
  const init = await fetch(url, {
    method: "POST",
    headers: HEADERS,
    body: JSON.stringify({
      jsonrpc: "2.0",
      id: 0,
      method: "initialize",
      params: {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    }),
  });
  await init.text();
  const session = init.headers.get("mcp-session-id") ?? "";
  const headers = { ...HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
  await fetch(url, {
    method: "POST",
    headers,
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  const probe = await fetch(url, { method: "POST", headers, body: JSON.stringify(CALL) });
  const text = await probe.text();
  if (!text.includes("hello from the benchmark"))
    throw new Error(`echo failed on ${url}: ${probe.status} ${text}`);
  return session;
}

/** Pipelined tools/call over one WebSocket with `inFlight` outstanding; returns calls/s. */
async function websocketCalls(endpoint: string, total: number, inFlight: number): Promise<number> {
  const ws = new WebSocket(endpoint, ["mcp"], { headers: { "x-claude-code-ide-authorization": "bench" } });
  await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
  const pending = new Map<number, () => void>();
  ws.on("message", (data) => {
    const { id } = JSON.parse(data.toString()) as { id: number };
    pending.get(id)?.();
    pending.delete(id);
  });
  const call = (id: number, method: string, params: object): Promise<void> =>
    new Promise((resolve) => {
      pending.set(id, resolve);
      ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
    });
  await call(0, "initialize", {
    protocolVersion: "2025-11-25",
    capabilities: {},
    clientInfo: { name: "b", version: "1" },
  });
  let next = 1;
  const start = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next <= total) await call(next++, "tools/call", CALL.params);
    }),
  );
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  ws.close();
  return total / seconds;
}

interface Peer {
  name: string;
  child: ChildProcess;
  url: string;
  endpoints: string[];
  headers: Record<string, string>;
}

export async function httpCalls(): Promise<void> {
  printContext(
    `http-calls: tools/call over Streamable HTTP, ${CONNECTIONS} keep-alive connections (wrk, 1 thread)`,
  );
  console.log(
    cores
      ? `pinned: every server on CPU ${cores.server}, wrk and the WebSocket client on CPU ${cores.client}`
      : "not pinned (needs 2 CPUs and taskset)",
  );
  ensureWrk();
  const peers = [
    { name: "rune", script: here("./servers/rune-http.js") },
    { name: "sdk", script: here("./servers/sdk-http.js") },
    { name: "bare node:http", script: here("./servers/bare-http.js") },
  ];
  const results = new Map<string, WrkResult[]>();
  const rss = new Map<string, number>();
  const servers: Peer[] = [];
  for (const peer of peers) {
    const { child, endpoints } = await startServer([peer.script], cores?.server);
    const url = endpoints[0] as string;
    const session = peer.name === "bare node:http" ? "bare" : await openSession(url);
    const headers = { ...HEADERS, "mcp-session-id": session, "mcp-protocol-version": "2025-11-25" };
    servers.push({ ...peer, child, url, endpoints, headers });
  }
  const load = (s: Peer, seconds: number): WrkResult => {
    const r = wrk(s.url, JSON.stringify(CALL), s.headers, CONNECTIONS, seconds, cores?.client);
    if (r.non2xx > 0) throw new Error(`${s.name}: ${r.non2xx} responses were not 2xx`);
    return r;
  };
  for (const s of servers) load(s, WARMUP_SECONDS);
  for (let round = 0; round < ROUNDS; round++) {
    for (const s of round % 2 === 0 ? servers : [...servers].reverse()) {
      results.set(s.name, [...(results.get(s.name) ?? []), load(s, SECONDS)]);
      rss.set(s.name, residentMiB(s.child.pid as number));
    }
  }
  const rune = servers[0] as Peer;
  // The WebSocket client is this process: move it (all threads) to the client core for the run.
  if (cores) spawnSync("taskset", ["-apc", cores.client, String(process.pid)]);
  const wsRate = await websocketCalls(rune.endpoints[1] as string, quick ? 20_000 : 100_000, CONNECTIONS);
  if (cores) spawnSync("taskset", ["-apc", `0-${availableParallelism() - 1}`, String(process.pid)]);
  for (const s of servers) await stopServer(s.child);

  const get = (name: string, field: keyof WrkResult): number =>
    median((results.get(name) ?? []).map((r) => r[field]));
  const rows = [["server", "calls/s", "p50 ms", "p99 ms", "RSS MiB after load"]];
  for (const s of servers) {
    rows.push([
      s.name,
      fmt(get(s.name, "requestsPerSecond"), 0),
      fmt(get(s.name, "p50Ms"), 2),
      fmt(get(s.name, "p99Ms"), 2),
      fmt(rss.get(s.name) ?? 0),
    ]);
  }
  rows.push(["rune, IDE WebSocket (32 in flight, 1 connection)", fmt(wsRate, 0), "-", "-", "-"]);
  console.log(
    `${WARMUP_SECONDS} s warm-up per server, then ${ROUNDS} alternating rounds of ${SECONDS} s each; medians over rounds`,
  );
  printTable(rows);
  printRatio("calls/s rune/sdk", get("rune", "requestsPerSecond") / get("sdk", "requestsPerSecond"), {
    atLeast: 5,
  });
  printRatio("p99 rune, ms (an absolute target)", get("rune", "p99Ms"), { atMost: 5 }, "", " ms");
  console.log(
    `calls/s rune/bare node:http ceiling`.padEnd(44),
    `${(get("rune", "requestsPerSecond") / get("bare node:http", "requestsPerSecond")).toFixed(2).padStart(6)}x`,
  );
}
