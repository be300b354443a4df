import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { setTimeout as sleep } from "node:timers/promises";

/** A JSON-RPC response as the driver reads it; only what it checks is typed. */
export interface Reply {
  id: number;
  result?: { isError?: boolean; [key: string]: unknown };
  error?: { code: number; message: string };
}

interface Waiter {
  resolve(reply: Reply): void;
  reject(error: Error): void;
}

/** What one measured run returns: each call's round trip and the run's wall time, in nanoseconds. */
export interface RunResult {
  latencies: BigInt64Array;
  wallNs: bigint;
}

const EXIT_GRACE_MS = 5_000;

/**
 * A minimal newline-delimited JSON-RPC client for benchmarks. Every server under test is driven by
 * this same code, so the client's cost is identical on both sides of a ratio. If the server dies,
 * every outstanding call fails with its exit status and the tail of its stderr, so a crashed peer
 * ends the benchmark instead of hanging it.
 */
export class StdioDriver {
  private readonly child: ChildProcessWithoutNullStreams;
  private pending: Buffer[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, Waiter>();
  private stderrTail = "";
  private failure: Error | undefined;
  private corked = false;
  private readonly closed: Promise<void>;

  constructor(
    readonly label: string,
    command: string,
    args: readonly string[],
  ) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.onData(chunk));
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-2_000);
    });
    this.child.stdin.on("error", (error) =>
      this.fail(`${label}: writing to its stdin failed: ${error.message}`),
    );
    this.child.once("error", (error) => this.fail(`${label}: could not start: ${error.message}`));
    // "close", not "exit": by then stdout has been read to the end, so no late reply is lost.
    this.closed = new Promise((resolve) => {
      this.child.once("close", (code, signal) => {
        this.fail(`${label} exited (code ${code}, signal ${signal})`);
        resolve();
      });
    });
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error(`${this.label} has no pid: it did not start`);
    return this.child.pid;
  }

  private fail(why: string): void {
    const tail = this.stderrTail.trim();
    this.failure ??= new Error(tail ? `${why}; its stderr ended with:\n${tail}` : why);
    for (const waiter of this.waiting.values()) waiter.reject(this.failure);
    this.waiting.clear();
  }

  private onData(chunk: Buffer): void {
    // Bytes are kept until a line ends and decoded once per reply: a multi-megabyte reply arrives
    // in many 64 KiB chunks, and a chunk's only cost is a memchr for "\n", so the pipe drains as
    // fast as the server fills it. Only the new chunk is searched (rescanning the whole buffer for
    // each chunk would cost quadratic time).
    let nl = chunk.indexOf(10);
    if (nl === -1) {
      this.pending.push(chunk);
      return;
    }
    let start = 0;
    while (nl !== -1) {
      this.pending.push(chunk.subarray(start, nl));
      const line = this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending);
      this.pending = [];
      const reply = JSON.parse((line as Buffer).toString("utf8")) as Partial<Reply>;
      // Server-sent requests and notifications carry no numeric id of ours; they are ignored.
      if (typeof reply.id === "number") {
        const waiter = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        waiter?.resolve(reply as Reply);
      }
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) this.pending.push(chunk.subarray(start));
  }

  /** Sends one request and resolves with its response, whatever it says. */
  request(method: string, params: Record<string, unknown>): Promise<Reply> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.send(`${JSON.stringify({ jsonrpc: "2.0", id, method, params })}\n`);
    });
  }

  /**
   * Requests sent in the same tick leave in one write: the client then costs less per call, so it
   * runs out of CPU later than the servers it drives and their differences show.
   */
  private send(line: string): void {
    if (!this.corked) {
      this.corked = true;
      this.child.stdin.cork();
      process.nextTick(this.uncork);
    }
    this.child.stdin.write(line);
  }

  private readonly uncork = (): void => {
    this.corked = false;
    this.child.stdin.uncork();
  };

  /** Sends one request and returns its result; an error response or an isError result throws. */
  async call(method: string, params: Record<string, unknown>): Promise<NonNullable<Reply["result"]>> {
    const reply = await this.request(method, params);
    if (!reply.result || reply.result.isError) {
      throw new Error(`${this.label}: ${method} failed: ${JSON.stringify(reply).slice(0, 300)}`);
    }
    return reply.result;
  }

  /** The MCP handshake: initialize, then notifications/initialized. */
  async initialize(): Promise<void> {
    await this.call("initialize", {
      protocolVersion: "2025-06-18",
      capabilities: {},
      clientInfo: { name: "rune-bench", version: "1.0.0" },
    });
    this.send(`${JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" })}\n`);
  }

  /**
   * Makes `total` calls with `concurrency` of them in flight (each worker sends its next call as
   * soon as its previous reply arrives) and times each round trip. A failed call aborts the run: a
   * benchmark of errors measures nothing.
   */
  async run(
    total: number,
    concurrency: number,
    method: string,
    params: Record<string, unknown>,
  ): Promise<RunResult> {
    const latencies = new BigInt64Array(total);
    let started = 0;
    const worker = async (): Promise<void> => {
      while (started < total) {
        const index = started++;
        const begin = process.hrtime.bigint();
        const reply = await this.request(method, params);
        latencies[index] = process.hrtime.bigint() - begin;
        if (!reply.result || reply.result.isError) {
          throw new Error(`${this.label}: ${method} failed: ${JSON.stringify(reply).slice(0, 300)}`);
        }
      }
    };
    const t0 = process.hrtime.bigint();
    await Promise.all(Array.from({ length: Math.min(concurrency, total) }, worker));
    return { latencies, wallNs: process.hrtime.bigint() - t0 };
  }

  /** Ends the server's stdin (MCP's stdio shutdown) and waits for it to exit; kills it if it lingers. */
  async close(): Promise<void> {
    this.child.stdin.end();
    const exited = await Promise.race([this.closed.then(() => true), sleep(EXIT_GRACE_MS, false)]);
    if (!exited) {
      console.error(`${this.label} did not exit within ${EXIT_GRACE_MS} ms of stdin closing; killing it`);
      this.child.kill("SIGKILL");
      await this.closed;
    }
  }
}
