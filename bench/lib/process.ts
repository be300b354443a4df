import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { pinnedTo } from "./pinning.js";

/**
 * Starts a server process that prints its endpoint(s) on the first line of stdout, on the cores
 * `cpu` lists (all of its threads, GC and libuv included) when given.
 */
export async function startServer(
  args: string[],
  cpu?: string,
): Promise<{ child: ChildProcess; endpoints: string[] }> {
  const run = pinnedTo(cpu, process.execPath, args);
  const child = spawn(run.command, run.args, { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { child, endpoints: chunk.toString().trim().split(/\s+/) };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}
