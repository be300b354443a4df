import { parseFrame } from "../../src/protocol/jsonrpc/message.js";
import type { McpServer } from "../../src/protocol/mcp/server.js";
import type { Transport } from "../../src/protocol/transport.js";

/**
 * Microseconds per tools/call dispatched through `server` with no I/O: frames handed straight to
 * the session, answers counted in send(). Isolates the server's own per-call work (what an
 * observer adds to it) from sockets and the machine's other load.
 */
export async function inProcessCallUs(server: McpServer, calls: number): Promise<number> {
  let answered = 0;
  let target = -1;
  let finished: () => void = () => {};
  const transport: Transport = {
    kind: "http",
    start: async () => {},
    close: async () => {},
    send(message) {
      if (!Array.isArray(message) && "id" in message && ++answered === target) finished();
    },
  };
  await server.connect(transport);
  const deliver = (frame: string): void => transport.onframe?.(parseFrame(frame));
  deliver(
    JSON.stringify({
      jsonrpc: "2.0",
      id: "init",
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "bench", version: "1" },
      },
    }),
  );
  const frames = Array.from({ length: 1000 }, (_, i) =>
    JSON.stringify({
      jsonrpc: "2.0",
      id: i,
      method: "tools/call",
      params: { name: "echo", arguments: { text: "hi" } },
    }),
  );
  const run = async (n: number): Promise<number> => {
    answered = 0;
    target = n;
    const done = new Promise<void>((resolve) => {
      finished = resolve;
    });
    const start = process.hrtime.bigint();
    // In batches of distinct ids: each batch is answered before the next reuses its ids.
    for (let sent = 0; sent < n; sent += frames.length) {
      const batchEnd = Math.min(n, sent + frames.length);
      for (let i = sent; i < batchEnd; i++) deliver(frames[i - sent] as string);
      while (answered < batchEnd) await new Promise<void>((resolve) => setImmediate(resolve));
    }
    await done;
    return Number(process.hrtime.bigint() - start) / 1000 / n;
  };
  await run(Math.min(calls, 100_000)); // warm-up
  return run(calls);
}
