import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { FIXTURE_MAIN } from "./helpers/paths.js";
import { RawStdioPeer } from "./helpers/raw-stdio-peer.js";

type Message = Record<string, unknown>;

describe("the conformance fixture, byte for byte", () => {
  let peer: RawStdioPeer;
  afterEach(async () => {
    await peer.end();
  });

  it("sends every progress notification, in order, before the result", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    await peer.request(1, "tools/call", {
      name: "test_tool_with_progress",
      arguments: {},
      _meta: { progressToken: "p1" },
    });
    const sequence = peer.received
      .filter((m) => m.method === "notifications/progress" || m.id === 1)
      .map((m) => (m.id === 1 ? "result" : (m.params as Message).progress));
    assert.deepEqual(sequence, [0, 50, 100, "result"]);
    const first = peer.received.find((m) => m.method === "notifications/progress");
    assert.equal((first?.params as Message | undefined)?.progressToken, "p1");
  });

  it("sends only progress that grows, as the spec requires", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    await peer.request(3, "tools/call", {
      name: "test_tool_with_repeated_progress",
      arguments: {},
      _meta: { progressToken: "p3" },
    });
    const values = peer.received
      .filter((m) => m.method === "notifications/progress" && (m.params as Message).progressToken === "p3")
      .map((m) => (m.params as Message).progress);
    assert.deepEqual(values, [1, 2, 3]);
  });

  it("sends no progress without a progressToken", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    await peer.request(2, "tools/call", { name: "test_tool_with_progress", arguments: {} });
    assert.equal(peer.received.filter((m) => m.method === "notifications/progress").length, 0);
  });

  it("sends no reply at all to a cancelled request", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    peer.send({
      jsonrpc: "2.0",
      id: "slow",
      method: "tools/call",
      params: { name: "test_slow_operation", arguments: { ms: 600 } },
    });
    peer.send({
      jsonrpc: "2.0",
      method: "notifications/cancelled",
      params: { requestId: "slow", reason: "test" },
    });
    // Well past the operation's own length: had it not stopped, its reply would be here.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const state = await peer.request("state", "tools/call", { name: "test_fixture_state", arguments: {} });
    assert.deepEqual((state.result as Message).structuredContent, { cancelled: 1, completed: 0 });
    assert.equal(peer.received.filter((m) => m.id === "slow").length, 0);
  });

  it("answers requests still in flight when stdin ends, then exits cleanly", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    peer.send({
      jsonrpc: "2.0",
      id: "last",
      method: "tools/call",
      params: { name: "test_slow_operation", arguments: { ms: 300 } },
    });
    assert.equal(await peer.end(), 0);
    const reply = peer.received.find((m) => m.id === "last");
    assert.ok(reply && "result" in reply, "the in-flight request was answered before exit");
  });

  it("ignores a cancellation of initialize, as the spec requires", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    peer.send({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: { protocolVersion: "2025-11-25", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    peer.send({ jsonrpc: "2.0", method: "notifications/cancelled", params: { requestId: "init" } });
    const reply = await peer.response("init");
    assert.ok("result" in reply);
  });

  it("refuses a request whose id is still in flight, and still answers the first", async () => {
    peer = new RawStdioPeer(process.execPath, [FIXTURE_MAIN]);
    await peer.initialize();
    peer.send({
      jsonrpc: "2.0",
      id: 5,
      method: "tools/call",
      params: { name: "test_slow_operation", arguments: { ms: 200 } },
    });
    peer.send({ jsonrpc: "2.0", id: 5, method: "ping" });
    const refusal = await peer.waitFor((m) => m.id === 5 && "error" in m);
    assert.match((refusal.error as { message: string }).message, /already in use by a request in flight/);
    const first = await peer.waitFor((m) => m.id === 5 && "result" in m);
    assert.ok((first.result as Message).content);
  });
});
