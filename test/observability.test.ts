import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";
import { type RunningHttp, rawRequest, sdkHttpClient, startRuneHttp } from "./helpers/http-server.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { connectSdkClient, tempDir } from "./helpers/sdk-client.js";

const run = promisify(execFile);
const TOKEN = "obs-test-token-4f7c1b9e2d6a8c3f5e0b7d1a";

describe("observability over HTTP: metrics, health, logs, compression, debug dump", () => {
  const root = tempDir();
  const logFile = join(tempDir(), "rune.log");
  let server: RunningHttp;
  let client: Client;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const at = (path: string): URL => new URL(path, server.url);

  before(async () => {
    writeFileSync(join(root, "small.txt"), "hello\n");
    writeFileSync(join(root, "big.txt"), `${"a line of text that compresses well\n".repeat(2000)}`);
    server = await startRuneHttp(TOKEN, [
      "--json-response",
      "--log-file",
      logFile,
      "--log-level",
      "debug",
      root,
    ]);
    client = await sdkHttpClient(server);
  });
  after(async () => {
    await client?.close();
    await server?.stop();
  });

  it("counts calls per tool and transport and times them in histograms on /metrics", async () => {
    for (let i = 0; i < 3; i++)
      await client.callTool({ name: "read_file", arguments: { path: "small.txt" } });
    await client.callTool({ name: "workspace_info", arguments: {} });
    const failed = await client.callTool({ name: "read_file", arguments: { path: "missing.txt" } });
    assert.equal(failed.isError, true);
    const res = await fetch(at("/metrics"), { headers: auth });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /text\/plain/);
    const text = await res.text();
    assert.match(
      text,
      /rune_requests_total\{transport="http",method="tools\/call",tool="read_file",outcome="ok"\} 3\n/,
    );
    assert.match(
      text,
      /rune_requests_total\{transport="http",method="tools\/call",tool="read_file",outcome="tool_error"\} 1\n/,
    );
    assert.match(
      text,
      /rune_requests_total\{transport="http",method="tools\/call",tool="workspace_info",outcome="ok"\} 1\n/,
    );
    assert.match(
      text,
      /rune_request_duration_seconds_count\{transport="http",method="tools\/call",tool="read_file"\} 4\n/,
    );
    assert.match(
      text,
      /rune_request_duration_seconds_bucket\{le="\+Inf",transport="http",method="tools\/call",tool="read_file"\} 4\n/,
    );
    assert.match(text, /rune_active_sessions\{transport="http"\} 1\n/);
    assert.match(text, /rune_process_resident_memory_bytes \d+/);
    assert.match(text, /rune_nodejs_heap_size_used_bytes \d+/);
    assert.match(text, /rune_worker_pool_max_threads \d+/);
  });

  it("counts a call the client cancelled as cancelled, not as a server failure, and logs no failure", async () => {
    // Catastrophic backtracking: the search runs until it is stopped.
    writeFileSync(join(root, "slow.txt"), `${"a".repeat(60)}b\n`);
    const stop = new AbortController();
    const call = client.callTool(
      { name: "search", arguments: { patterns: ["(a+)+$"], regex: true, timeoutMs: 60_000 } },
      undefined,
      { signal: stop.signal },
    );
    setTimeout(() => stop.abort(), 300);
    await assert.rejects(call);
    const deadline = Date.now() + 5_000;
    let text = "";
    while (Date.now() < deadline) {
      text = await (await fetch(at("/metrics"), { headers: auth })).text();
      if (text.includes('tool="search",outcome="cancelled"')) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.match(
      text,
      /rune_requests_total\{transport="http",method="tools\/call",tool="search",outcome="cancelled"\} 1\n/,
    );
    assert.doesNotMatch(text, /tool="search",outcome="error"/);
    assert.doesNotMatch(readFileSync(logFile, "utf8"), /request failed/);
  });

  it("refuses /metrics, /health, /debug/dump and the dashboard without the token; liveness says only ok", async () => {
    for (const path of [
      "/metrics",
      "/health",
      "/health/ready",
      "/debug/dump",
      "/dashboard",
      "/dashboard/data",
      "/dashboard/app.js",
    ]) {
      const res = await rawRequest(at(path));
      assert.equal(res.status, 401, path);
      const wrong = await rawRequest(at(path), { headers: { authorization: "Bearer wrong" } });
      assert.equal(wrong.status, 401, `${path} with a wrong token`);
    }
    const live = await rawRequest(at("/health/live"));
    assert.equal(live.status, 200);
    assert.deepEqual(JSON.parse(live.body.toString()), { status: "ok" });
    // Host checks still apply to the open probe (DNS rebinding).
    const rebound = await rawRequest(at("/health/live"), { headers: { host: "evil.example" } });
    assert.equal(rebound.status, 403);
    const health = await fetch(at("/health"), { headers: auth });
    const body = (await health.json()) as { ready: boolean; checks: Record<string, { ok: boolean }> };
    assert.equal(body.ready, true);
    assert.deepEqual(Object.keys(body.checks).sort(), ["editor", "index"]);
  });

  it("hands the dashboard a cookie for the token, HttpOnly and SameSite=Strict, and redirects the token away", async () => {
    const exchange = await rawRequest(at(`/dashboard?token=${TOKEN}`));
    assert.equal(exchange.status, 303);
    assert.equal(exchange.headers.location, "/dashboard");
    const cookie = String(exchange.headers["set-cookie"]);
    assert.match(cookie, /^rune_dashboard=[\w-]{40,}; HttpOnly; SameSite=Strict; Path=\//);
    assert.ok(!cookie.includes(TOKEN));
    const pair = cookie.split(";")[0] as string;
    const page = await rawRequest(at("/dashboard"), { headers: { cookie: pair } });
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-security-policy"]), /script-src 'self'/);
    const data = await fetch(at("/dashboard/data"), { headers: { cookie: pair } });
    const json = (await data.json()) as { sessions: unknown[]; series: unknown[] };
    assert.ok(json.sessions.length >= 1);
    assert.ok(json.series.length > 0);
    const bad = await rawRequest(at("/dashboard?token=nope"));
    assert.equal(bad.status, 401);
    assert.equal(bad.headers["set-cookie"], undefined);
  });

  it("bridges server log events to a client that set a level, as the log file gets them", async () => {
    const seen: { level: string; data: unknown }[] = [];
    client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
      seen.push({ level: n.params.level, data: n.params.data });
    });
    await client.setLoggingLevel("debug");
    await client.callTool({ name: "file_info", arguments: { path: "small.txt" } });
    const deadline = Date.now() + 5_000;
    const isFileInfo = (d: unknown): boolean => (d as { tool?: string }).tool === "file_info";
    while (!seen.some((s) => isFileInfo(s.data)) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const event = seen.find((s) => isFileInfo(s.data));
    assert.ok(event, `no notifications/message for the call; got ${JSON.stringify(seen)}`);
    assert.equal(event.level, "debug");
    const data = event.data as { message: string; session: string; id: number; method: string };
    assert.equal(data.message, "request");
    assert.equal(data.method, "tools/call");
    const lines = readFileSync(logFile, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const logged = lines.find((l) => l.msg === "request" && l.tool === "file_info");
    assert.ok(logged, "the log file has the same event");
    assert.equal(logged.id, data.id);
    assert.equal(logged.session, data.session);
    assert.equal(logged.level, 20);
  });

  async function post(
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; json: () => unknown }> {
    const init = await rawRequest(server.url, {
      method: "POST",
      headers: { ...auth, "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: {
          protocolVersion: "2025-06-18",
          capabilities: {},
          clientInfo: { name: "raw", version: "1" },
        },
      }),
    });
    const session = String(init.headers["mcp-session-id"]);
    const res = await rawRequest(server.url, {
      method: "POST",
      headers: {
        ...auth,
        "mcp-session-id": session,
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "read_file", arguments: { path: "big.txt" } },
      }),
    });
    const encoding = res.headers["content-encoding"];
    const decoded =
      encoding === "gzip"
        ? gunzipSync(res.body)
        : encoding === "br"
          ? brotliDecompressSync(res.body)
          : res.body;
    return { status: res.status, headers: res.headers, json: () => JSON.parse(decoded.toString("utf8")) };
  }

  it("compresses large JSON answers as Accept-Encoding asks, q-values included", async () => {
    const cases: [string | undefined, string | undefined][] = [
      ["gzip", "gzip"],
      ["br", "br"],
      ["gzip, deflate, br", "br"],
      ["gzip;q=1, br;q=0.5", "gzip"],
      ["gzip;q=0", undefined],
      ["br;q=0, gzip;q=0", undefined],
      ["*", "br"],
      ["identity", undefined],
      [undefined, undefined],
    ];
    for (const [accept, expected] of cases) {
      const res = await post(accept === undefined ? {} : { "accept-encoding": accept });
      assert.equal(res.status, 200);
      assert.equal(res.headers["content-encoding"], expected, `Accept-Encoding: ${accept}`);
      assert.equal(res.headers.vary, "accept-encoding", `Vary for ${accept}`);
      const body = res.json() as { result: { content: { text: string }[] } };
      assert.match(body.result.content[0]?.text ?? "", /^a line of text that compresses well\n/);
    }
    const metrics = await rawRequest(at("/metrics"), { headers: { ...auth, "accept-encoding": "gzip" } });
    assert.equal(metrics.headers["content-encoding"], "gzip");
    assert.match(gunzipSync(metrics.body).toString(), /rune_requests_total/);
  });

  it("exports the engine cache's hits and misses (big.txt was read many times above)", async () => {
    const text = await (await fetch(at("/metrics"), { headers: auth })).text();
    const hits = /rune_cache_hits_total\{kind="file"\} (\d+)/.exec(text);
    const misses = /rune_cache_misses_total\{kind="file"\} (\d+)/.exec(text);
    assert.ok(hits && Number(hits[1]) >= 5, `file hits: ${hits?.[1]}`);
    assert.ok(misses && Number(misses[1]) >= 1, `file misses: ${misses?.[1]}`);
    assert.match(text, /rune_cache_bytes\{kind="file"\} [1-9]\d*/);
  });

  it("leaves small answers uncompressed", async () => {
    const res = await rawRequest(at("/health"), { headers: { ...auth, "accept-encoding": "gzip" } });
    assert.equal(res.headers["content-encoding"], undefined);
  });

  it("dumps configuration, sessions, status, errors and metrics from the running server, without the token", async () => {
    const base = `${server.url.protocol}//${server.url.host}`;
    const { stdout } = await run(process.execPath, [RUNE_MAIN, "debug", "dump", "--url", base], {
      env: { ...process.env, RUNE_TOKEN: TOKEN },
    });
    assert.ok(!stdout.includes(TOKEN), "the token is not in the dump");
    const dump = JSON.parse(stdout) as Record<string, unknown> & { config: Record<string, unknown> };
    assert.equal(dump.kind, "rune-debug-dump");
    assert.equal(dump.config.token, "[REDACTED]");
    assert.ok(Array.isArray(dump.sessions) && dump.sessions.length >= 1);
    assert.ok(Array.isArray(dump.recentErrors));
    assert.ok(JSON.stringify(dump.metrics).includes("rune_requests_total"));
    assert.ok(!readFileSync(logFile, "utf8").includes(TOKEN), "the token is not in the log");
  });

  it("refuses a dump request with the wrong token, saying so", async () => {
    const base = `${server.url.protocol}//${server.url.host}`;
    await assert.rejects(
      run(process.execPath, [RUNE_MAIN, "debug", "dump", "--url", base], {
        env: { ...process.env, RUNE_TOKEN: "wrong-token-123" },
      }),
      /refused the token/,
    );
  });
});

describe("rune debug dump for the local configuration", () => {
  it("describes the configuration with tokens removed", async () => {
    const root = tempDir();
    const secret = "ghp_abcdefghijklmnopqrstuvwxyz0123456789";
    const { stdout } = await run(process.execPath, [
      RUNE_MAIN,
      "debug",
      "dump",
      "--token",
      secret,
      "--no-watch",
      root,
    ]);
    assert.ok(!stdout.includes(secret));
    const dump = JSON.parse(stdout) as {
      config: { roots: string[]; token: string };
      status: { index: { state: string } };
    };
    assert.deepEqual(dump.config.roots, [root]);
    assert.equal(dump.config.token, "[REDACTED]");
    assert.equal(dump.status.index.state, "idle");
  });
});

describe("rune serve --cache-dir", () => {
  it("keeps the symbol index's persistent cache under DIR/symbols", async () => {
    const root = tempDir();
    const cacheDir = join(tempDir(), "cache");
    writeFileSync(join(root, "shapes.ts"), "export function area(r: number) { return r * r; }\n");
    const { client, close } = await connectSdkClient(process.execPath, [
      RUNE_MAIN,
      "serve",
      "--cache-dir",
      cacheDir,
      root,
    ]);
    const found = await client.callTool({ name: "workspace_symbols", arguments: { query: "area" } });
    assert.match(JSON.stringify(found.structuredContent), /area/);
    await close();
    const folder = join(cacheDir, "symbols");
    const deadline = Date.now() + 10_000;
    while (!(existsSync(folder) && readdirSync(folder).length > 0) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    assert.ok(existsSync(folder) && readdirSync(folder).length > 0, `nothing written under ${folder}`);
  });
});

describe("readiness with --warm-index", () => {
  it("reports the symbol index's build, and answers /health/ready with 200 once it is built", async () => {
    const root = tempDir();
    for (let i = 0; i < 20; i++)
      writeFileSync(join(root, `m${i}.ts`), `export function f${i}() { return ${i}; }\n`);
    const server = await startRuneHttp(TOKEN, ["--warm-index", "--no-watch", root]);
    try {
      const ready = new URL("/health/ready", server.url);
      const headers = { authorization: `Bearer ${TOKEN}` };
      let body: { ready: boolean; checks: { index: { detail: string } } } | undefined;
      const deadline = Date.now() + 20_000;
      for (;;) {
        const res = await fetch(ready, { headers });
        body = (await res.json()) as typeof body;
        assert.equal(res.status, body?.ready ? 200 : 503);
        if (body?.ready || Date.now() > deadline) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.equal(body?.ready, true);
      assert.match(body?.checks.index.detail ?? "", /^ready \(20 files, 20 symbols\)/);
    } finally {
      await server.stop();
    }
  });
});
