import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { type RunningHttp, rawRequest, startRuneHttp } from "./helpers/http-server.js";
import { tempDir } from "./helpers/sdk-client.js";

const TOKEN = "sse-compression-token-9d2e7f1a3b5c";
const LINE = "a line of text that compresses well\n";

/** The `data:` payloads of an SSE body, in order (the priming event's is empty). */
function sseData(body: string): string[] {
  return body
    .split("\n\n")
    .flatMap((event) => event.split("\n").filter((line) => line.startsWith("data: ")))
    .map((line) => line.slice("data: ".length));
}

describe("SSE answers compressed as Accept-Encoding asks", () => {
  const root = tempDir();
  let server: RunningHttp;
  let session = "";
  const auth = { authorization: `Bearer ${TOKEN}` };
  const post = (body: unknown, headers: Record<string, string> = {}) =>
    rawRequest(server.url, {
      method: "POST",
      headers: {
        ...auth,
        ...(session ? { "mcp-session-id": session } : {}),
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
        ...headers,
      },
      body: JSON.stringify(body),
    });
  const readFile = (path: string, headers: Record<string, string>) =>
    post(
      { jsonrpc: "2.0", id: 2, method: "tools/call", params: { name: "read_file", arguments: { path } } },
      headers,
    );

  before(async () => {
    writeFileSync(join(root, "small.txt"), "hello\n");
    writeFileSync(join(root, "big.txt"), LINE.repeat(2000));
    // No --json-response: requests are answered on SSE streams, as most clients get them.
    server = await startRuneHttp(TOKEN, [root]);
    const init = await post({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "raw", version: "1" } },
    });
    session = String(init.headers["mcp-session-id"]);
    await post({ jsonrpc: "2.0", method: "notifications/initialized" });
  });
  after(async () => {
    await server?.stop();
  });

  for (const [accept, decode] of [
    ["gzip", gunzipSync],
    ["br", brotliDecompressSync],
  ] as const) {
    it(`compresses a large answer's stream with ${accept}, priming event and all`, async () => {
      const res = await readFile("big.txt", { "accept-encoding": accept });
      assert.equal(res.headers["content-type"], "text/event-stream");
      assert.equal(res.headers["content-encoding"], accept);
      assert.equal(res.headers.vary, "accept-encoding");
      const body = decode(res.body).toString("utf8");
      assert.ok(res.body.length < body.length / 5, `${res.body.length} bytes for ${body.length}`);
      const [priming, answer, ...rest] = sseData(body);
      assert.equal(priming, "");
      assert.deepEqual(rest, []);
      const message = JSON.parse(answer ?? "") as { id: number; result: { content: { text: string }[] } };
      assert.equal(message.id, 2);
      assert.equal(message.result.content[0]?.text, LINE.repeat(2000));
    });
  }

  it("sends a small answer's stream as it is", async () => {
    const res = await readFile("small.txt", { "accept-encoding": "gzip, br" });
    assert.equal(res.headers["content-encoding"], undefined);
    assert.equal(res.headers.vary, "accept-encoding");
    const [, answer] = sseData(res.body.toString("utf8"));
    assert.match(answer ?? "", /hello/);
  });

  it("sends it as it is when the client accepts no coding Rune has", async () => {
    const res = await readFile("big.txt", { "accept-encoding": "identity, gzip;q=0" });
    assert.equal(res.headers["content-encoding"], undefined);
    assert.match(sseData(res.body.toString("utf8"))[1] ?? "", /compresses well/);
  });

  it("serves the official SDK client, which asks for compression, the same text", async () => {
    const encodings: (string | null)[] = [];
    const client = new Client({ name: "rune-tests", version: "1.0.0" });
    await client.connect(
      new StreamableHTTPClientTransport(server.url, {
        requestInit: { headers: auth },
        fetch: async (url, init) => {
          const res = await fetch(url, init);
          if (res.headers.get("content-type") === "text/event-stream")
            encodings.push(res.headers.get("content-encoding"));
          return res;
        },
      }),
    );
    try {
      const result = (await client.callTool({ name: "read_file", arguments: { path: "big.txt" } })) as {
        content: { text: string }[];
      };
      assert.equal(result.content[0]?.text, LINE.repeat(2000));
      assert.ok(
        encodings.some((e) => e === "gzip" || e === "br"),
        `SSE content-encodings seen: ${JSON.stringify(encodings)}`,
      );
    } finally {
      await client.close();
    }
  });
});
