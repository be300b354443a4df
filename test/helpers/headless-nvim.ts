import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { attach, type NeovimClient } from "neovim";

/** A real `nvim --headless --listen` and a client the test drives it with, as a user would type. */
export interface HeadlessNvim {
  socket: string;
  process: ChildProcess;
  driver: NeovimClient;
  /** Ends the driver's connection and Neovim itself. */
  close(): Promise<void>;
}

/** Neovim's own client logs at info and replaces console unless given a logger; keep it quiet. */
const quiet = {
  level: "error",
  debug() {},
  info() {},
  warn() {},
  error(message: string) {
    process.stderr.write(`neovim client: ${message}\n`);
  },
} as never;

/**
 * Starts Neovim (installed by scripts/install-test-tools.mjs) in `cwd` with no user config and no
 * swap files, and waits for its socket. `env` is added to its environment (and its jobs').
 */
export async function startNvim(cwd: string, env: Record<string, string> = {}): Promise<HeadlessNvim> {
  const socket = join(cwd, ".nvim.sock");
  const child = spawn("nvim", ["--headless", "--clean", "-n", "--listen", socket], {
    cwd,
    stdio: "ignore",
    env: { ...process.env, ...env },
  });
  const exited = new Promise<never>((_, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`nvim exited early (code ${code})`)));
  });
  await Promise.race([until(() => existsSync(socket), "nvim's socket"), exited]);
  const driver = attach({ socket, options: { logger: quiet } });
  await driver.channelId;
  return {
    socket,
    process: child,
    driver,
    async close() {
      await driver.close().catch(() => {});
      if (child.exitCode === null) {
        child.kill();
        await new Promise((resolve) => child.once("exit", resolve));
      }
    },
  };
}

/**
 * Waits until `check` holds (polling), failing with `what` after 10 s. Editor reports are
 * asynchronous and debounced; this waits for an outcome and asserts nothing about time.
 */
export async function until<T>(check: () => T | Promise<T>, what: string): Promise<NonNullable<T>> {
  const deadline = Date.now() + 10_000;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await check();
    if (last) return last as NonNullable<T>;
    await sleep(20);
  }
  throw new Error(`gave up waiting for ${what} (last seen: ${JSON.stringify(last)})`);
}
