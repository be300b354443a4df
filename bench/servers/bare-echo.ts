/**
 * The ceiling: a bare newline-delimited JSON echo over stdio with no MCP at all. It parses each
 * line and answers with a fixed-shape result, all answers to one chunk of input in one write, so
 * it shows what the pipe and the client cost and nothing else.
 */
import { serveLines } from "./line-loop.js";

interface Incoming {
  id?: number | string;
  method?: string;
  params?: { arguments?: { text?: string } };
}

function answer(line: string): string {
  const message = JSON.parse(line) as Incoming;
  if (message.id === undefined) return "";
  const result =
    message.method === "initialize"
      ? { protocolVersion: "2025-06-18", capabilities: {}, serverInfo: { name: "bare", version: "1" } }
      : { content: [{ type: "text", text: message.params?.arguments?.text ?? "" }] };
  return `${JSON.stringify({ jsonrpc: "2.0", id: message.id, result })}\n`;
}

serveLines(answer);
