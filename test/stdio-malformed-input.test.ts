import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import { RUNE_MAIN } from "./helpers/paths.js";
import { RawStdioPeer } from "./helpers/raw-stdio-peer.js";
import { tempDir } from "./helpers/sdk-client.js";

type Message = Record<string, unknown>;

function errorOf(message: Message): { code: number; message: string } {
  assert.ok("error" in message, `expected an error, got ${JSON.stringify(message)}`);
  return message.error as { code: number; message: string };
}

describe("malformed input over stdio gets the right error and the server keeps serving", () => {
  let peer: RawStdioPeer;
  const start = (...flags: string[]) => {
    peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", tempDir(), ...flags]);
    return peer;
  };
  afterEach(async () => {
    await peer.end();
  });

  /** After any bad input the same process must still answer. */
  async function stillServing(): Promise<void> {
    const id = `alive-${Math.random()}`;
    assert.deepEqual((await peer.request(id, "ping")).result, {});
  }

  it("answers a request sent before initialize with -32600 naming the method", async () => {
    start();
    const error = errorOf(await peer.request(1, "tools/list"));
    assert.equal(error.code, -32600);
    assert.match(error.message, /tools\/list before initialize/);
    await stillServing();
  });

  it("answers invalid JSON with -32700 and a null id", async () => {
    start();
    await peer.initialize();
    peer.write('{"jsonrpc":"2.0","id":1,"method":');
    const reply = await peer.response(null);
    assert.equal(errorOf(reply).code, -32700);
    await stillServing();
  });

  it("answers an unknown method with -32601", async () => {
    start();
    await peer.initialize();
    const error = errorOf(await peer.request(2, "tools/frobnicate"));
    assert.equal(error.code, -32601);
    assert.match(error.message, /tools\/frobnicate/);
    await stillServing();
  });

  it("answers wrong param types with -32602 naming the field", async () => {
    start();
    await peer.initialize();
    const error = errorOf(await peer.request(3, "tools/call", { name: 42 }));
    assert.equal(error.code, -32602);
    assert.match(error.message, /"name" must be a string, got a number/);
    const args = errorOf(await peer.request(4, "tools/call", { name: "workspace_info", arguments: "x" }));
    assert.match(args.message, /"arguments" must be an object/);
    await stillServing();
  });

  it("answers an unknown tool with -32602", async () => {
    start();
    await peer.initialize();
    const error = errorOf(await peer.request(5, "tools/call", { name: "nope", arguments: {} }));
    assert.equal(error.code, -32602);
    assert.match(error.message, /Unknown tool: nope/);
  });

  it("answers an unknown cursor with -32602", async () => {
    start();
    await peer.initialize();
    const error = errorOf(await peer.request(6, "tools/list", { cursor: "bm90LWEtY3Vyc29y" }));
    assert.equal(error.code, -32602);
    assert.match(error.message, /Invalid cursor/);
    await stillServing();
  });

  it("answers an oversize line with -32600 carrying the request's id, then reads the next line", async () => {
    start("--max-message-bytes", "2048");
    await peer.initialize();
    peer.send({
      jsonrpc: "2.0",
      id: 77,
      method: "tools/call",
      params: { name: "x", pad: "y".repeat(10_000) },
    });
    const error = errorOf(await peer.response(77));
    assert.equal(error.code, -32600);
    assert.match(error.message, /exceeds the limit of 2048 bytes/);
    await stillServing();
  });

  it("refuses a batch under 2025-11-25 with -32600 saying why", async () => {
    start();
    await peer.initialize("2025-11-25");
    peer.write(JSON.stringify([{ jsonrpc: "2.0", id: 8, method: "ping" }]));
    const error = errorOf(await peer.response(null));
    assert.equal(error.code, -32600);
    assert.match(error.message, /batches are not supported in protocol revision 2025-11-25/);
    await stillServing();
  });

  it("accepts a batch under 2025-03-26 and answers with an array", async () => {
    start();
    await peer.initialize("2025-03-26");
    peer.write(
      JSON.stringify([
        { jsonrpc: "2.0", id: 9, method: "ping" },
        { jsonrpc: "2.0", method: "notifications/progress", params: {} },
        { jsonrpc: "2.0", id: 10, method: "nope" },
      ]),
    );
    const [first, second] = await Promise.all([peer.response(9), peer.response(10)]);
    assert.deepEqual(first.result, {});
    assert.equal(errorOf(second).code, -32601);
    assert.deepEqual(
      peer.batches[0]?.map((m) => m.id),
      [9, 10],
    );
  });

  it("answers an unsupported protocol version with its latest one", async () => {
    start();
    const reply = await peer.initialize("1999-01-01");
    assert.equal((reply.result as Message).protocolVersion, "2025-11-25");
  });

  it("refuses a second initialize on the same session", async () => {
    start();
    await peer.initialize();
    const error = errorOf(
      await peer.request("again", "initialize", {
        protocolVersion: "2025-11-25",
        capabilities: {},
        clientInfo: { name: "x", version: "1" },
      }),
    );
    assert.equal(error.code, -32600);
  });

  it("invalid tool arguments are a tool error under 2025-11-25 and -32602 under 2025-06-18", async () => {
    start();
    await peer.initialize("2025-11-25");
    const reply = await peer.request(12, "tools/call", { name: "workspace_info", arguments: { extra: 1 } });
    const result = reply.result as { isError: boolean; content: { text: string }[] };
    assert.equal(result.isError, true);
    assert.match(result.content[0]?.text ?? "", /unexpected property "extra"/);
    await peer.end();
    start();
    await peer.initialize("2025-06-18");
    const error = errorOf(
      await peer.request(13, "tools/call", { name: "workspace_info", arguments: { extra: 1 } }),
    );
    assert.equal(error.code, -32602);
  });
});
