import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseFrame } from "../src/protocol/jsonrpc/message.js";
import type { RequestRecord } from "../src/protocol/mcp/request-observer.js";
import { McpServer } from "../src/protocol/mcp/server.js";
import type { Transport } from "../src/protocol/transport.js";

/** A transport with no I/O: frames go straight to the session, replies are collected. */
function memoryTransport(): { transport: Transport; deliver(message: object): void; replies: unknown[] } {
  const replies: unknown[] = [];
  const transport: Transport = {
    kind: "http",
    start: async () => {},
    close: async () => {},
    send(message) {
      replies.push(message);
    },
  };
  return {
    transport,
    replies,
    deliver: (message) => transport.onframe?.(parseFrame(JSON.stringify(message))),
  };
}

describe("RequestObserver", () => {
  it("hears every request with its own method, tool, outcome, duration and end time, though the record is reused", async () => {
    const seen: RequestRecord[] = [];
    const records = new Set<RequestRecord>();
    const server = new McpServer({
      info: { name: "observed", version: "1" },
      // Copies, as the interface asks: the session refills one record per request.
      observer: {
        requestDone(record) {
          records.add(record);
          seen.push({ ...record });
        },
      },
    });
    server.tools.register<{ fail?: boolean }>({
      name: "maybe",
      description: "Fails when asked",
      inputSchema: { type: "object", properties: { fail: { type: "boolean" } } },
      handler: ({ fail }) => ({ content: [{ type: "text", text: "x" }], ...(fail ? { isError: true } : {}) }),
    });
    const { transport, deliver, replies } = memoryTransport();
    await server.connect(transport);
    const before = Date.now();
    deliver({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    deliver({ jsonrpc: "2.0", method: "notifications/initialized" });
    deliver({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "maybe", arguments: {} } });
    deliver({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: "maybe", arguments: { fail: true } },
    });
    deliver({ jsonrpc: "2.0", id: 4, method: "no/such/method" });
    await new Promise((resolve) => setImmediate(resolve));
    const after = Date.now();
    assert.equal(replies.length, 4);
    assert.deepEqual(
      seen.map((r) => [r.id, r.method, r.tool, r.outcome, r.errorCode]),
      [
        [1, "initialize", undefined, "ok", undefined],
        [2, "tools/call", "maybe", "ok", undefined],
        [3, "tools/call", "maybe", "tool_error", undefined],
        [4, "no/such/method", undefined, "error", -32601],
      ],
    );
    assert.equal(records.size, 1, "one record object per session, refilled");
    for (const r of seen) {
      assert.equal(r.transport, "http");
      assert.ok(r.ms >= 0 && r.ms < 10_000);
      assert.ok(
        // performance.timeOrigin + now() and Date.now() drift apart by a few ms as the system
        // clock is slewed: the record's time is checked against the wall clock within that.
        r.at !== undefined && r.at >= before - 50 && r.at <= after + 50,
        `at ${r.at} in [${before}, ${after}]`,
      );
    }
  });
});
