import { lstatSync } from "node:fs";

/**
 * What is at `path` now, without following a link: the walker follows none, so what reacts to a
 * watcher's event (an index, the import graph) must not either, or a link to a folder outside the
 * workspace would bring its files in.
 */
export function pathKind(path: string): "file" | "folder" | "link" | "missing" {
  try {
    const stats = lstatSync(path);
    return stats.isDirectory() ? "folder" : stats.isFile() ? "file" : "link";
  } catch {
    return "missing";
  }
}
