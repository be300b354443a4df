import { availableParallelism } from "node:os";
import type { Piscina } from "piscina";
import type { TaskInput, TaskName, TaskOutput } from "./tasks.js";

export interface WorkerPoolOptions {
  /** Threads (default: the machine's available parallelism). */
  threads?: number;
  /** Idle threads exit after this long (default 60 s); the pool starts them again on demand. */
  idleTimeoutMs?: number;
}

/** How busy the pool is: threads, queued tasks, utilization (0..1) since start. */
export interface WorkerPoolStats {
  started: boolean;
  maxThreads: number;
  threads: number;
  queueSize: number;
  utilization: number;
  completed: number;
}

/**
 * The engine's worker threads (Piscina), sized to the cores: CPU-heavy work (search, parsing)
 * runs here so the protocol's event loop stays responsive. Created on first use, so a server
 * that never searches starts no threads and does not load Piscina.
 *
 * Aborting a task's signal removes it from the queue, or terminates the thread running it (a
 * runaway regular expression cannot be interrupted any other way); the pool replaces the thread.
 */
export class WorkerPool {
  readonly threads: number;
  private readonly idleTimeoutMs: number;
  private pool: Promise<Piscina> | undefined;
  /** The pool once started, for stats read synchronously. */
  private live: Piscina | undefined;

  constructor(options: WorkerPoolOptions = {}) {
    this.threads = Math.max(1, options.threads ?? availableParallelism());
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  async run<N extends TaskName>(name: N, input: TaskInput<N>, signal?: AbortSignal): Promise<TaskOutput<N>> {
    this.pool ??= this.start();
    const pool = await this.pool;
    return pool.run({ name, input }, { signal: signal ?? null }) as Promise<TaskOutput<N>>;
  }

  stats(): WorkerPoolStats {
    const pool = this.live;
    if (!pool) {
      return {
        started: false,
        maxThreads: this.threads,
        threads: 0,
        queueSize: 0,
        utilization: 0,
        completed: 0,
      };
    }
    return {
      started: true,
      maxThreads: this.threads,
      threads: pool.threads.length,
      queueSize: pool.queueSize,
      utilization: pool.utilization,
      completed: pool.completed,
    };
  }

  async close(): Promise<void> {
    this.live = undefined;
    const pool = this.pool;
    this.pool = undefined;
    await (await pool)?.destroy();
  }

  private async start(): Promise<Piscina> {
    const { Piscina } = await import("piscina");
    this.live = new Piscina({
      filename: new URL("./worker-entry.js", import.meta.url).href,
      minThreads: 0,
      maxThreads: this.threads,
      idleTimeout: this.idleTimeoutMs,
    });
    return this.live;
  }
}
