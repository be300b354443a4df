/**
 * Benchmark peer: Rune's protocol layer serving the `echo` tool over Streamable HTTP (JSON
 * responses, no token, as the SDK anchor) and over the IDE WebSocket. Prints both endpoints.
 */
import { StreamableHttpServer } from "../../src/protocol/transports/http/streamable-http-server.js";
import { IdeWebSocketServer } from "../../src/protocol/transports/websocket/ide-websocket-server.js";
import { runeEchoServer } from "./rune-echo-server.js";

const server = runeEchoServer();
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
