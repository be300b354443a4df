/** Benchmark peer: Rune's protocol layer serving one `echo` tool over stdio. */
import { McpServer, StdioTransport } from "../../src/protocol/index.js";

const server = new McpServer({ info: { name: "rune-echo", version: "1.0.0" } });
server.tools.register<{ text: string }>({
  name: "echo",
  description: "Returns its input",
  inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  handler: ({ text }) => ({ content: [{ type: "text", text }] }),
});
server.hooks.onSessionClosed = () => process.exit(0);
await server.connect(new StdioTransport());
