import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";

type Message = Record<string, unknown>;

/**
 * A deliberately low-level peer for the stdio tests: it writes exact bytes (malformed ones too)
 * to a real server process and reads its newline-delimited replies. The official SDK client is
 * used wherever well-formed traffic is enough; this exists for what the SDK will not send.
 */
export class RawStdioPeer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly received: Message[] = [];
  /** Replies that came as JSON arrays (batch responses), as received. */
  readonly batches: Message[][] = [];
  stderr = "";
  private buffer = "";
  private waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  constructor(command: string, args: string[]) {
    this.child = spawn(command, args, { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.setEncoding("utf8");
    this.child.stdout.on("data", (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding("utf8");
    this.child.stderr.on("data", (chunk: string) => {
      this.stderr += chunk;
    });
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let nl = this.buffer.indexOf("\n");
    while (nl !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      const parsed = JSON.parse(line) as Message | Message[];
      if (Array.isArray(parsed)) this.batches.push(parsed);
      for (const message of Array.isArray(parsed) ? parsed : [parsed]) {
        this.received.push(message);
        this.waiters = this.waiters.filter((w) => {
          if (!w.match(message)) return true;
          w.resolve(message);
          return false;
        });
      }
      nl = this.buffer.indexOf("\n");
    }
  }

  /** Writes raw text; a trailing newline is added unless `newline` is false. */
  write(text: string, newline = true): void {
    this.child.stdin.write(newline ? `${text}\n` : text);
  }

  send(message: Message): void {
    this.write(JSON.stringify(message));
  }

  /** Resolves with the first message (already received or still to come) that matches. */
  waitFor(match: (m: Message) => boolean, timeoutMs = 10_000): Promise<Message> {
    const seen = this.received.find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no matching message within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        match,
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
      });
    });
  }

  response(id: string | number | null): Promise<Message> {
    return this.waitFor((m) => m.id === id && ("result" in m || "error" in m));
  }

  async request(id: number | string, method: string, params?: Message): Promise<Message> {
    this.send(params === undefined ? { jsonrpc: "2.0", id, method } : { jsonrpc: "2.0", id, method, params });
    return this.response(id);
  }

  async initialize(protocolVersion = "2025-11-25", capabilities: Message = {}): Promise<Message> {
    const reply = await this.request("init", "initialize", {
      protocolVersion,
      capabilities,
      clientInfo: { name: "raw-test-peer", version: "1.0.0" },
    });
    this.send({ jsonrpc: "2.0", method: "notifications/initialized" });
    return reply;
  }

  /** Closes stdin and resolves with the exit code once the process has exited and its output is read. */
  async end(): Promise<number | null> {
    this.child.stdin.end();
    if (this.child.exitCode === null || this.child.stdout.readable) await once(this.child, "close");
    return this.child.exitCode;
  }
}
