import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { reusableResult, serializeMessage } from "../src/protocol/jsonrpc/reusable-result.js";

describe("reusable results", () => {
  it("serialize to the same JSON as JSON.stringify, for any id", () => {
    const result = reusableResult({ content: [{ type: "text", text: 'a "quoted"\nline ✓' }] });
    for (const id of [1, 0, "abc", 'we"ird']) {
      const message = { jsonrpc: "2.0" as const, id, result };
      assert.equal(serializeMessage(message), JSON.stringify(message));
      assert.deepEqual(JSON.parse(serializeMessage(message)), message);
    }
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
