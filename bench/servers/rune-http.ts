/**
 * Benchmark peer: Rune's protocol layer serving the `echo` tool over Streamable HTTP (JSON
 * responses, no token, as the SDK anchor) and over the IDE WebSocket. Prints both endpoints.
 */
import { IdeWebSocketServer, McpServer, StreamableHttpServer } from "../../src/protocol/index.js";

const server = new McpServer({ info: { name: "rune-echo", version: "1.0.0" } });
server.tools.register<{ text: string }>({
  name: "echo",
  description: "Returns its input",
  inputSchema: { type: "object", properties: { text: { type: "string" } }, required: ["text"] },
  handler: ({ text }) => ({ content: [{ type: "text", text }] }),
});
const http = new StreamableHttpServer((t) => server.connect(t), {
  auth: false,
  jsonResponse: true,
  maxSessions: 10_000,
});
const ide = new IdeWebSocketServer((t) => server.connect(t), {
  workspaceFolders: [process.cwd()],
  writeLockFile: false,
  authToken: "bench",
});
const url = await http.listen();
const port = await ide.listen();
process.stdout.write(`${url.href} ws://127.0.0.1:${port}\n`);
