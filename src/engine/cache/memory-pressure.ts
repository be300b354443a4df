import { getHeapStatistics } from "node:v8";
import type { ByteLru } from "./byte-lru.js";

export interface MemoryPressureOptions {
  /** Resident set size above which the cache is halved (default: 75% of the V8 heap limit + 512 MiB). */
  rssLimitBytes?: number;
  /** Heap use above which the cache is halved (default: 70% of the V8 heap limit). */
  heapLimitBytes?: number;
  /** How often memory is checked (default 5 s). */
  intervalMs?: number;
}

/**
 * Watches the process's memory and shrinks the cache to half its size whenever resident or heap
 * memory crosses its threshold, so a large workspace degrades to cache misses rather than to an
 * out-of-memory crash. One cheap process.memoryUsage() call per interval; the timer never keeps
 * the process alive.
 */
export class MemoryPressure {
  private readonly timer: NodeJS.Timeout;
  readonly rssLimitBytes: number;
  readonly heapLimitBytes: number;

  constructor(
    private readonly cache: ByteLru,
    options: MemoryPressureOptions = {},
  ) {
    const heapLimit = getHeapStatistics().heap_size_limit;
    this.rssLimitBytes = options.rssLimitBytes ?? Math.round(heapLimit * 0.75) + 512 * 1024 * 1024;
    this.heapLimitBytes = options.heapLimitBytes ?? Math.round(heapLimit * 0.7);
    this.timer = setInterval(() => this.check(), options.intervalMs ?? 5_000);
    this.timer.unref();
  }

  /** Checks memory now; returns whether the cache was shrunk. */
  check(usage: { rss: number; heapUsed: number } = process.memoryUsage()): boolean {
    if (usage.rss <= this.rssLimitBytes && usage.heapUsed <= this.heapLimitBytes) return false;
    this.cache.shrinkTo(Math.floor(this.cache.size / 2), true);
    return true;
  }

  close(): void {
    clearInterval(this.timer);
  }
}
