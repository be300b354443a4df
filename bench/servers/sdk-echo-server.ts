/**
 * The official SDK with the same `echo` tool as rune-echo-server.ts. Kept apart so that an SDK
 * peer loads none of Rune's code (its memory is measured).
 */
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { z } from "zod";

export function sdkEchoServer(): McpServer {
  const server = new McpServer({ name: "sdk-echo", version: "1.0.0" });
  server.registerTool(
    "echo",
    { description: "Returns its input", inputSchema: { text: z.string() } },
    ({ text }) => ({
      content: [{ type: "text", text }],
    }),
  );
  return server;
}
