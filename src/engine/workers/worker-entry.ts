import { TASKS, type TaskName } from "./tasks.js";

type Handler = (input: unknown) => unknown;

/** Handlers this thread has loaded; a task whose module is here runs without waiting a turn. */
const loaded = new Map<TaskName, Handler>();

/** The worker threads' entry point: Piscina calls the default export with each task. */
export default function run(task: { name: TaskName; input: unknown }): unknown {
  const handler = loaded.get(task.name);
  if (handler) return handler(task.input);
  if (!Object.hasOwn(TASKS, task.name)) throw new Error(`Unknown worker task: ${String(task.name)}`);
  return TASKS[task.name]().then((found) => {
    loaded.set(task.name, found as Handler);
    return (found as Handler)(task.input);
  });
}
