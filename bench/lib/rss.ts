import { readFileSync } from "node:fs";

/**
 * Memory of a process in MiB, from /proc/<pid>/status (Linux): `VmRSS` is what is resident now,
 * `VmHWM` the most that ever was.
 */
export function residentMiB(pid: number, field: "VmRSS" | "VmHWM" = "VmRSS"): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const match = new RegExp(`${field}:\\s+(\\d+) kB`).exec(status);
  if (!match) throw new Error(`no ${field} in /proc/${pid}/status`);
  return Number(match[1]) / 1024;
}
