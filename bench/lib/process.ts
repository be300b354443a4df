import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";

/** Starts a server process that prints its endpoint(s) on the first line of stdout. */
export async function startServer(args: string[]): Promise<{ child: ChildProcess; endpoints: string[] }> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { child, endpoints: chunk.toString().trim().split(/\s+/) };
}

export async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  child.kill("SIGTERM");
  await once(child, "exit");
}
