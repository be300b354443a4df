import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { IdeWebSocketServer, type McpServer } from "../src/protocol/index.js";
import { createConformanceServer } from "./fixtures/conformance-server.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { tempDir } from "./helpers/sdk-client.js";

type Json = Record<string, unknown>;

/** Opens a ws client; resolves with the socket, or with the HTTP status that refused it. */
function open(
  port: number,
  headers: Record<string, string>,
  protocols?: string[],
): Promise<WebSocket | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}`, protocols, { headers });
    ws.once("open", () => resolve(ws));
    ws.once("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0));
    ws.once("error", reject);
  });
}

/** Sends a request over ws and resolves with the matching response. */
function call(ws: WebSocket, id: number, method: string, params: Json = {}): Promise<Json> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      const message = JSON.parse(data.toString()) as Json;
      if (message.id === id) {
        ws.off("message", onMessage);
        resolve(message);
      }
    };
    ws.on("message", onMessage);
    ws.send(JSON.stringify({ jsonrpc: "2.0", id, method, params }));
  });
}

describe("the Claude Code IDE WebSocket endpoint", () => {
  let mcp: McpServer;
  let ide: IdeWebSocketServer;
  const lockDirectory = join(tempDir(), "ide");
  const folder = tempDir();

  before(async () => {
    mcp = createConformanceServer();
    ide = new IdeWebSocketServer((t) => mcp.connect(t), {
      workspaceFolders: [folder],
      lockDirectory,
      ideName: "Rune",
    });
    await ide.listen();
  });
  after(() => ide.close());

  it("writes a 0600 lock file in a 0700 directory with pid, folders, name, transport and token", () => {
    const path = join(lockDirectory, `${ide.port}.lock`);
    assert.equal(statSync(lockDirectory).mode & 0o777, 0o700);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.deepEqual(JSON.parse(readFileSync(path, "utf8")), {
      pid: process.pid,
      workspaceFolders: [folder],
      ideName: "Rune",
      transport: "ws",
      authToken: ide.authToken,
    });
    assert.deepEqual(
      readdirSync(lockDirectory).filter((f) => f.endsWith(".tmp")),
      [],
    );
  });

  it("refuses a connection without the token (401)", async () => {
    assert.equal(await open(ide.port, {}), 401);
  });

  it("refuses a wrong token (401)", async () => {
    assert.equal(await open(ide.port, { "x-claude-code-ide-authorization": `${ide.authToken}x` }), 401);
  });

  it("refuses a web page's Origin even with the token (403)", async () => {
    const status = await open(ide.port, {
      "x-claude-code-ide-authorization": ide.authToken,
      origin: "https://evil.example",
    });
    assert.equal(status, 403);
  });

  it("speaks MCP over the mcp subprotocol with the right token", async () => {
    const ws = await open(ide.port, { "x-claude-code-ide-authorization": ide.authToken }, ["mcp"]);
    assert.ok(ws instanceof WebSocket);
    assert.equal(ws.protocol, "mcp");
    const init = await call(ws, 1, "initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "claude-code", version: "2" },
    });
    assert.equal((init.result as Json).protocolVersion, "2025-06-18");
    const tools = await call(ws, 2, "tools/list");
    assert.ok(((tools.result as Json).tools as Json[]).length > 0);
    const bad = await new Promise<Json>((resolve) => {
      ws.once("message", (d) => resolve(JSON.parse(d.toString()) as Json));
      ws.send("{not json");
    });
    assert.equal((bad.error as Json).code, -32700);
    ws.close();
  });

  it("broadcasts editor notifications (selection_changed) to connected clients", async () => {
    const ws = await open(ide.port, { "x-claude-code-ide-authorization": ide.authToken });
    assert.ok(ws instanceof WebSocket);
    const received = new Promise<Json>((resolve) =>
      ws.once("message", (d) => resolve(JSON.parse(d.toString()) as Json)),
    );
    const selection = {
      text: "const x = 1;",
      filePath: join(folder, "a.ts"),
      fileUrl: `file://${join(folder, "a.ts")}`,
      selection: { start: { line: 0, character: 0 }, end: { line: 0, character: 12 }, isEmpty: false },
    };
    ide.broadcast("selection_changed", selection);
    assert.deepEqual(await received, { jsonrpc: "2.0", method: "selection_changed", params: selection });
    ws.close();
  });
});

describe("IDE WebSocket keep-alive", () => {
  it("pings connected clients, and drops one that stops answering", async () => {
    const mcp = createConformanceServer();
    const ide = new IdeWebSocketServer((t) => mcp.connect(t), {
      workspaceFolders: [tempDir()],
      writeLockFile: false,
      pingIntervalMs: 30,
    });
    await ide.listen();
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${ide.port}`, {
        headers: { "x-claude-code-ide-authorization": ide.authToken },
      });
      await once(ws, "open");
      await once(ws, "ping");
      // A client that no longer answers pings (ws answers them through this method) is terminated.
      ws.pong = () => undefined;
      const [code] = (await once(ws, "close")) as [number];
      assert.equal(code, 1006);
      for (let i = 0; i < 50 && ide.clientCount > 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(ide.clientCount, 0);
    } finally {
      await ide.close();
    }
  });
});

describe("IDE WebSocket backpressure", () => {
  it("drops a client that stops reading once broadcasts queue past the bound, and serves the others", async () => {
    const mcp = createConformanceServer();
    const ide = new IdeWebSocketServer((t) => mcp.connect(t), {
      workspaceFolders: [tempDir()],
      writeLockFile: false,
    });
    await ide.listen();
    const open = async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${ide.port}`, {
        headers: { "x-claude-code-ide-authorization": ide.authToken },
      });
      await once(ws, "open");
      return ws;
    };
    try {
      const stalled = await open();
      const reader = await open();
      let received = 0;
      reader.on("message", () => received++);
      // The stalled client's socket stops reading (ws keeps it as _socket): the server's sends queue.
      (stalled as unknown as { _socket: { pause(): void } })._socket.pause();
      const text = "x".repeat(1024 * 1024);
      for (let i = 0; i < 40; i++) {
        ide.broadcast("selection_changed", { text, filePath: "/a.ts", fileUrl: "file:///a.ts" });
        await new Promise((resolve) => setImmediate(resolve));
      }
      // The server drops the stalled one (its own side; the paused client cannot see the close yet).
      for (let i = 0; i < 500 && (ide.clientCount > 1 || received < 40); i++)
        await new Promise((resolve) => setTimeout(resolve, 10));
      assert.equal(ide.clientCount, 1, "the stalled client is dropped");
      assert.equal(received, 40, "the client that reads gets every broadcast");
      stalled.terminate();
      reader.close();
    } finally {
      await ide.close();
    }
  });
});

describe("rune serve --ide", () => {
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    it(`writes its lock file under CLAUDE_CONFIG_DIR and removes it on ${signal}`, async () => {
      const config = tempDir();
      const child = spawn(process.execPath, [RUNE_MAIN, "serve", "--ide", tempDir()], {
        env: { ...process.env, CLAUDE_CONFIG_DIR: config },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      child.stderr.setEncoding("utf8");
      while (!/lock file (\S+)\)/.test(stderr)) {
        const [chunk] = (await once(child.stderr, "data")) as [string];
        stderr += chunk;
      }
      const lock = (/lock file (\S+)\)/.exec(stderr) as RegExpExecArray)[1] as string;
      assert.ok(lock.startsWith(join(config, "ide")));
      assert.ok(existsSync(lock));
      child.kill(signal);
      const [code] = await once(child, "exit");
      assert.equal(code, 0);
      assert.equal(existsSync(lock), false);
    });
  }
});
