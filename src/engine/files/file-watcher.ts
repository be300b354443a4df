import type { AsyncSubscription, Event } from "@parcel/watcher";

/** A change on disk under a watched root. */
export interface FileChange {
  type: "create" | "update" | "delete";
  /** Absolute path, under the canonical root it was seen in. */
  path: string;
}

/**
 * Folders whose churn nobody asks about: version-control internals and dependency trees. Watching
 * them would spend inotify watches (a per-user kernel limit) on every package in node_modules.
 */
const IGNORED = [".git", ".hg", ".svn", "node_modules", "**/node_modules", "**/.git"];

/**
 * Watches the workspace roots with @parcel/watcher (inotify on Linux, FSEvents on macOS), which
 * batches and coalesces events natively. Loaded only when watching starts, so a server that never
 * watches does not load the native module.
 */
export class FileWatcher {
  private constructor(private readonly subscriptions: AsyncSubscription[]) {}

  static async start(
    roots: readonly string[],
    onChanges: (changes: FileChange[]) => void,
    onError: (error: Error) => void,
  ): Promise<FileWatcher> {
    const watcher = await import("@parcel/watcher");
    const subscriptions: AsyncSubscription[] = [];
    try {
      for (const root of roots) {
        subscriptions.push(
          await watcher.subscribe(
            root,
            (error: Error | null, events: Event[]) => {
              if (error) onError(error);
              else if (events.length > 0) onChanges(events.map((e) => ({ type: e.type, path: e.path })));
            },
            { ignore: IGNORED },
          ),
        );
      }
    } catch (error) {
      await Promise.allSettled(subscriptions.map((s) => s.unsubscribe()));
      throw error;
    }
    return new FileWatcher(subscriptions);
  }

  async close(): Promise<void> {
    await Promise.allSettled(this.subscriptions.map((s) => s.unsubscribe()));
  }
}
