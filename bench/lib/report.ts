import { cpus } from "node:os";

/** Prints a table of rows (the first row is the header): first column left-aligned, the rest right. */
export function printTable(rows: readonly (readonly string[])[]): void {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length))) ?? [];
  for (const row of rows) {
    console.log(
      row
        .map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
        .join("  "),
    );
  }
}

export interface Target {
  atLeast?: number;
  atMost?: number;
}

const LABEL_WIDTH = 46;

/**
 * One ratio against its anchor (or, with another `unit`, an absolute figure), the target it is held
 * to, PASS or MISS, and an optional note (such as what the ceiling allows). Returns whether the
 * target was met.
 */
export function printRatio(label: string, ratio: number, target: Target, note = "", unit = "x"): boolean {
  const met =
    (target.atLeast === undefined || ratio >= target.atLeast) &&
    (target.atMost === undefined || ratio <= target.atMost);
  const goal = target.atLeast !== undefined ? `target >= ${target.atLeast}` : `target <= ${target.atMost}`;
  const verdict = met ? "PASS" : "MISS";
  console.log(
    `${label.padEnd(LABEL_WIDTH)} ${ratio.toFixed(2).padStart(6)}${unit}   (${goal})  ${verdict}${note ? `   ${note}` : ""}`,
  );
  return met;
}

/** A ratio reported for context, held to no target. */
export function printInfo(label: string, ratio: number, note: string): void {
  console.log(`${label.padEnd(LABEL_WIDTH)} ${ratio.toFixed(2).padStart(6)}x   (${note})`);
}

export function fmt(value: number, digits = 1): string {
  return value.toFixed(digits);
}

/** The machine and run, printed above every benchmark so figures are read in context. */
export function printContext(name: string): void {
  console.log(`\n== ${name} ==`);
  console.log(`node ${process.version}, ${cpus().length} CPUs, ${new Date().toISOString()}`);
}
