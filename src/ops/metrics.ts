import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
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

interface Children {
  ok: Counter.Internal;
  error: Counter.Internal;
  toolError: Counter.Internal;
  latency: Histogram.Internal<"transport" | "method" | "tool">;
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
  private readonly requests: Counter<"transport" | "method" | "tool" | "outcome">;
  private readonly latency: Histogram<"transport" | "method" | "tool">;
  private readonly sessions: Gauge<"transport">;
  private readonly children = new Map<string, Children>();
  /** Extra observers fed from the same calls (the dashboard's live stats, the request log). */
  private readonly also: ((record: RequestRecord) => void)[] = [];

  constructor(source?: MetricsSource) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, prefix: "rune_" });
    this.requests = new Counter({
      name: "rune_requests_total",
      help: "MCP requests answered, by transport, method, tool (tools/call) and outcome (ok, error, tool_error)",
      labelNames: ["transport", "method", "tool", "outcome"],
      registers,
    });
    this.latency = new Histogram({
      name: "rune_request_duration_seconds",
      help: "Time from dispatch to answer of MCP requests",
      labelNames: ["transport", "method", "tool"],
      buckets: LATENCY_BUCKETS,
      registers,
    });
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
    const key = `${record.transport}\0${record.method}\0${record.tool ?? ""}`;
    let c = this.children.get(key);
    if (!c) {
      const tool = record.tool ?? "";
      c = {
        ok: this.requests.labels(record.transport, record.method, tool, "ok"),
        error: this.requests.labels(record.transport, record.method, tool, "error"),
        toolError: this.requests.labels(record.transport, record.method, tool, "tool_error"),
        latency: this.latency.labels(record.transport, record.method, tool),
      };
      // Label sets are bounded by the methods and tools that exist; unknown names from clients
      // are collapsed so a client cannot grow the registry without bound.
      if (this.children.size < 2_000) this.children.set(key, c);
    }
    (record.outcome === "ok" ? c.ok : record.outcome === "error" ? c.error : c.toolError).inc();
    c.latency.observe(record.ms / 1000);
    for (const observer of this.also) observer(record);
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
