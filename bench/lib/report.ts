import { cpus } from "node:os";

/** Prints a table of rows (first row is the header), columns padded to fit. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const row of rows) {
    console.log(
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  "),
    );
  }
}

/** One ratio against its anchor, with the target it is held to. */
export function printRatio(
  label: string,
  ratio: number,
  target: { atLeast?: number; atMost?: number },
): boolean {
  const met =
    (target.atLeast === undefined || ratio >= target.atLeast) &&
    (target.atMost === undefined || ratio <= target.atMost);
  const goal = target.atLeast !== undefined ? `target >= ${target.atLeast}` : `target <= ${target.atMost}`;
  console.log(`${label.padEnd(44)} ${ratio.toFixed(2).padStart(6)}x   (${goal})  ${met ? "PASS" : "MISS"}`);
  return met;
}

export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** The machine and run, printed above every benchmark so figures are read in context. */
export function printContext(name: string): void {
  console.log(`\n== ${name} == node ${process.version}, ${cpus().length} cores, ${new Date().toISOString()}`);
}
