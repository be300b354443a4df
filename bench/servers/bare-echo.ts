/**
 * The ceiling: a bare newline-delimited JSON echo over stdio with no MCP at all. It parses each
 * line and answers with a fixed-shape result, so it shows what the pipe and the client cost.
 */
import { createInterface } from "node:readline";

const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const message = JSON.parse(line) as { id?: number; params?: { arguments?: { text?: string } } };
  if (message.id === undefined) return;
  const text = message.params?.arguments?.text ?? "";
  const result =
    message.id === 1
      ? { protocolVersion: "2025-06-18", capabilities: {}, serverInfo: { name: "bare", version: "1" } }
      : { content: [{ type: "text", text }] };
  process.stdout.write(`${JSON.stringify({ jsonrpc: "2.0", id: message.id, result })}\n`);
});
lines.on("close", () => process.exit(0));
