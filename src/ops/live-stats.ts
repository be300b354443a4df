import type { RequestRecord } from "../protocol/mcp/request-observer.js";

/** Latency bins: four per power of two, from 1 µs; bin i covers [2^(i/4), 2^((i+1)/4)) µs. */
const BINS = 128;
const SECONDS = 300;
const SLOWEST = 20;

interface Second {
  /** Unix second this slot holds; slots are reused round-robin. */
  at: number;
  calls: number;
  errors: number;
  bins: Uint32Array;
}

export interface SlowCall {
  at: string;
  ms: number;
  method: string;
  tool: string | undefined;
  transport: string;
  session: string;
  outcome: string;
}

export interface RatePoint {
  /** Start of the interval (ms since epoch). */
  t: number;
  /** Calls per second over the interval. */
  rate: number;
  errors: number;
  p50: number;
  p95: number;
  p99: number;
}

/**
 * The recent history the dashboard charts: per-second call and error counts and a log-scale
 * latency histogram per second, for the last five minutes, plus the slowest recent calls. Adding
 * a call is a few arithmetic operations and one array write; percentiles are computed when asked.
 */
export class LiveStats {
  private readonly seconds: Second[] = [];
  private readonly slowest: SlowCall[] = [];
  private slowFloor = 0;

  constructor(private readonly now: () => number = Date.now) {
    for (let i = 0; i < SECONDS; i++)
      this.seconds.push({ at: -1, calls: 0, errors: 0, bins: new Uint32Array(BINS) });
  }

  add(record: RequestRecord): void {
    // The session's own reading when it has one: a clock read per call showed in calls/s.
    const nowMs = record.at ?? this.now();
    const second = Math.floor(nowMs / 1000);
    const slot = this.seconds[second % SECONDS] as Second;
    if (slot.at !== second) {
      slot.at = second;
      slot.calls = 0;
      slot.errors = 0;
      slot.bins.fill(0);
    }
    slot.calls++;
    if (record.outcome === "error" || record.outcome === "tool_error") slot.errors++;
    const us = record.ms * 1000;
    const bin = us <= 1 ? 0 : Math.min(BINS - 1, Math.floor(Math.log2(us) * 4));
    slot.bins[bin] = (slot.bins[bin] as number) + 1;
    if (record.ms > this.slowFloor || this.slowest.length < SLOWEST) this.noteSlow(record, nowMs);
  }

  private noteSlow(record: RequestRecord, nowMs: number): void {
    // Calls older than the window leave the list, so "slowest recent" stays recent.
    const horizon = nowMs - SECONDS * 1000;
    for (let i = this.slowest.length - 1; i >= 0; i--) {
      if (Date.parse((this.slowest[i] as SlowCall).at) < horizon) this.slowest.splice(i, 1);
    }
    this.slowest.push({
      at: new Date(nowMs).toISOString(),
      ms: Math.round(record.ms * 1000) / 1000,
      method: record.method,
      tool: record.tool,
      transport: record.transport,
      session: record.session,
      outcome: record.outcome,
    });
    this.slowest.sort((a, b) => b.ms - a.ms);
    if (this.slowest.length > SLOWEST) this.slowest.length = SLOWEST;
    this.slowFloor =
      this.slowest.length < SLOWEST ? 0 : (this.slowest[this.slowest.length - 1] as SlowCall).ms;
  }

  /** Points of `stepSeconds` each over the last `windowSeconds` (at most five minutes), oldest first. */
  series(windowSeconds = 120, stepSeconds = 2): RatePoint[] {
    const nowSecond = Math.floor(this.now() / 1000);
    const window = Math.min(windowSeconds, SECONDS - 1);
    const points: RatePoint[] = [];
    for (let start = nowSecond - window + 1; start <= nowSecond; start += stepSeconds) {
      const bins = new Uint32Array(BINS);
      let calls = 0;
      let errors = 0;
      for (let s = start; s < start + stepSeconds && s <= nowSecond; s++) {
        const slot = this.seconds[s % SECONDS] as Second;
        if (slot.at !== s) continue;
        calls += slot.calls;
        errors += slot.errors;
        for (let i = 0; i < BINS; i++) bins[i] = (bins[i] as number) + (slot.bins[i] as number);
      }
      points.push({
        t: start * 1000,
        rate: calls / stepSeconds,
        errors,
        p50: quantile(bins, calls, 0.5),
        p95: quantile(bins, calls, 0.95),
        p99: quantile(bins, calls, 0.99),
      });
    }
    return points;
  }

  slowestCalls(): SlowCall[] {
    return this.slowest.map((c) => ({ ...c }));
  }
}

/** The upper edge of the bin holding the q-quantile, in milliseconds (0 with no calls). */
function quantile(bins: Uint32Array, total: number, q: number): number {
  if (total === 0) return 0;
  const rank = Math.ceil(total * q);
  let seen = 0;
  for (let i = 0; i < BINS; i++) {
    seen += bins[i] as number;
    if (seen >= rank) return Math.round(2 ** ((i + 1) / 4)) / 1000;
  }
  return 2 ** (BINS / 4) / 1000;
}
