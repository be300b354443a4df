import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { request } from "node:http";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { RUNE_MAIN } from "./paths.js";

export interface RunningHttp {
  child: ChildProcessWithoutNullStreams;
  /** The MCP endpoint. */
  url: URL;
  token: string;
  stderr(): string;
  stop(): Promise<void>;
}

/**
 * Starts `rune serve --http 0 ...args` with RUNE_TOKEN=token and waits for its address, announced
 * on stderr or, with `--log-file`, in that file.
 */
export async function startRuneHttp(
  token: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<RunningHttp> {
  const fileAt = args.indexOf("--log-file");
  const logFile = fileAt === -1 ? undefined : args[fileAt + 1];
  const logged = (): string => (logFile && existsSync(logFile) ? readFileSync(logFile, "utf8") : "");
  const child = spawn(process.execPath, [RUNE_MAIN, "serve", "--http", "0", ...args], {
    env: { ...process.env, RUNE_TOKEN: token, ...env },
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => {
    stderr += chunk;
  });
  const deadline = Date.now() + 15_000;
  const announced = (): RegExpExecArray | null => /Streamable HTTP on (http[^\s"]+)/.exec(stderr + logged());
  while (!announced()) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`rune serve did not start: ${stderr}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  const url = new URL((announced() as RegExpExecArray)[1] as string);
  return {
    child,
    url,
    token,
    stderr: () => stderr,
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

/** The SDK client connected over Streamable HTTP with the bearer token. */
export async function sdkHttpClient(server: RunningHttp): Promise<Client> {
  const client = new Client({ name: "rune-tests", version: "1.0.0" });
  await client.connect(
    new StreamableHTTPClientTransport(server.url, {
      requestInit: { headers: { authorization: `Bearer ${server.token}` } },
    }),
  );
  return client;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** One HTTP request with nothing added (no automatic decompression, unlike fetch). */
export function rawRequest(
  url: URL,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? "GET", headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(options.body);
  });
}
