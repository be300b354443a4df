import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { StreamableHttpServer } from "../src/protocol/index.js";
import { createConformanceServer } from "./fixtures/conformance-server.js";

type Json = Record<string, unknown>;
const VERSION = "2026-07-28";

describe("the stateless 2026-07-28 revision on the Streamable HTTP endpoint", () => {
  let http: StreamableHttpServer;
  let url: URL;
  before(async () => {
    const mcp = createConformanceServer();
    http = new StreamableHttpServer((t) => mcp.connect(t), { auth: false });
    url = await http.listen();
  });
  after(() => http.close());

  const meta = (capabilities: Json = { elicitation: {}, sampling: {} }): Json => ({
    "io.modelcontextprotocol/protocolVersion": VERSION,
    "io.modelcontextprotocol/clientCapabilities": capabilities,
  });

  /** One stateless request; headers mirror the body unless overridden. */
  async function call(method: string, params: Json, headers: Record<string, string | undefined> = {}) {
    const name =
      typeof params.name === "string" ? params.name : typeof params.uri === "string" ? params.uri : undefined;
    const all: Record<string, string | undefined> = {
      "content-type": "application/json",
      accept: "application/json, text/event-stream",
      "mcp-protocol-version": VERSION,
      "mcp-method": method,
      "mcp-name": name,
      ...headers,
    };
    const res = await fetch(url, {
      method: "POST",
      headers: Object.fromEntries(
        Object.entries(all).filter((e): e is [string, string] => e[1] !== undefined),
      ),
      body: JSON.stringify({ jsonrpc: "2.0", id: 7, method, params }),
    });
    return {
      status: res.status,
      session: res.headers.get("mcp-session-id"),
      body: (await res.json()) as Json,
    };
  }

  it("answers server/discover with versions, capabilities and server info, without a session", async () => {
    const { status, body, session } = await call("server/discover", { _meta: meta() });
    assert.equal(status, 200);
    assert.equal(session, null);
    const result = body.result as Json;
    assert.ok((result.supportedVersions as string[]).includes(VERSION));
    assert.ok((result.capabilities as Json).tools);
    assert.equal(result.resultType, "complete");
    assert.equal(result.ttlMs, 0);
    assert.equal(result.cacheScope, "private");
    assert.equal((result.serverInfo as Json).name, "mcp-conformance-test-server");
    assert.equal(
      ((result._meta as Json)["io.modelcontextprotocol/serverInfo"] as Json).name,
      "mcp-conformance-test-server",
    );
  });

  it("serves tools/list with caching hints and tools/call with resultType", async () => {
    const list = (await call("tools/list", { _meta: meta() })).body.result as Json;
    assert.equal(list.ttlMs, 0);
    assert.equal(list.cacheScope, "private");
    const result = (await call("tools/call", { name: "test_simple_text", arguments: {}, _meta: meta() })).body
      .result as Json;
    assert.equal(result.resultType, "complete");
  });

  it("refuses a request whose _meta lacks the client capabilities: 400, -32602, same id", async () => {
    const { status, body } = await call("tools/list", {
      _meta: { "io.modelcontextprotocol/protocolVersion": VERSION },
    });
    assert.equal(status, 400);
    assert.equal(body.id, 7);
    assert.equal((body.error as Json).code, -32602);
    assert.match(
      (body.error as Json).message as string,
      /missing _meta keys: io\.modelcontextprotocol\/clientCapabilities/,
    );
  });

  it("refuses a missing or mismatched MCP-Protocol-Version header with -32020", async () => {
    const missing = await call("tools/list", { _meta: meta() }, { "mcp-protocol-version": undefined });
    assert.equal(missing.status, 400);
    assert.equal((missing.body.error as Json).code, -32020);
    const mismatched = await call("tools/list", { _meta: meta() }, { "mcp-protocol-version": "2025-11-25" });
    assert.equal((mismatched.body.error as Json).code, -32020);
  });

  it("refuses an Mcp-Method header that disagrees with the body with -32020", async () => {
    const { status, body } = await call("tools/list", { _meta: meta() }, { "mcp-method": "prompts/list" });
    assert.equal(status, 400);
    assert.equal((body.error as Json).code, -32020);
  });

  it("answers an unsupported version with -32022 listing the supported ones", async () => {
    const params = {
      _meta: { ...meta(), "io.modelcontextprotocol/protocolVersion": "2099-01-01" },
    };
    const { status, body } = await call("tools/list", params, { "mcp-protocol-version": "2099-01-01" });
    assert.equal(status, 400);
    assert.deepEqual(body.error, {
      code: -32022,
      message: "Unsupported protocol version",
      data: { supported: [VERSION], requested: "2099-01-01" },
    });
  });

  it("answers methods the revision removed (ping, initialize) with 404 and -32601", async () => {
    for (const method of ["ping", "initialize", "logging/setLevel"]) {
      const { status, body } = await call(method, { _meta: meta() });
      assert.equal(status, 404, method);
      assert.equal((body.error as Json).code, -32601, method);
    }
  });

  it("answers an unknown resource with -32602 carrying the uri", async () => {
    const { body } = await call("resources/read", { uri: "test://nope", _meta: meta() });
    assert.deepEqual((body.error as Json).data, { uri: "test://nope" });
    assert.equal((body.error as Json).code, -32602);
  });

  it("asks for input with an input-required result, then completes with the answers (two rounds)", async () => {
    const first = (
      await call("tools/call", {
        name: "test_input_required_result_multi_round",
        arguments: {},
        _meta: meta(),
      })
    ).body.result as Json;
    assert.equal(first.resultType, "input_required");
    assert.deepEqual(Object.keys(first.inputRequests as Json), ["step1"]);
    const second = (
      await call("tools/call", {
        name: "test_input_required_result_multi_round",
        arguments: {},
        inputResponses: { step1: { action: "accept", content: { name: "Ada" } } },
        requestState: first.requestState,
        _meta: meta(),
      })
    ).body.result as Json;
    assert.deepEqual(Object.keys(second.inputRequests as Json), ["step2"]);
    const third = (
      await call("tools/call", {
        name: "test_input_required_result_multi_round",
        arguments: {},
        inputResponses: { step2: { action: "accept", content: { color: "green" } } },
        requestState: second.requestState,
        _meta: meta(),
      })
    ).body.result as Json;
    assert.equal(third.resultType, "complete");
    assert.deepEqual(third.content, [{ type: "text", text: "Ada likes green" }]);
  });

  it("refuses a tampered requestState with -32602", async () => {
    const first = (
      await call("tools/call", {
        name: "test_input_required_result_tampered_state",
        arguments: {},
        _meta: meta(),
      })
    ).body.result as Json;
    // Keep the signature, forge the answers it signs.
    const signature = (first.requestState as string).split(".")[1];
    const forged = Buffer.from(
      JSON.stringify({ confirm: { action: "accept", content: { ok: true } } }),
    ).toString("base64url");
    const tampered = `${forged}.${signature}`;
    const { status, body } = await call("tools/call", {
      name: "test_input_required_result_tampered_state",
      arguments: {},
      inputResponses: { confirm: { action: "accept", content: { ok: true } } },
      requestState: tampered,
      _meta: meta(),
    });
    assert.equal(status, 400);
    assert.match((body.error as Json).message as string, /integrity check/);
  });

  it("refuses to need a capability the request did not declare: 400, -32021, requiredCapabilities", async () => {
    const { status, body } = await call("tools/call", {
      name: "test_missing_capability",
      arguments: {},
      _meta: meta({}),
    });
    assert.equal(status, 400);
    assert.deepEqual(body.error, {
      code: -32021,
      message: (body.error as Json).message,
      data: { requiredCapabilities: { sampling: {} } },
    });
  });

  it("streams subscriptions/listen: an acknowledgement first, then only the changes asked for, tagged", async () => {
    const controller = new AbortController();
    const res = await fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        "mcp-protocol-version": VERSION,
        "mcp-method": "subscriptions/listen",
      },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 9,
        method: "subscriptions/listen",
        params: { _meta: meta(), notifications: { promptsListChanged: true } },
      }),
      signal: controller.signal,
    });
    assert.equal(res.headers.get("content-type"), "text/event-stream");
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let text = "";
    const frames = (): Json[] =>
      text
        .split("\n")
        .filter((l) => l.startsWith("data: ") && l.length > 6)
        .map((l) => JSON.parse(l.slice(6)) as Json);
    while (frames().length === 0) text += new TextDecoder().decode((await reader.read()).value);
    // A tool change (not asked for), then a prompt change (asked for).
    await call("tools/call", { name: "test_trigger_tool_change", arguments: {}, _meta: meta() });
    await call("tools/call", { name: "test_trigger_prompt_change", arguments: {}, _meta: meta() });
    while (frames().length < 2) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const [ack, change] = frames();
    assert.equal(ack?.method, "notifications/subscriptions/acknowledged");
    const tag = (frame: Json | undefined): unknown =>
      ((frame?.params as Json | undefined)?._meta as Json | undefined)?.[
        "io.modelcontextprotocol/subscriptionId"
      ];
    const id = tag(ack);
    assert.ok(id);
    assert.equal(change?.method, "notifications/prompts/list_changed");
    assert.equal(tag(change), id);
    assert.ok(!frames().some((f) => f.method === "notifications/tools/list_changed"));
  });

  it("checks x-mcp-header arguments against their Mcp-Param headers, plain or Base64 (SEP-2243)", async () => {
    const params = { name: "test_header_params", arguments: { region: "eu-west" }, _meta: meta() };
    const missing = await call("tools/call", params);
    assert.equal(missing.status, 400);
    assert.equal((missing.body.error as Json).code, -32020);
    const plain = await call("tools/call", params, { "mcp-param-region": "eu-west" });
    assert.equal(plain.status, 200);
    const encoded = `=?base64?${Buffer.from("eu-west").toString("base64")}?=`;
    assert.equal((await call("tools/call", params, { "mcp-param-region": encoded })).status, 200);
    const broken = await call("tools/call", params, { "mcp-param-region": "=?base64?ZXUtd2Vzd!!?=" });
    assert.equal(broken.status, 400);
    const other = await call("tools/call", params, { "mcp-param-region": "us-east" });
    assert.match((other.body.error as Json).message as string, /does not match argument "region"/);
  });

  it("still serves stateful sessions on the same endpoint", async () => {
    const res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "x", version: "1" } },
      }),
    });
    assert.equal(res.status, 200);
    assert.ok(res.headers.get("mcp-session-id"));
    await res.text();
  });
});
