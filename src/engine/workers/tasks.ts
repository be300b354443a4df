import { lintFiles } from "../analysis/lint-task.js";
import { profileFiles } from "../analysis/profile-task.js";
import { scanFiles } from "../analysis/security-task.js";
import { searchFiles } from "../search/search-task.js";
import { parseSymbols } from "../symbols/symbols-task.js";

/**
 * Everything a worker thread can be asked to do, by name. The worker imports this table; the
 * main thread imports only its type, so task code loads only where it runs.
 */
export const TASKS = {
  search: searchFiles,
  symbols: parseSymbols,
  security: scanFiles,
  lint: lintFiles,
  profile: profileFiles,
} as const;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
