/**
 * Everything a worker thread can be asked to do, by name, each loaded by the worker the first time
 * it is asked: a thread started for a search compiles only the search code. (Importing every task
 * module up front made each thread take about 35 ms longer to start.) The main thread imports only
 * the types, so task code loads only where it runs.
 */
export const TASKS = {
  search: async () => (await import("../search/search-task.js")).searchFiles,
  symbols: async () => (await import("../symbols/symbols-task.js")).parseSymbols,
  security: async () => (await import("../analysis/security-task.js")).scanFiles,
  lint: async () => (await import("../analysis/lint-task.js")).lintFiles,
  profile: async () => (await import("../analysis/profile-task.js")).profileFiles,
} as const;

export type TaskName = keyof typeof TASKS;
type Handler<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
export type TaskInput<N extends TaskName> = Parameters<Handler<N>>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<Handler<N>>>;
