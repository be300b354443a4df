import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";

type Message = { id?: number; result?: unknown; error?: unknown };

/**
 * A minimal newline-delimited JSON-RPC client for benchmarks. Every server under test is driven
 * by this same code, so the client's cost is identical on both sides of a ratio.
 */
export class StdioDriver {
  readonly child: ChildProcessWithoutNullStreams;
  private buffer = "";
  private nextId = 1;
  private readonly waiting = new Map<number, (m: Message) => void>();

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr.resume();
  }

  get pid(): number {
    return this.child.pid as number;
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let start = 0;
    let nl = this.buffer.indexOf("\n", start);
    while (nl !== -1) {
      const message = JSON.parse(this.buffer.slice(start, nl)) as Message;
      if (typeof message.id === "number") {
        const resolve = this.waiting.get(message.id);
        this.waiting.delete(message.id);
        resolve?.(message);
      }
      start = nl + 1;
      nl = this.buffer.indexOf("\n", start);
    }
    this.buffer = this.buffer.slice(start);
  }

  request(method: string, params: Record<string, unknown>): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  async initialize(): Promise<void> {
    const reply = await this.request("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "rune-bench", version: "1.0.0" },
    });
    if (!reply.result) throw new Error(`initialize failed: ${JSON.stringify(reply)}`);
    this.child.stdin.write(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  }

  /**
   * Makes `total` calls with `concurrency` in flight and returns each call's latency and the wall
   * time. A failed call aborts the run: a benchmark of errors measures nothing.
   */
  async run(
    total: number,
    concurrency: number,
    method: string,
    params: Record<string, unknown>,
  ): Promise<{ latencies: BigInt64Array; wallNs: bigint }> {
    const latencies = new BigInt64Array(total);
    let started = 0;
    const t0 = process.hrtime.bigint();
    const worker = async (): Promise<void> => {
      while (started < total) {
        const index = started++;
        const begin = process.hrtime.bigint();
        const reply = await this.request(method, params);
        latencies[index] = process.hrtime.bigint() - begin;
        if (!reply.result || (reply.result as { isError?: boolean }).isError) {
          throw new Error(`${method} failed: ${JSON.stringify(reply).slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: concurrency }, worker));
    return { latencies, wallNs: process.hrtime.bigint() - t0 };
  }

  async close(): Promise<void> {
    this.child.stdin.end();
    if (this.child.exitCode === null) await once(this.child, "exit");
  }
}
