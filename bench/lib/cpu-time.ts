import { readdirSync, readFileSync } from "node:fs";

/**
 * CPU time a process has used so far, in nanoseconds: the sum over its threads of the first field
 * of /proc/<pid>/task/<tid>/schedstat (Linux). Nanosecond-precise where /proc/<pid>/stat counts
 * 10 ms ticks; the time of a thread that exits between two readings is lost (worker threads that
 * stay up for the whole measurement, as the servers' do, are counted).
 */
export function cpuTimeNs(pid: number): bigint {
  let total = 0n;
  for (const tid of readdirSync(`/proc/${pid}/task`)) total += threadCpuNs(pid, Number(tid)) ?? 0n;
  return total;
}

/**
 * CPU time the process's main thread (the one whose id is the process's) has used so far, in
 * nanoseconds, or undefined where /proc cannot tell (not Linux).
 */
export function mainThreadCpuNs(pid: number): bigint | undefined {
  return threadCpuNs(pid, pid);
}

/** One thread's CPU time so far, in nanoseconds; undefined if it has exited or /proc cannot tell. */
function threadCpuNs(pid: number, tid: number): bigint | undefined {
  try {
    const [onCpu] = readFileSync(`/proc/${pid}/task/${tid}/schedstat`, "utf8").split(" ");
    return BigInt(onCpu ?? "0");
  } catch {
    return undefined;
  }
}
