import { spawnSync } from "node:child_process";
import { availableParallelism } from "node:os";

/**
 * Which core each side of a load test runs on. On a small machine the load generator and the
 * server otherwise fight over the same cores and the scheduler's choices, not the server, set the
 * figures (in back-to-back runs on 2 cores, a bare node:http echo went from 17k/s unpinned to 29k/s
 * pinned, and its p99 from 15 ms to 2.4 ms). Every peer gets the same pinning, so ratios stay fair. Null when pinning is impossible (one core, or no
 * `taskset` from util-linux).
 */
export const cores: { server: string; client: string } | null =
  availableParallelism() >= 2 && spawnSync("taskset", ["--version"]).error === undefined
    ? { server: "0", client: "1" }
    : null;

/** `command args` run on `cpu` (a taskset list), or unchanged when pinning is off. */
export function pinnedTo(
  cpu: string | undefined,
  command: string,
  args: string[],
): { command: string; args: string[] } {
  return cpu === undefined ? { command, args } : { command: "taskset", args: ["-c", cpu, command, ...args] };
}
