import { mkdtempSync, realpathSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { getDefaultEnvironment, StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export interface Connected {
  client: Client;
  transport: StdioClientTransport;
  close(): Promise<void>;
}

type ClientCapabilities = ConstructorParameters<typeof Client>[1] extends infer O
  ? O extends { capabilities?: infer C }
    ? C
    : never
  : never;

/** Starts a real server process and connects the official SDK client to it over stdio. */
export async function connectSdkClient(
  command: string,
  args: string[],
  capabilities: ClientCapabilities = {},
  /** Added to the SDK's default environment for the server process. */
  env: Record<string, string> = {},
): Promise<Connected> {
  const transport = new StdioClientTransport({
    command,
    args,
    stderr: "pipe",
    env: { ...getDefaultEnvironment(), ...env },
  });
  const client = new Client({ name: "rune-tests", version: "1.0.0" }, { capabilities });
  await client.connect(transport);
  return { client, transport, close: () => client.close() };
}

const created: string[] = [];
process.once("exit", () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A fresh, canonical temporary folder, removed when the test process exits. */
export function tempDir(prefix = "rune-test-"): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  created.push(dir);
  return dir;
}
