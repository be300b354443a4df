/**
 * The ceiling for large answers: a bare newline-delimited JSON server with no MCP that answers
 * every request with the same prebuilt reply, whose text block is the file named on the command
 * line. Serializing nothing per call, it shows what the pipe and the client cost to move that many
 * bytes, and nothing else.
 */

import { readFileSync } from "node:fs";
import { serveLines } from "./line-loop.js";

const text = readFileSync(process.argv[2] as string, "utf8");
const result = JSON.stringify({ content: [{ type: "text", text }] });
const init = JSON.stringify({
  protocolVersion: "2025-06-18",
  capabilities: {},
  serverInfo: { name: "bare-reply", version: "1" },
});

function answer(line: string): string {
  const message = JSON.parse(line) as { id?: number | string; method?: string };
  if (message.id === undefined) return "";
  const body = message.method === "initialize" ? init : result;
  return `{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${body}}\n`;
}

serveLines(answer);
