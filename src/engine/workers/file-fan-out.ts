import { walk } from "../workspace/walker.js";
import type { WorkerPool } from "./worker-pool.js";

/** Where a fan-out walks: folders, each with the workspace root it lies in, and the walk's rules. */
export interface FileScope {
  targets: { root: string; start: string }[];
  /** Files to take as given, whatever the walk's rules would say of them. */
  files?: readonly string[];
  include?: readonly string[];
  exclude?: readonly string[];
  hidden?: boolean;
  ignoreFiles?: boolean;
}

/** Why a fan-out ended early. */
export type StopReason = "limit" | "timeout" | "cancelled";

export interface FanOutOptions {
  /** Stop after this long (default 10 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
  /**
   * Files per worker task (default 128). Each task costs the main thread a message and a wake-up
   * of a worker; halving their number made a search of the 170 MB benchmark corpus about a tenth
   * faster on two workers.
   */
  filesPerTask?: number;
}

/** How long tasks still running at the result cap or the time limit may take to finish. */
const GRACE_MS = 200;

/**
 * Runs a per-file job over a tree on the worker pool: the walker streams paths on the main thread,
 * batches go to the workers with at most two per thread in flight (backpressure: the walk waits
 * for the workers), and each result is handed to `accept`, which may end the run by returning
 * "limit". A cancellation aborts the tasks in flight, which stops the threads running them; at a
 * limit or the time limit (which `run` may pass to the task as `deadline`, epoch ms) they are left
 * a moment to finish, as they stop by themselves at their next file and what they found is kept,
 * and are stopped if they have not. Resolves with the reason the run stopped early, if it did.
 */
export async function fanOutFiles<R>(
  pool: WorkerPool,
  scope: FileScope,
  run: (files: string[], signal: AbortSignal, deadline: number) => Promise<R>,
  accept: (result: R) => "continue" | "limit",
  options: FanOutOptions = {},
): Promise<StopReason | undefined> {
  const perTask = options.filesPerTask ?? 128;
  const stop = new AbortController();
  const kill = new AbortController();
  let reason: StopReason | undefined;
  let grace: NodeJS.Timeout | undefined;
  const halt = (why: StopReason) => {
    reason ??= why;
    stop.abort();
    if (why === "cancelled") kill.abort();
    // Tasks in flight at the limit or the deadline stop by themselves at their next file, and
    // what they found counts; one stuck in a file (a regular expression that backtracks for
    // minutes) is stopped after a moment.
    else grace ??= setTimeout(() => kill.abort(), GRACE_MS);
  };
  const timeoutMs = options.timeoutMs ?? 10_000;
  const deadline = Date.now() + timeoutMs;
  const timer = setTimeout(() => halt("timeout"), timeoutMs);
  const onCancel = () => halt("cancelled");
  options.signal?.addEventListener("abort", onCancel, { once: true });
  if (options.signal?.aborted) halt("cancelled");

  const inFlight = new Set<Promise<void>>();
  const submit = (batch: string[]) => {
    const task: Promise<void> = run(batch, kill.signal, deadline)
      .then(
        (result) => {
          if (accept(result) === "limit") halt("limit");
        },
        (error: unknown) => {
          if (!kill.signal.aborted) throw error;
        },
      )
      .finally(() => inFlight.delete(task));
    inFlight.add(task);
  };
  let pending: string[] = [];
  /** Sends the full batch (unless the run has stopped), then waits while the threads have enough to do. */
  const flush = async () => {
    if (!stop.signal.aborted) submit(pending);
    pending = [];
    while (inFlight.size >= pool.threads * 2) await Promise.race(inFlight);
  };
  try {
    // Files given directly first, in batches like the walk's, so many are shared among the threads.
    for (const path of scope.files ?? []) {
      if (stop.signal.aborted) break;
      if (pending.push(path) === perTask) await flush();
    }
    for (const { root, start } of scope.targets) {
      if (stop.signal.aborted) break;
      for await (const batch of walk(start, { ...scope, root, signal: stop.signal })) {
        for (const entry of batch) if (pending.push(entry.path) === perTask) await flush();
        if (stop.signal.aborted) break;
      }
    }
    if (pending.length > 0 && !stop.signal.aborted) submit(pending);
    await Promise.all(inFlight);
  } finally {
    clearTimeout(timer);
    clearTimeout(grace);
    options.signal?.removeEventListener("abort", onCancel);
  }
  return reason;
}
