import assert from "node:assert/strict";
import { describe, it } from "node:test";
import fc from "fast-check";
import { classify, ErrorCode, parseFrame } from "../src/protocol/index.js";

describe("JSON-RPC message classification", () => {
  it("never throws, whatever JSON value it is given", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const item = classify(value);
        assert.ok(["request", "notification", "response", "invalid"].includes(item.kind));
      }),
    );
  });

  it("reports unparsable text as a parse error with a null id, never throwing", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        const frame = parseFrame(text);
        if (frame.kind === "unparsable") {
          assert.equal(frame.error.code, ErrorCode.ParseError);
          assert.equal(frame.id, null);
        }
      }),
    );
  });

  it("accepts requests with string and number ids and keeps the id", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.integer()), fc.string({ minLength: 1 }), (id, method) => {
        const item = classify({ jsonrpc: "2.0", id, method, params: {} });
        assert.equal(item.kind, "request");
        assert.equal(item.kind === "request" && item.message.id, id);
      }),
    );
  });

  it("tells a notification from a request by the absence of id", () => {
    assert.equal(classify({ jsonrpc: "2.0", method: "notifications/initialized" }).kind, "notification");
  });

  it("refuses null ids, positional params and a wrong version with -32600 and a reason", () => {
    for (const bad of [
      { jsonrpc: "2.0", id: null, method: "ping" },
      { jsonrpc: "2.0", id: 1, method: "ping", params: [1, 2] },
      { jsonrpc: "1.0", id: 1, method: "ping" },
      { jsonrpc: "2.0", id: 1 },
      { jsonrpc: "2.0", id: 1, method: "" },
    ]) {
      const item = classify(bad);
      assert.equal(item.kind, "invalid", JSON.stringify(bad));
      if (item.kind === "invalid") {
        assert.equal(item.error.code, ErrorCode.InvalidRequest);
        assert.match(item.error.message, /^Invalid Request: /);
      }
    }
  });

  it("keeps the id of an invalid request when the id itself is readable", () => {
    const item = classify({ jsonrpc: "1.0", id: 7, method: "ping" });
    assert.equal(item.kind === "invalid" && item.id, 7);
  });

  it("parses arrays as batches and refuses an empty batch", () => {
    assert.equal(parseFrame('[{"jsonrpc":"2.0","method":"a"}]').kind, "batch");
    const empty = parseFrame("[]");
    assert.equal(empty.kind === "single" && empty.item.kind, "invalid");
  });
});
