/** Benchmark anchor: the official TypeScript SDK serving the same `echo` tool over stdio. */
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { sdkEchoServer } from "./sdk-echo-server.js";

const server = sdkEchoServer();
const transport = new StdioServerTransport();
transport.onclose = () => process.exit(0);
process.stdin.on("end", () => process.exit(0));
await server.connect(transport);
