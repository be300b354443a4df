/** Percentile of an ascending-sorted sample (nearest rank). */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export function median(values: readonly number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

export interface LatencySummary {
  callsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/** Summarises one round: calls, wall time and per-call latencies in nanoseconds. */
export function summarise(latenciesNs: BigInt64Array | bigint[], wallNs: bigint): LatencySummary {
  const ms = Array.from(latenciesNs, (n) => Number(n) / 1e6).sort((a, b) => a - b);
  return {
    callsPerSecond: ms.length / (Number(wallNs) / 1e9),
    p50Ms: percentile(ms, 50),
    p99Ms: percentile(ms, 99),
  };
}
