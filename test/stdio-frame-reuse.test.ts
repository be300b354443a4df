import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough, Writable } from "node:stream";
import { describe, it } from "node:test";
import { setImmediate as nextTurn } from "node:timers/promises";
import { frameBytes, Utf8Text } from "../src/protocol/jsonrpc/utf8-text.js";
import { StdioTransport } from "../src/protocol/transports/stdio-transport.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { RawStdioPeer } from "./helpers/raw-stdio-peer.js";
import { tempDir } from "./helpers/sdk-client.js";

/** A reply whose text is `size` bytes of `letter`: large enough to take a pooled frame buffer. */
function reply(id: number, letter: string, size = 300_000) {
  return {
    jsonrpc: "2.0" as const,
    id,
    result: { content: [{ type: "text", text: Utf8Text.wellFormed([Buffer.alloc(size, letter)]) }] },
  };
}

/** Reads a stream to its end and splits it into parsed frames. */
async function frames(stream: NodeJS.ReadableStream): Promise<{ id: number; text: string }[]> {
  let all = "";
  stream.setEncoding("utf8");
  for await (const chunk of stream) all += chunk;
  return all
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const message = JSON.parse(line);
      return { id: message.id, text: message.result.content[0].text };
    });
}

describe("stdio frame buffers", () => {
  it("reuse a written frame's buffer without corrupting any frame through a real pipe", async () => {
    // `cat` echoes what the transport writes to a real OS pipe, as a client's stdin would be.
    const cat = spawn("cat", [], { stdio: ["pipe", "pipe", "inherit"] });
    const transport = new StdioTransport({
      input: new PassThrough(),
      output: cat.stdin,
      reuseFrameBuffers: true,
    });
    const read = frames(cat.stdout);
    const letters = "abcdefghij";
    for (let i = 0; i < letters.length; i++) {
      transport.send(reply(i, letters[i] as string, 300_000 + i * 1_000));
      // Every other frame waits a turn, so some are written alone and some in the same tick.
      if (i % 2 === 1) await nextTurn();
    }
    await transport.close();
    cat.stdin.end();
    const got = await read;
    assert.equal(got.length, letters.length);
    for (let i = 0; i < letters.length; i++) {
      assert.equal(got[i]?.id, i);
      assert.equal(got[i]?.text, (letters[i] as string).repeat(300_000 + i * 1_000), `frame ${i}`);
    }
  });

  it("are not reused by default on a stream that keeps what it is given", async () => {
    // This stream calls back at once but keeps the chunk: reusing the buffer then would overwrite
    // the first frame before anyone read it.
    const kept: Buffer[] = [];
    const output = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        kept.push(chunk);
        callback();
      },
    });
    const transport = new StdioTransport({ input: new PassThrough(), output });
    transport.send(reply(1, "x"));
    await nextTurn();
    transport.send(reply(2, "y"));
    await nextTurn();
    const got = Buffer.concat(kept)
      .toString()
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      got.map((m) => m.id),
      [1, 2],
    );
    assert.equal(got[0].result.content[0].text, "x".repeat(300_000));
    assert.equal(got[1].result.content[0].text, "y".repeat(300_000));
  });

  it("keep rune serve's read_files replies intact, alone and pipelined", async () => {
    const root = tempDir();
    const letters = ["p", "q", "r", "s", "t", "u"];
    const sets = letters.map((letter) => {
      mkdirSync(join(root, letter));
      return Array.from({ length: 40 }, (_, i) => {
        const path = join(root, letter, `f${i}.txt`);
        writeFileSync(path, `${letter}${i}\n`.repeat(2_000));
        return path;
      });
    });
    const peer = new RawStdioPeer(process.execPath, [RUNE_MAIN, "serve", root]);
    try {
      await peer.initialize();
      // The first two alone, the rest sent at once: each reply is framed while earlier ones may
      // still be in the pipe, and each batch reads into the buffers the previous one gave back.
      for (const [i, paths] of sets.slice(0, 2).entries()) {
        const answer = await peer.request(`alone-${i}`, "tools/call", {
          name: "read_files",
          arguments: { paths, maxBytes: 10_000_000 },
        });
        const content = (answer.result as { content: { text: string }[] }).content;
        assert.equal(content[7]?.text, `==> ${paths[7]} <==\n${`${letters[i]}7\n`.repeat(2_000)}`);
      }
      const replies = sets.map((paths, i) => {
        peer.send({
          jsonrpc: "2.0",
          id: `batch-${i}`,
          method: "tools/call",
          params: { name: "read_files", arguments: { paths, maxBytes: 10_000_000 } },
        });
        return peer.response(`batch-${i}`);
      });
      for (const [i, answer] of (await Promise.all(replies)).entries()) {
        const content = (answer.result as { content: { text: string }[] }).content;
        const letter = letters[i] as string;
        assert.equal(content.length, 40);
        for (const [k, block] of content.entries()) {
          assert.equal(block.text, `==> ${sets[i]?.[k]} <==\n${`${letter}${k}\n`.repeat(2_000)}`);
        }
      }
    } finally {
      await peer.end();
    }
  });
});

describe("a reply that cannot be sent", () => {
  it("is answered with an internal error, and the server keeps serving", async () => {
    const { McpServer } = await import("../src/protocol/mcp/server.js");
    const server = new McpServer({ info: { name: "t", version: "1" } });
    // A text already framed once is spent: framing it again throws inside the transport.
    const spent = Utf8Text.wellFormed(["gone"]).whenFramed(() => {});
    frameBytes({ text: spent });
    server.tools.register({
      name: "broken",
      description: "Returns what cannot be sent",
      inputSchema: { type: "object" },
      handler: () => ({ content: [{ type: "text", text: spent as unknown as string }] }),
    });
    const input = new PassThrough();
    const output = new PassThrough();
    await server.connect(new StdioTransport({ input, output }));
    const lines: Record<string, unknown>[] = [];
    let buffered = "";
    output.on("data", (chunk: Buffer) => {
      buffered += chunk.toString();
      for (let nl = buffered.indexOf("\n"); nl !== -1; nl = buffered.indexOf("\n")) {
        lines.push(JSON.parse(buffered.slice(0, nl)));
        buffered = buffered.slice(nl + 1);
      }
    });
    const send = (message: object) => input.write(`${JSON.stringify(message)}\n`);
    send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
    });
    send({ jsonrpc: "2.0", method: "notifications/initialized" });
    send({ jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "broken", arguments: {} } });
    send({ jsonrpc: "2.0", id: 3, method: "ping" });
    for (let i = 0; i < 100 && lines.length < 3; i++) await nextTurn();
    const byId = new Map(lines.map((l) => [l.id, l]));
    const failed = byId.get(2) as { error?: { code: number; message: string } };
    assert.equal(failed.error?.code, -32603);
    assert.match(failed.error?.message ?? "", /could not be sent/);
    assert.deepEqual((byId.get(3) as { result?: unknown }).result, {});
  });
});
