import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { msSince } from "../lib/alternate.js";
import { cpuTimeNs } from "../lib/cpu-time.js";
import { cores, pinnedTo } from "../lib/pinning.js";
import type { Reply } from "../lib/stdio-driver.js";
import { StdioDriver } from "../lib/stdio-driver.js";

const here = (path: string): string => fileURLToPath(new URL(path, import.meta.url));

/** The anchor, installed into test-tools/ by scripts/install-test-tools.mjs (npm test does it). */
export const FILESYSTEM_ENTRY = here(
  "../../../test-tools/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js",
);
const RUNE_CLI = here("../../src/cli/main.js");

export type ToolResult = NonNullable<Reply["result"]>;

/** An MCP server over stdio, driven by the benchmarks' one client, and the tools it lists. */
export interface Peer {
  name: string;
  driver: StdioDriver;
  tools: ReadonlySet<string>;
}

export const RUNE = "rune";
export const FILESYSTEM = "server-filesystem";

/** `rune serve <root> --allow-writes`, logging only errors (on stderr). */
export function startRune(root: string): Promise<Peer> {
  return startPeer(RUNE, [RUNE_CLI, "serve", root, "--allow-writes", "--log-level", "error"]);
}

/** `@modelcontextprotocol/server-filesystem <root>`: writes are always on there. */
export function startFilesystem(root: string): Promise<Peer> {
  if (!existsSync(FILESYSTEM_ENTRY)) {
    throw new Error(
      `${FILESYSTEM} is not installed at ${FILESYSTEM_ENTRY}: run \`node scripts/install-test-tools.mjs\``,
    );
  }
  return startPeer(FILESYSTEM, [FILESYSTEM_ENTRY, root]);
}

/** Starts Rune and server-filesystem on `root`, runs `use` with both, and stops both however it ends. */
export async function withRuneAndFilesystem<T>(
  root: string,
  use: (rune: Peer, filesystem: Peer) => Promise<T>,
): Promise<T> {
  const rune = await startRune(root);
  try {
    const filesystem = await startFilesystem(root);
    try {
      return await use(rune, filesystem);
    } finally {
      await filesystem.driver.close();
    }
  } finally {
    await rune.driver.close();
  }
}

/** Spawns a server, initializes it and reads its whole (paginated) tool list. */
export async function startPeer(name: string, args: string[]): Promise<Peer> {
  // Every server on the server core, as the other load benchmarks do (bench/lib/pinning.ts);
  // `pinClient` puts this process, the client, on the other.
  const run = pinnedTo(cores?.server, process.execPath, args);
  const driver = new StdioDriver(name, run.command, run.args);
  try {
    await driver.initialize();
    const tools = new Set<string>();
    let cursor: string | undefined;
    do {
      const page = await driver.call("tools/list", cursor === undefined ? {} : { cursor });
      for (const tool of (page.tools ?? []) as { name: string }[]) tools.add(tool.name);
      cursor = typeof page.nextCursor === "string" ? page.nextCursor : undefined;
    } while (cursor !== undefined);
    return { name, driver, tools };
  } catch (error) {
    await driver.close();
    throw error;
  }
}

/**
 * Whether `peer` has `tool`; if not, says so in the report, so a run against a build without the
 * tool still measures (and prints) the anchor's side.
 */
export function offers(peer: Peer, tool: string): boolean {
  if (peer.tools.has(tool)) return true;
  console.log(`${peer.name}: tool not available (${tool} is not in its tools/list); its side is skipped`);
  return false;
}

/**
 * One tools/call: its round trip and the server's CPU time for it, in milliseconds (the CPU time is
 * read outside the timed span). On a busy shared machine the CPU time is the steadier figure of
 * the two. An error result throws.
 */
export async function timedCall(
  peer: Peer,
  tool: string,
  args: Record<string, unknown>,
): Promise<{ ms: number; cpuMs: number; result: ToolResult }> {
  const cpuBefore = cpuTimeNs(peer.driver.pid);
  const begin = process.hrtime.bigint();
  const result = await peer.driver.call("tools/call", { name: tool, arguments: args });
  const ms = msSince(begin);
  return { ms, cpuMs: Number(cpuTimeNs(peer.driver.pid) - cpuBefore) / 1e6, result };
}

/** Every text block of a tool result, concatenated: where both servers put file text. */
export function resultText(result: ToolResult): string {
  const blocks = (result.content ?? []) as { type: string; text?: string }[];
  return blocks.map((block) => (block.type === "text" ? (block.text ?? "") : "")).join("");
}

/** The result's structuredContent, or an empty object. */
export function structured(result: ToolResult): Record<string, unknown> {
  const value = result.structuredContent;
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : {};
}

/**
 * Runs `use` with this process (the client, all its threads) on the client core, and then lets it
 * run anywhere again; without pinning, just runs it. Says which, for the report.
 */
export async function pinClient<T>(use: () => Promise<T>): Promise<T> {
  if (!cores) {
    console.log("not pinned (needs 2 CPUs and taskset)");
    return use();
  }
  console.log(
    `pinned: every server on CPU ${cores.server}, the client (this process) on CPU ${cores.client}`,
  );
  spawnSync("taskset", ["-apc", cores.client, String(process.pid)]);
  try {
    return await use();
  } finally {
    spawnSync("taskset", ["-apc", `0-${availableParallelism() - 1}`, String(process.pid)]);
  }
}
