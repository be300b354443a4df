/**
 * Benchmark peer for `obs`: the echo tool over Streamable HTTP (JSON responses, no token), with
 * Rune's operations on (`on`: metrics observer, request logs and dashboard history, a pino logger
 * writing to a file at info, the /metrics and dashboard routes) or off (`off`). Both hold an engine,
 * as every `rune serve` does, so the two differ in operations alone. Prints its endpoint.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Engine } from "../../src/engine/index.js";
import { RuneLogger } from "../../src/ops/log.js";
import { Operations } from "../../src/ops/operations.js";
import { Redactor } from "../../src/ops/redact.js";
import { StreamableHttpServer } from "../../src/protocol/transports/http/streamable-http-server.js";
import { runeEchoServer } from "./rune-echo-server.js";

const on = process.argv[2] === "on";
const dir = mkdtempSync(join(tmpdir(), "rune-obs-bench-"));
// Both peers hold an engine, as every `rune serve` does: the difference measured is operations alone.
const engine = new Engine({ roots: [dir], allowWrites: false, workers: 1 });
let ops: Operations | undefined;
if (on) {
  const redactor = new Redactor();
  const logger = new RuneLogger({ level: "info", file: join(dir, "rune.log"), redactor });
  ops = new Operations(logger, redactor, {
    status: () => engine.status(),
    sessions: () => server.sessionList(),
    config: () => ({}),
    editorExpected: false,
    version: "bench",
  });
}
const server = runeEchoServer(ops ? { observer: ops.metrics, logger: ops.logger } : {});
const http = new StreamableHttpServer((t) => server.connect(t), {
  auth: false,
  jsonResponse: true,
  maxSessions: 10_000,
  ...(ops ? { routes: ops.routes(() => true, false) } : {}),
});
const url = await http.listen();
process.stdout.write(`${url.href}\n`);
process.once("SIGINT", () => process.exit(0));
