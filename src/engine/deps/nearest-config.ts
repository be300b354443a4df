import { dirname } from "node:path";
import type { FileProbe } from "./file-probe.js";

/**
 * The configuration that applies to a folder: the one read from the folder itself or, failing
 * that, from the nearest folder above it inside the roots (tsconfig.json, go.mod, package.json).
 * Answers are cached for every folder on the way up, until `clear`.
 */
export class NearestConfig<T> {
  private readonly byFolder = new Map<string, T | null>();

  constructor(
    private readonly probe: FileProbe,
    /** The configuration defined in `folder` itself, or null. */
    private readonly read: (folder: string) => T | null,
  ) {}

  find(folder: string): T | null {
    const cached = this.byFolder.get(folder);
    if (cached !== undefined) return cached;
    let found = this.read(folder);
    const parent = dirname(folder);
    if (found === null && parent !== folder && this.probe.inside(parent)) found = this.find(parent);
    this.byFolder.set(folder, found);
    return found;
  }

  clear(): void {
    this.byFolder.clear();
  }
}
