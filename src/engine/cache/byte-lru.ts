/** Hit, miss and size counts of one kind of entry in a ByteLru. */
export interface CacheKindStats {
  hits: number;
  misses: number;
  evictions: number;
  entries: number;
  bytes: number;
}

export interface CacheStats {
  budgetBytes: number;
  bytes: number;
  entries: number;
  /** Times the cache was shrunk because the process's memory crossed its threshold. */
  pressureShrinks: number;
  kinds: Record<string, CacheKindStats>;
}

interface Entry {
  kind: string;
  value: unknown;
  bytes: number;
  /** The file the entry was made from, so a change to it drops the entry; "*" for any change. */
  tag: string | undefined;
  /** Called once the entry leaves the cache, however it leaves (see `set`). */
  release: ((value: unknown) => void) | undefined;
}

export interface ByteLruOptions {
  /** What all entries may hold together, in bytes (default 128 MiB). */
  budgetBytes?: number;
}

/**
 * The engine's one in-memory cache: entries of several kinds (file contents, line indexes, search
 * results...) share one byte budget and one least-recently-used order, so a burst of one kind
 * evicts the coldest entries of any kind. Sizes are the caller's estimate of retained bytes.
 * Entries carry a tag (the file they derive from) so the file watcher can drop them.
 */
export class ByteLru {
  budgetBytes: number;
  private readonly entries = new Map<string, Entry>();
  private readonly byTag = new Map<string, Set<string>>();
  private readonly stats = new Map<string, CacheKindStats>();
  private bytes = 0;
  private pressureShrinks = 0;

  constructor(options: ByteLruOptions = {}) {
    this.budgetBytes = options.budgetBytes ?? 128 * 1024 * 1024;
  }

  private kindStats(kind: string): CacheKindStats {
    let s = this.stats.get(kind);
    if (!s) {
      s = { hits: 0, misses: 0, evictions: 0, entries: 0, bytes: 0 };
      this.stats.set(kind, s);
    }
    return s;
  }

  /** The entry of `kind` under `key`, made most recent; counts a hit or a miss. */
  get<V>(kind: string, key: string): V | undefined {
    const id = `${kind}\0${key}`;
    const entry = this.entries.get(id);
    const s = this.kindStats(kind);
    if (!entry) {
      s.misses++;
      return undefined;
    }
    s.hits++;
    this.entries.delete(id);
    this.entries.set(id, entry);
    return entry.value as V;
  }

  /**
   * Stores `value` (about `bytes` bytes), evicting the least recently used entries past the
   * budget. A value larger than the whole budget is not stored. `release` runs once the entry
   * leaves (evicted, replaced, invalidated, deleted or cleared; at once if it is not stored): for
   * values holding memory the garbage collector does not see, such as WebAssembly syntax trees.
   */
  set<V>(
    kind: string,
    key: string,
    value: V,
    bytes: number,
    tag?: string,
    release?: (value: V) => void,
  ): void {
    const id = `${kind}\0${key}`;
    this.remove(id);
    if (bytes > this.budgetBytes) {
      release?.(value);
      return;
    }
    const entry: Entry = { kind, value, bytes, tag, release: release as Entry["release"] };
    this.entries.set(id, entry);
    this.bytes += bytes;
    const s = this.kindStats(kind);
    s.entries++;
    s.bytes += bytes;
    if (tag !== undefined) {
      let keys = this.byTag.get(tag);
      if (!keys) {
        keys = new Set();
        this.byTag.set(tag, keys);
      }
      keys.add(id);
    }
    this.evictTo(this.budgetBytes);
  }

  delete(kind: string, key: string): void {
    this.remove(`${kind}\0${key}`);
  }

  /** Drops every entry made from `path`, and every entry tagged "*" (valid only while nothing changes). */
  invalidate(path: string): void {
    for (const tag of [path, "*"]) {
      const keys = this.byTag.get(tag);
      if (!keys) continue;
      for (const id of [...keys]) this.remove(id);
    }
  }

  /** Evicts least recently used entries until at most `bytes` are held. */
  shrinkTo(bytes: number, pressure = false): void {
    if (pressure) this.pressureShrinks++;
    this.evictTo(bytes);
  }

  clear(): void {
    for (const id of [...this.entries.keys()]) this.remove(id);
  }

  get size(): number {
    return this.bytes;
  }

  snapshot(): CacheStats {
    const kinds: Record<string, CacheKindStats> = {};
    for (const [kind, s] of this.stats) kinds[kind] = { ...s };
    return {
      budgetBytes: this.budgetBytes,
      bytes: this.bytes,
      entries: this.entries.size,
      pressureShrinks: this.pressureShrinks,
      kinds,
    };
  }

  private evictTo(limit: number): void {
    for (const [id, entry] of this.entries) {
      if (this.bytes <= limit) break;
      this.remove(id);
      this.kindStats(entry.kind).evictions++;
    }
  }

  private remove(id: string): void {
    const entry = this.entries.get(id);
    if (!entry) return;
    this.entries.delete(id);
    this.bytes -= entry.bytes;
    const s = this.kindStats(entry.kind);
    s.entries--;
    s.bytes -= entry.bytes;
    if (entry.tag !== undefined) {
      const keys = this.byTag.get(entry.tag);
      keys?.delete(id);
      if (keys?.size === 0) this.byTag.delete(entry.tag);
    }
    entry.release?.(entry.value);
  }

  /** Whether an entry of `kind` is held under `key`; counts nothing and moves nothing. */
  has(kind: string, key: string): boolean {
    return this.entries.has(`${kind}\0${key}`);
  }
}
