/** Rune's protocol layer with the benchmarks' `echo` tool (the SDK side is sdk-echo-server.ts). */
import { McpServer, type McpServerOptions } from "../../src/protocol/mcp/server.js";

export function runeEchoServer(options: Partial<McpServerOptions> = {}): McpServer {
  const server = new McpServer({ info: { name: "rune-echo", version: "1.0.0" }, ...options });
  server.tools.register<{ text: string }>({
    name: "echo",
    description: "Returns its input",
    inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
    handler: ({ text }) => ({ content: [{ type: "text", text }] }),
  });
  return server;
}
