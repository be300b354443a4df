import { median } from "./stats.js";

/**
 * Times `measure` once per contender per round for `rounds` rounds, reversing the order every other
 * round so that drift on a shared machine (page cache, CPU frequency, neighbours) hits every
 * contender alike. `measure` returns the milliseconds it measured, so it can time only the part
 * that matters and check its result outside the timing. Returns each contender's median.
 */
export async function alternate<T extends { name: string }>(
  contenders: readonly T[],
  rounds: number,
  measure: (contender: T) => Promise<number> | number,
): Promise<Map<string, number>> {
  const times = new Map<string, number[]>(contenders.map((c) => [c.name, []]));
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) times.get(contender.name)?.push(await measure(contender));
  }
  return new Map([...times].map(([name, ms]) => [name, median(ms)]));
}

/** Milliseconds since `start`, a process.hrtime.bigint() reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}
