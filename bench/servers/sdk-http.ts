/**
 * Benchmark anchor: the official SDK's Streamable HTTP server, stateful, JSON responses, serving
 * the same `echo` tool as Rune's. One McpServer and transport per session, as the SDK documents.
 * Prints its URL on stdout.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { sdkEchoServer } from "./sdk-echo-server.js";

const transports = new Map<string, StreamableHTTPServerTransport>();

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return chunks.length === 0 ? undefined : JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

const http = createServer(async (req, res) => {
  const body = req.method === "POST" ? await readJson(req) : undefined;
  const id = req.headers["mcp-session-id"];
  let transport = typeof id === "string" ? transports.get(id) : undefined;
  if (!transport) {
    transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      enableJsonResponse: true,
      onsessioninitialized: (sessionId) => {
        transports.set(sessionId, transport as StreamableHTTPServerTransport);
      },
    });
    await sdkEchoServer().connect(transport);
  }
  await transport.handleRequest(req, res, body);
});
http.keepAliveTimeout = 65_000;
http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/mcp\n`);
});
