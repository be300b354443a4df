import assert from "node:assert/strict";
import { once } from "node:events";
import { describe, it } from "node:test";
import WebSocket from "ws";
import { IdeWebSocketServer } from "../src/protocol/index.js";
import { createConformanceServer } from "./fixtures/conformance-server.js";
import { tempDir } from "./helpers/sdk-client.js";

/** Connects a client that offers permessage-deflate and returns the extensions the server accepted. */
async function negotiated(perMessageDeflate: boolean | undefined): Promise<string> {
  const mcp = createConformanceServer();
  const ide = new IdeWebSocketServer((t) => mcp.connect(t), {
    workspaceFolders: [tempDir()],
    writeLockFile: false,
    ...(perMessageDeflate === undefined ? {} : { perMessageDeflate }),
  });
  await ide.listen();
  try {
    const ws = new WebSocket(`ws://127.0.0.1:${ide.port}`, ["mcp"], {
      headers: { "x-claude-code-ide-authorization": ide.authToken },
      perMessageDeflate: true,
    });
    // Both listeners before either event: "open" follows "upgrade" in the same tick.
    const upgraded = once(ws, "upgrade") as Promise<[{ headers: Record<string, string | undefined> }]>;
    const opened = once(ws, "open");
    const [response] = await upgraded;
    await opened;
    // A call still works over the compressed connection.
    ws.send(
      JSON.stringify({
        jsonrpc: "2.0",
        id: 1,
        method: "initialize",
        params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
      }),
    );
    const [data] = (await once(ws, "message")) as [Buffer];
    assert.equal((JSON.parse(data.toString()) as { id: number }).id, 1);
    ws.close();
    return response.headers["sec-websocket-extensions"] ?? "";
  } finally {
    await ide.close();
  }
}

describe("permessage-deflate on the IDE WebSocket", () => {
  it("is not offered by default", async () => {
    assert.equal(await negotiated(undefined), "");
  });

  it("is negotiated when enabled (--ws-deflate)", async () => {
    assert.match(await negotiated(true), /permessage-deflate/);
  });
});
