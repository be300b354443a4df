import { Counter, collectDefaultMetrics, Gauge, Registry } from "prom-client";
import type { RequestObserver, RequestRecord } from "../protocol/mcp/request-observer.js";

/** What the metrics read from the engine at scrape time (kept as an interface: no engine import). */
export interface MetricsSource {
  cache(): {
    kinds: Record<
      string,
      { hits: number; misses: number; evictions: number; bytes: number; entries: number }
    >;
    budgetBytes: number;
  };
  workers(): {
    threads: number;
    maxThreads: number;
    queueSize: number;
    utilization: number;
    completed: number;
  };
  index(): { state: string; files: number; symbols: number };
}

/** One label combination's tallies, kept as plain numbers on the hot path and read at scrape time. */
interface Tally {
  transport: string;
  method: string;
  tool: string;
  ok: number;
  error: number;
  toolError: number;
  cancelled: number;
  /** Observations per bucket (not cumulative); the last slot is +Inf. */
  buckets: Float64Array;
  sum: number;
  count: number;
}

/** A metric read from tallies when scraped, registered with prom-client like its own metrics. */
interface ScrapedMetric {
  name: string;
  help: string;
  type: "counter" | "histogram";
  aggregator: "sum";
  get(): {
    name: string;
    help: string;
    type: string;
    aggregator: "sum";
    values: { value: number; labels: Record<string, string | number>; metricName?: string }[];
  };
}

/** Buckets for MCP calls: most answer in well under a millisecond, searches take seconds. */
const LATENCY_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30,
];

/**
 * Rune's Prometheus metrics (prom-client, in a registry of its own): requests, errors and latency
 * per transport, method and tool; sessions per transport; cache hits and misses; worker pool use;
 * index size; and Node's default process metrics (resident and heap memory, event loop lag, GC).
 * The per-call path looks its label children up once per label combination and then only
 * increments and observes.
 */
export class RuneMetrics implements RequestObserver {
  readonly registry = new Registry();
  private readonly sessions: Gauge<"transport">;
  /**
   * Tallies by label combination. prom-client's labelled children hash their labels on every
   * inc/observe, which cost a fifth of tools/call throughput under bench/obs; a Map lookup and a
   * few additions cost about nothing, and the exposition is built from these when scraped.
   */
  private readonly tallies = new Map<string, Tally>();
  /** The tally the previous call went to. */
  private last: Tally | undefined;
  /** Extra observers fed from the same calls (the dashboard's live stats, the request log). */
  private readonly also: ((record: RequestRecord) => void)[] = [];

  constructor(source?: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "rune_" });
    this.registry.registerMetric(this.requestsMetric() as never);
    this.registry.registerMetric(this.latencyMetric() as never);
    this.sessions = new Gauge({
      name: "rune_active_sessions",
      help: "Open MCP sessions, by transport",
      labelNames: ["transport"],
      registers,
    });
    if (source) this.engineMetrics(source, registers);
  }

  /** Feeds `observer` every request record too. */
  tap(observer: (record: RequestRecord) => void): void {
    this.also.push(observer);
  }

  requestDone(record: RequestRecord): void {
    // Calls come in runs of the same method and tool: the last tally is checked before the Map.
    let t = this.last;
    if (
      t === undefined ||
      t.method !== record.method ||
      t.tool !== (record.tool ?? "") ||
      t.transport !== record.transport
    ) {
      t = this.tally(record);
      this.last = t;
    }
    if (record.outcome === "ok") t.ok++;
    else if (record.outcome === "error") t.error++;
    else if (record.outcome === "cancelled") t.cancelled++;
    else t.toolError++;
    const seconds = record.ms / 1000;
    let i = 0;
    while (i < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[i] as number)) i++;
    t.buckets[i] = (t.buckets[i] as number) + 1;
    t.sum += seconds;
    t.count++;
    for (const observer of this.also) observer(record);
  }

  /** The tally of `record`'s label combination, made on first sight. */
  private tally(record: RequestRecord): Tally {
    const key =
      record.tool === undefined
        ? `${record.transport} ${record.method}`
        : `${record.transport} ${record.method} ${record.tool}`;
    let t = this.tallies.get(key);
    if (t === undefined) {
      t = {
        transport: record.transport,
        method: record.method,
        tool: record.tool ?? "",
        ok: 0,
        error: 0,
        toolError: 0,
        cancelled: 0,
        buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
        sum: 0,
        count: 0,
      };
      // Methods and tools are the server's own, so the set is bounded; a cap guards against a
      // client inventing tool names (unknown tools still count, under the label "other").
      if (this.tallies.size >= 2_000) t = this.overflow();
      else this.tallies.set(key, t);
    }
    return t;
  }

  private overflow(): Tally {
    let t = this.tallies.get("other");
    if (!t) {
      t = {
        transport: "other",
        method: "other",
        tool: "other",
        ok: 0,
        error: 0,
        toolError: 0,
        cancelled: 0,
        buckets: new Float64Array(LATENCY_BUCKETS.length + 1),
        sum: 0,
        count: 0,
      };
      this.tallies.set("other", t);
    }
    return t;
  }

  private requestsMetric(): ScrapedMetric {
    const tallies = this.tallies;
    const metric = {
      name: "rune_requests_total",
      help: "MCP requests answered, by transport, method, tool (tools/call) and outcome (ok, error, tool_error, cancelled)",
      type: "counter" as const,
      aggregator: "sum" as const,
      get() {
        const values = [];
        for (const t of tallies.values()) {
          const labels = { transport: t.transport, method: t.method, tool: t.tool };
          if (t.ok > 0) values.push({ value: t.ok, labels: { ...labels, outcome: "ok" } });
          if (t.error > 0) values.push({ value: t.error, labels: { ...labels, outcome: "error" } });
          if (t.toolError > 0)
            values.push({ value: t.toolError, labels: { ...labels, outcome: "tool_error" } });
          if (t.cancelled > 0)
            values.push({ value: t.cancelled, labels: { ...labels, outcome: "cancelled" } });
        }
        return {
          name: metric.name,
          help: metric.help,
          type: metric.type,
          aggregator: metric.aggregator,
          values,
        };
      },
    };
    return metric;
  }

  private latencyMetric(): ScrapedMetric {
    const tallies = this.tallies;
    const name = "rune_request_duration_seconds";
    const metric = {
      name,
      help: "Time from dispatch to answer of MCP requests",
      type: "histogram" as const,
      aggregator: "sum" as const,
      get() {
        const values = [];
        for (const t of tallies.values()) {
          const labels = { transport: t.transport, method: t.method, tool: t.tool };
          let cumulative = 0;
          for (let i = 0; i <= LATENCY_BUCKETS.length; i++) {
            cumulative += t.buckets[i] as number;
            const le = i < LATENCY_BUCKETS.length ? (LATENCY_BUCKETS[i] as number) : "+Inf";
            values.push({ value: cumulative, labels: { le, ...labels }, metricName: `${name}_bucket` });
          }
          values.push({ value: t.sum, labels, metricName: `${name}_sum` });
          values.push({ value: t.count, labels, metricName: `${name}_count` });
        }
        return { name, help: metric.help, type: metric.type, aggregator: metric.aggregator, values };
      },
    };
    return metric;
  }

  sessionOpened(session: { transport: string }): void {
    this.sessions.inc({ transport: session.transport });
  }

  sessionClosed(session: { transport: string }): void {
    this.sessions.dec({ transport: session.transport });
  }

  /** The exposition text and its content type. */
  async expose(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }

  private engineMetrics(source: MetricsSource, registers: Registry[]): void {
    const cacheCounter = (name: string, help: string, field: "hits" | "misses" | "evictions"): void => {
      const seen = new Map<string, number>();
      new Counter({
        name,
        help,
        labelNames: ["kind"],
        registers,
        collect() {
          for (const [kind, stats] of Object.entries(source.cache().kinds)) {
            const delta = stats[field] - (seen.get(kind) ?? 0);
            if (delta > 0) this.inc({ kind }, delta);
            seen.set(kind, stats[field]);
          }
        },
      });
    };
    cacheCounter("rune_cache_hits_total", "Engine cache hits, by kind of entry", "hits");
    cacheCounter("rune_cache_misses_total", "Engine cache misses, by kind of entry", "misses");
    cacheCounter(
      "rune_cache_evictions_total",
      "Engine cache evictions (budget or memory pressure)",
      "evictions",
    );
    new Gauge({
      name: "rune_cache_bytes",
      help: "Bytes held by the engine cache, by kind of entry",
      labelNames: ["kind"],
      registers,
      collect() {
        for (const [kind, stats] of Object.entries(source.cache().kinds)) this.set({ kind }, stats.bytes);
      },
    });
    const workerGauge = (
      name: string,
      help: string,
      read: (w: ReturnType<MetricsSource["workers"]>) => number,
    ): void => {
      new Gauge({
        name,
        help,
        registers,
        collect() {
          this.set(read(source.workers()));
        },
      });
    };
    workerGauge("rune_worker_pool_threads", "Worker threads running", (w) => w.threads);
    workerGauge("rune_worker_pool_max_threads", "Worker threads the pool may run", (w) => w.maxThreads);
    workerGauge("rune_worker_pool_queue_size", "Tasks waiting for a worker thread", (w) => w.queueSize);
    workerGauge(
      "rune_worker_pool_utilization",
      "Share of worker capacity used since the pool started (0..1)",
      (w) => w.utilization,
    );
    workerGauge("rune_worker_pool_completed_tasks", "Tasks the workers have finished", (w) => w.completed);
    new Gauge({
      name: "rune_index_files",
      help: "Files in the workspace symbol index",
      registers,
      collect() {
        this.set(source.index().files);
      },
    });
    new Gauge({
      name: "rune_index_ready",
      help: "1 when the symbol index is built, else 0",
      registers,
      collect() {
        this.set(source.index().state === "ready" ? 1 : 0);
      },
    });
  }
}
