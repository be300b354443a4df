import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type McpServer, type StreamableHttpOptions, StreamableHttpServer } from "../src/protocol/index.js";
import { createConformanceServer } from "./fixtures/conformance-server.js";

type Json = Record<string, unknown>;
type Text = { type: string; text: string };

const INIT = {
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
};

async function start(
  options: StreamableHttpOptions = {},
): Promise<{ http: StreamableHttpServer; url: URL; mcp: McpServer }> {
  const mcp = createConformanceServer();
  const http = new StreamableHttpServer((t) => mcp.connect(t), { auth: false, ...options });
  return { http, url: await http.listen(), mcp };
}

function headers(extra: Record<string, string> = {}): Record<string, string> {
  return { "content-type": "application/json", accept: "application/json, text/event-stream", ...extra };
}

/** Initializes a session over raw HTTP and returns its id. */
async function rawSession(url: URL, extra: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { method: "POST", headers: headers(extra), body: JSON.stringify(INIT) });
  assert.equal(res.status, 200);
  await res.text();
  const id = res.headers.get("mcp-session-id");
  assert.ok(id);
  await fetch(url, {
    method: "POST",
    headers: headers({ ...extra, "mcp-session-id": id }),
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  return id;
}

/** Parses SSE text into events. */
function events(text: string): { id?: string; data: string }[] {
  return text
    .split("\n\n")
    .filter((block) => block.trim() !== "" && !block.startsWith(":"))
    .map((block) => {
      const event: { id?: string; data: string } = { data: "" };
      for (const line of block.split("\n")) {
        if (line.startsWith("id: ")) event.id = line.slice(4);
        if (line.startsWith("data: ")) event.data += line.slice(6);
      }
      return event;
    });
}

for (const jsonResponse of [false, true]) {
  describe(`Streamable HTTP with the official SDK client (${jsonResponse ? "JSON" : "SSE"} responses)`, () => {
    let server: Awaited<ReturnType<typeof start>>;
    let client: Client;
    before(async () => {
      server = await start({ jsonResponse });
      client = new Client({ name: "http-test", version: "1" }, { capabilities: { sampling: {} } });
      await client.connect(new StreamableHTTPClientTransport(server.url));
    });
    after(async () => {
      await client.close();
      await server.http.close();
    });

    it("initializes, lists and calls tools", async () => {
      assert.equal(client.getServerVersion()?.name, "mcp-conformance-test-server");
      const { tools } = await client.listTools();
      assert.ok(tools.some((t) => t.name === "test_simple_text"));
      const result = await client.callTool({ name: "test_simple_text", arguments: {} });
      assert.equal((result.content as Text[])[0]?.text, "This is a simple text response for testing.");
    });

    it("delivers progress during a call", async () => {
      const seen: number[] = [];
      await client.callTool({ name: "test_tool_with_progress", arguments: {} }, undefined, {
        onprogress: (p) => seen.push(p.progress),
      });
      assert.ok(seen.length >= 2, `progress seen: ${seen}`);
    });

    it("carries a server-to-client request (sampling) during a call", async () => {
      client.setRequestHandler(
        (await import("@modelcontextprotocol/sdk/types.js")).CreateMessageRequestSchema,
        () => ({
          role: "assistant",
          model: "m",
          content: { type: "text", text: "sampled" },
        }),
      );
      const result = await client.callTool({ name: "test_sampling", arguments: { prompt: "x" } });
      assert.equal((result.content as Text[])[0]?.text, "LLM response: sampled");
    });
  });
}

describe("Streamable HTTP sessions and resumability", () => {
  let server: Awaited<ReturnType<typeof start>>;
  before(async () => {
    server = await start({ retryMs: 50 });
  });
  after(() => server.http.close());

  it("answers a POST stream with a priming event first, then the response", async () => {
    const session = await rawSession(server.url);
    const res = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const [priming, reply] = events(await res.text());
    assert.ok(priming?.id);
    assert.equal(priming?.data, "");
    assert.deepEqual(JSON.parse(reply?.data ?? "{}"), { jsonrpc: "2.0", id: 1, result: {} });
  });

  it("resumes a dropped POST stream with Last-Event-ID and loses nothing", async () => {
    const session = await rawSession(server.url);
    const controller = new AbortController();
    const res = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session }),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 2,
        method: "tools/call",
        params: { name: "test_slow_operation", arguments: { ms: 400 }, _meta: { progressToken: "p" } },
      }),
      signal: controller.signal,
    });
    // Read until the first progress event, then drop the connection.
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("notifications/progress")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
    const seen = events(text.slice(0, text.lastIndexOf("\n\n") + 2));
    const lastId = seen.at(-1)?.id as string;
    const resumed = await fetch(server.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session, "last-event-id": lastId },
    });
    assert.equal(resumed.status, 200);
    const rest = events(await resumed.text()).map((e) => JSON.parse(e.data) as Json);
    const progress = [...seen.slice(1), ...rest.map((m) => ({ data: JSON.stringify(m) }))]
      .map((e) => JSON.parse(e.data) as Json)
      .filter((m) => m.method === "notifications/progress")
      .map((m) => (m.params as Json).progress);
    assert.deepEqual(progress, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    assert.equal(rest.at(-1)?.id, 2);
  });

  it("delivers notifications unrelated to a request on the GET stream", async () => {
    const session = await rawSession(server.url);
    const controller = new AbortController();
    const get = await fetch(server.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
      signal: controller.signal,
    });
    assert.equal(get.status, 200);
    const second = await fetch(server.url, {
      headers: { accept: "text/event-stream", "mcp-session-id": session },
    });
    assert.equal(second.status, 409);
    await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session }),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 3,
        method: "resources/subscribe",
        params: { uri: "test://watched-resource" },
      }),
    }).then((r) => r.text());
    server.mcp.notifyResourceUpdated("test://watched-resource");
    const reader = (get.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    while (!text.includes("notifications/resources/updated")) {
      const { value } = await reader.read();
      text += new TextDecoder().decode(value);
    }
    controller.abort();
  });

  it("answers 202 to a notification, 400 without a session id, 404 for an unknown session", async () => {
    const session = await rawSession(server.url);
    const note = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session }),
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/roots/list_changed" }),
    });
    assert.equal(note.status, 202);
    const ping = JSON.stringify({ jsonrpc: "2.0", id: 9, method: "ping" });
    const missing = await fetch(server.url, { method: "POST", headers: headers(), body: ping });
    assert.equal(missing.status, 400);
    assert.match(
      ((await missing.json()) as { error: { message: string } }).error.message,
      /Mcp-Session-Id header is required/,
    );
    const unknown = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": "nope" }),
      body: ping,
    });
    assert.equal(unknown.status, 404);
  });

  it("keeps no session for an initialize it refused", async () => {
    const before = server.http.sessionCount;
    const res = await fetch(server.url, {
      method: "POST",
      headers: headers(),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { protocolVersion: 7 } }),
    });
    assert.match(await res.text(), /protocolVersion\\" must be a string/);
    assert.equal(server.http.sessionCount, before);
  });

  it("ends a session on DELETE; the id is then unknown", async () => {
    const session = await rawSession(server.url);
    const del = await fetch(server.url, { method: "DELETE", headers: { "mcp-session-id": session } });
    assert.equal(del.status, 200);
    const after = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(after.status, 404);
  });

  it("refuses malformed JSON with 400 and -32700, and an unsupported protocol version header with 400", async () => {
    const bad = await fetch(server.url, { method: "POST", headers: headers(), body: "{nope" });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: number } }).error.code, -32700);
    const session = await rawSession(server.url);
    const version = await fetch(server.url, {
      method: "POST",
      headers: headers({ "mcp-session-id": session, "mcp-protocol-version": "1999-01-01" }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    assert.equal(version.status, 400);
  });

  it("refuses a GET that does not accept SSE (406) and a body that is not JSON (415)", async () => {
    const session = await rawSession(server.url);
    const get = await fetch(server.url, {
      headers: { accept: "application/json", "mcp-session-id": session },
    });
    assert.equal(get.status, 406);
    const form = await fetch(server.url, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "x",
    });
    assert.equal(form.status, 415);
  });

  it("refuses a new session past the cap with 503", async () => {
    const small = await start({ maxSessions: 1 });
    try {
      await rawSession(small.url);
      const refused = await fetch(small.url, {
        method: "POST",
        headers: headers(),
        body: JSON.stringify(INIT),
      });
      assert.equal(refused.status, 503);
    } finally {
      await small.http.close();
    }
  });

  it("closes idle sessions after their TTL, which frees their place under the cap", async () => {
    const small = await start({ sessionTtlMs: 40, maxSessions: 1 });
    try {
      const first = await rawSession(small.url);
      // The sweeper runs every TTL/4; on a loaded machine it may take longer, so wait for it
      // rather than for a fixed time.
      const deadline = Date.now() + 10_000;
      while (small.http.sessionCount > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      assert.equal(small.http.sessionCount, 0);
      const gone = await fetch(small.url, {
        method: "POST",
        headers: headers({ "mcp-session-id": first }),
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
      });
      assert.equal(gone.status, 404);
      await rawSession(small.url);
    } finally {
      await small.http.close();
    }
  });
});

describe("Streamable HTTP streams under load and while idle", () => {
  it("sends keep-alive comments on an idle stream", async () => {
    const server = await start({ keepAliveMs: 20 });
    try {
      const session = await rawSession(server.url);
      const controller = new AbortController();
      const get = await fetch(server.url, {
        headers: { accept: "text/event-stream", "mcp-session-id": session },
        signal: controller.signal,
      });
      const reader = (get.body as ReadableStream<Uint8Array>).getReader();
      let text = "";
      while (!text.includes(": keep-alive")) {
        const { value } = await reader.read();
        text += new TextDecoder().decode(value);
      }
      controller.abort();
    } finally {
      await server.http.close();
    }
  });

  it("drops a reader that stops reading once its backlog passes the bound, and keeps serving", async () => {
    const server = await start({ maxBufferedBytes: 64 * 1024 });
    try {
      const session = await rawSession(server.url);
      const { connect } = await import("node:net");
      const socket = connect(Number(server.url.port), "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      socket.write(
        `GET /mcp HTTP/1.1\r\nHost: 127.0.0.1:${server.url.port}\r\nAccept: text/event-stream\r\nMcp-Session-Id: ${session}\r\n\r\n`,
      );
      socket.pause(); // a client that never reads
      await fetch(server.url, {
        method: "POST",
        headers: headers({ "mcp-session-id": session }),
        body: JSON.stringify({
          jsonrpc: "2.0",
          id: 1,
          method: "resources/subscribe",
          params: { uri: "test://watched-resource" },
        }),
      }).then((r) => r.text());
      const closed = new Promise((resolve) => socket.once("close", resolve));
      for (let i = 0; i < 2000 && !socket.destroyed; i++) {
        for (let j = 0; j < 100; j++) server.mcp.notifyResourceUpdated("test://watched-resource");
        await new Promise((resolve) => setImmediate(resolve));
      }
      socket.resume(); // let the close arrive
      await closed;
      assert.ok(await rawSession(server.url));
    } finally {
      await server.http.close();
    }
  });
});

describe("Streamable HTTP security", () => {
  let server: Awaited<ReturnType<typeof start>>;
  const token = "test-token-0123456789";
  before(async () => {
    server = await start({
      auth: true,
      token,
      maxBodyBytes: 4096,
      oauth: { authorizationServers: ["https://auth.example.com"], scopes: ["mcp"] },
    });
  });
  after(() => server.http.close());
  const auth = { authorization: `Bearer ${token}` };

  it("refuses a request without a token with 401 and a Bearer challenge naming the resource metadata", async () => {
    const res = await fetch(server.url, { method: "POST", headers: headers(), body: JSON.stringify(INIT) });
    assert.equal(res.status, 401);
    const challenge = res.headers.get("www-authenticate") ?? "";
    assert.match(
      challenge,
      /^Bearer realm="rune", resource_metadata="http:\/\/127\.0\.0\.1:\d+\/\.well-known\/oauth-protected-resource\/mcp"$/,
    );
  });

  it("refuses a wrong token with 401 invalid_token", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: headers({ authorization: "Bearer wrong" }),
      body: JSON.stringify(INIT),
    });
    assert.equal(res.status, 401);
    assert.match(res.headers.get("www-authenticate") ?? "", /error="invalid_token"/);
  });

  it("accepts the right token", async () => {
    assert.ok(await rawSession(server.url, auth));
  });

  it("serves OAuth protected-resource metadata (RFC 9728) without a token", async () => {
    const res = await fetch(new URL("/.well-known/oauth-protected-resource/mcp", server.url));
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), {
      resource: server.url.href,
      authorization_servers: ["https://auth.example.com"],
      bearer_methods_supported: ["header"],
      scopes_supported: ["mcp"],
    });
  });

  it("refuses a DNS-rebinding Host with 403, before authentication", async () => {
    const { request } = await import("node:http");
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        server.url,
        { method: "POST", headers: { ...headers(), ...auth, host: "evil.example:80" } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.end(JSON.stringify(INIT));
    });
    assert.equal(status, 403);
  });

  it("refuses a foreign Origin with 403 and accepts a loopback one", async () => {
    const foreign = await fetch(server.url, {
      method: "POST",
      headers: headers({ ...auth, origin: "https://evil.example" }),
      body: JSON.stringify(INIT),
    });
    assert.equal(foreign.status, 403);
    assert.ok(await rawSession(server.url, { ...auth, origin: "http://localhost:3000" }));
  });

  it("refuses an oversize body with 413 and keeps serving", async () => {
    const res = await fetch(server.url, {
      method: "POST",
      headers: headers(auth),
      body: JSON.stringify({ ...INIT, pad: "x".repeat(10_000) }),
    });
    assert.equal(res.status, 413);
    assert.match(
      ((await res.json()) as { error: { message: string } }).error.message,
      /exceeds the limit of 4096 bytes/,
    );
    assert.ok(await rawSession(server.url, auth));
  });

  it("refuses to run without a token on a non-loopback address", () => {
    assert.throws(
      () => new StreamableHttpServer(async () => undefined, { host: "0.0.0.0", auth: false }),
      /only loopback addresses may run without a token/,
    );
  });
});
