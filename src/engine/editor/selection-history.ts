import type { SelectionSnapshot } from "./selection-snapshot.js";

/**
 * The latest non-empty selections, newest first, at most `capacity` of them. Growing or shrinking
 * a selection from the same anchor in the same document replaces the entry rather than adding one,
 * so dragging out one selection leaves one entry, not one per cursor move.
 */
export class SelectionHistory {
  private readonly entries: SelectionSnapshot[] = [];

  constructor(readonly capacity = 50) {
    if (!Number.isSafeInteger(capacity) || capacity < 1) {
      throw new RangeError(`history capacity must be a positive integer, got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.length;
  }

  /** Records a snapshot if it selects something; returns whether it did. */
  record(snapshot: SelectionSnapshot): boolean {
    if (snapshot.isEmpty) return false;
    const latest = this.entries[0];
    if (latest && sameGesture(latest, snapshot)) this.entries[0] = snapshot;
    else {
      this.entries.unshift(snapshot);
      if (this.entries.length > this.capacity) this.entries.pop();
    }
    return true;
  }

  /** The newest entry, if any. */
  latest(): SelectionSnapshot | undefined {
    return this.entries[0];
  }

  /** Up to `limit` entries, newest first, optionally of one document only. */
  list(limit = this.capacity, uri?: string): SelectionSnapshot[] {
    const out: SelectionSnapshot[] = [];
    for (const entry of this.entries) {
      if (out.length >= limit) break;
      if (uri === undefined || entry.uri === uri) out.push(entry);
    }
    return out;
  }

  /** Forgets the entries of a document (when it is closed and its text should not linger). */
  forget(uri: string): void {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (this.entries[i]?.uri === uri) this.entries.splice(i, 1);
    }
  }
}

function sameGesture(a: SelectionSnapshot, b: SelectionSnapshot): boolean {
  const x = a.selections[0];
  const y = b.selections[0];
  return (
    a.uri === b.uri &&
    x !== undefined &&
    y !== undefined &&
    (x.mode ?? "char") === (y.mode ?? "char") &&
    x.anchor.line === y.anchor.line &&
    x.anchor.character === y.anchor.character
  );
}
