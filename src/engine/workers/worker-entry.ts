import { TASKS, type TaskName } from "./tasks.js";

/** The worker threads' entry point: Piscina calls the default export with each task. */
export default function run(task: { name: TaskName; input: unknown }): unknown {
  const handler = TASKS[task.name] as ((input: unknown) => unknown) | undefined;
  if (!handler) throw new Error(`Unknown worker task: ${String(task.name)}`);
  return handler(task.input);
}
