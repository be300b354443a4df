/**
 * Benchmark peer: Rune's protocol layer serving the `echo` tool over stdio, loaded as a stdio
 * library user would (server and stdio transport only).
 */
import { StdioTransport } from "../../src/protocol/transports/stdio-transport.js";
import { runeEchoServer } from "./rune-echo-server.js";

const server = runeEchoServer();
server.hooks.onSessionClosed = () => process.exit(0);
await server.connect(new StdioTransport());
