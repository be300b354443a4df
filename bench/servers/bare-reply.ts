/**
 * The ceiling for large answers: a bare newline-delimited JSON server with no MCP that answers
 * every request with the same prebuilt reply, whose text block is the file named on the command
 * line. The reply's result is encoded to bytes once and written as is (only the id changes), so it
 * shows what the pipe and the client cost to move that many bytes, and nothing else.
 */

import { readFileSync } from "node:fs";

const text = readFileSync(process.argv[2] as string, "utf8");
const result = Buffer.from(JSON.stringify({ content: [{ type: "text", text }] }));
const init = Buffer.from(
  JSON.stringify({
    protocolVersion: "2025-06-18",
    capabilities: {},
    serverInfo: { name: "bare-reply", version: "1" },
  }),
);
const end = Buffer.from("}\n");

let buffered = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk: string) => {
  const lines = (buffered + chunk).split("\n");
  buffered = lines.pop() ?? "";
  process.stdout.cork();
  for (const line of lines) {
    const message = JSON.parse(line) as { id?: number | string; method?: string };
    if (message.id === undefined) continue;
    process.stdout.write(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":`);
    process.stdout.write(message.method === "initialize" ? init : result);
    process.stdout.write(end);
  }
  process.stdout.uncork();
});
process.stdin.on("end", () => process.exit(0));
