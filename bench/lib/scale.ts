/**
 * How big a benchmark run is, from the environment: RUNE_BENCH_QUICK=1 for a smoke run of a few
 * seconds, or RUNE_BENCH_ROUNDS / RUNE_BENCH_CALLS to set a size exactly.
 */
export const quick = process.env.RUNE_BENCH_QUICK === "1";

/** A positive integer from `name`, else `full` (or `quickValue` in a quick run). */
export function sized(name: string, full: number, quickValue: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return quick ? quickValue : full;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1)
    throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}
