import { statSync } from "node:fs";
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

/** How often each root is checked for having been removed or replaced. */
const ROOT_CHECK_MS = 2_000;

interface WatchedRoot {
  path: string;
  /** The folder's device and inode when subscribed; null while it is missing. */
  identity: string | null;
  subscription: AsyncSubscription | undefined;
  /** The watcher reported the root itself deleted: its subscription watches nothing now. */
  lost: boolean;
}

/**
 * Watches the workspace roots with @parcel/watcher (inotify on Linux, FSEvents on macOS), which
 * batches and coalesces events natively. Loaded only when watching starts, so a server that never
 * watches does not load the native module.
 *
 * A root removed (`rm -rf` and a fresh clone, say) takes its watch with it and nothing reports
 * that, so each root is checked every few seconds: one that went away is reported deleted, and
 * one that is back (or was replaced by another folder) is watched again and reported created, so
 * what follows the changes reads it afresh.
 */
export class FileWatcher {
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private checking: Promise<void> | undefined;

  private constructor(
    private readonly watcher: typeof import("@parcel/watcher"),
    private readonly roots: WatchedRoot[],
    private readonly onChanges: (changes: FileChange[]) => void,
    private readonly onError: (error: Error) => void,
  ) {
    this.timer = setInterval(() => {
      this.checking ??= this.checkRoots().finally(() => {
        this.checking = undefined;
      });
    }, ROOT_CHECK_MS);
    this.timer.unref();
  }

  static async start(
    roots: readonly string[],
    onChanges: (changes: FileChange[]) => void,
    onError: (error: Error) => void,
  ): Promise<FileWatcher> {
    const watcher = await import("@parcel/watcher");
    const watched: WatchedRoot[] = roots.map((path) => ({
      path,
      identity: null,
      subscription: undefined,
      lost: false,
    }));
    try {
      for (const root of watched) {
        root.identity = identity(root.path);
        root.subscription = await subscribe(watcher, root, onChanges, onError);
      }
    } catch (error) {
      await Promise.allSettled(watched.map((root) => root.subscription?.unsubscribe()));
      throw error;
    }
    return new FileWatcher(watcher, watched, onChanges, onError);
  }

  /** Whether every root is being watched now (false while one is missing). */
  get healthy(): boolean {
    return this.roots.every((root) => root.subscription !== undefined && !root.lost);
  }

  /** Notices roots removed, replaced or back since the last check; see the class comment. */
  async checkRoots(): Promise<void> {
    for (const root of this.roots) {
      const now = identity(root.path);
      if ((now === root.identity && !root.lost) || this.closed) continue;
      root.identity = now;
      root.lost = false;
      const old = root.subscription;
      root.subscription = undefined;
      await old?.unsubscribe().catch(() => {});
      if (now !== null) {
        try {
          root.subscription = await subscribe(this.watcher, root, this.onChanges, this.onError);
        } catch (error) {
          this.onError(error as Error);
        }
        if (this.closed) await root.subscription?.unsubscribe().catch(() => {});
      }
      if (!this.closed) this.onChanges([{ type: now === null ? "delete" : "create", path: root.path }]);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.timer);
    await this.checking;
    await Promise.allSettled(this.roots.map((root) => root.subscription?.unsubscribe()));
  }
}

function subscribe(
  watcher: typeof import("@parcel/watcher"),
  root: WatchedRoot,
  onChanges: (changes: FileChange[]) => void,
  onError: (error: Error) => void,
): Promise<AsyncSubscription> {
  return watcher.subscribe(
    root.path,
    (error: Error | null, events: Event[]) => {
      if (error) onError(error);
      else if (events.length > 0) {
        // The root itself deleted: its watch is gone with it, whatever folder takes its place
        // (one made at once may even get the same inode). The next check watches that one.
        if (events.some((e) => e.type === "delete" && e.path === root.path)) root.lost = true;
        onChanges(events.map((e) => ({ type: e.type, path: e.path })));
      }
    },
    { ignore: IGNORED },
  );
}

/**
 * A folder's device and inode, or null if it is not a folder now. (A folder made at once where
 * one was removed may get its inode back: the watcher's delete event for the root tells that
 * case. Birth time would too, but where the kernel gives none Node reports the change time, which
 * every new entry moves.)
 */
function identity(path: string): string | null {
  try {
    const stats = statSync(path);
    return stats.isDirectory() ? `${stats.dev}:${stats.ino}` : null;
  } catch {
    return null;
  }
}
