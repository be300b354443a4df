import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reusableResult, reusedFrame, serializeMessage } from "../src/protocol/jsonrpc/reusable-result.js";

describe("reusable results", () => {
  it("serialize to the same JSON as JSON.stringify, for any id", () => {
    const result = reusableResult({ content: [{ type: "text", text: 'a "quoted"\nline ✓' }] });
    for (const id of [1, 0, "abc", 'we"ird']) {
      const message = { jsonrpc: "2.0" as const, id, result };
      assert.equal(serializeMessage(message), JSON.stringify(message));
      assert.deepEqual(JSON.parse(serializeMessage(message)), message);
    }
  });

  it("go to a byte stream as frames whose result bytes are encoded once and shared by every reply", () => {
    const result = reusableResult({ content: [{ type: "text", text: "wide ✓ 世界\n".repeat(1_000) }] });
    const first = reusedFrame({ jsonrpc: "2.0", id: 1, result });
    const second = reusedFrame({ jsonrpc: "2.0", id: 'we"ird', result });
    assert.ok(first && second);
    for (const [frame, id] of [
      [first, 1],
      [second, 'we"ird'],
    ] as const) {
      const message = { jsonrpc: "2.0" as const, id, result };
      assert.equal(Buffer.concat(frame).toString("utf8"), `${JSON.stringify(message)}\n`);
    }
    assert.equal(first[1], second[1]);
    assert.equal(reusedFrame({ jsonrpc: "2.0", id: 1, result: { ...result } }), undefined);
  });

  it("leave copies, errors, notifications and batches to JSON.stringify", () => {
    const result = reusableResult({ content: [] as unknown[] });
    const messages = [
      { jsonrpc: "2.0" as const, id: 1, result: { ...result, extra: true } },
      { jsonrpc: "2.0" as const, id: 2, error: { code: -32600, message: "bad" } },
      { jsonrpc: "2.0" as const, method: "notify", params: { x: 1 } },
    ];
    for (const message of messages) assert.equal(serializeMessage(message), JSON.stringify(message));
    assert.equal(serializeMessage(messages), JSON.stringify(messages));
  });
});
