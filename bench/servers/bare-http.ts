/**
 * The ceiling: a bare node:http JSON echo with keep-alive and no MCP, answering every POST with a
 * tools/call-shaped result. Prints its URL on stdout.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

const http = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const message = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
      id?: number;
      params?: { arguments?: { text?: string } };
    };
    const body = JSON.stringify({
      jsonrpc: "2.0",
      id: message.id,
      result: { content: [{ type: "text", text: message.params?.arguments?.text ?? "" }] },
    });
    // A Content-Length, as Rune sends: chunked framing would handicap the ceiling against its peer.
    res
      .writeHead(200, {
        "content-type": "application/json",
        "mcp-session-id": "bare",
        "content-length": String(Buffer.byteLength(body)),
      })
      .end(body);
  });
});
http.keepAliveTimeout = 65_000;
http.listen(0, "127.0.0.1", () => {
  const { port } = http.address() as AddressInfo;
  process.stdout.write(`http://127.0.0.1:${port}/mcp\n`);
});
