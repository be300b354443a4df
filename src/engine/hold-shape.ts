/*
 * V8 optimizes code for the hidden classes ("maps") of the objects it has seen. A map that no live
 * object has is dropped at a full garbage collection, and every optimized function that relied on
 * it is thrown away ("weak objects" under --trace-deopt) and compiled again once hot. The objects
 * a worker makes per file (a tokenizer, its blocks, a tree and its nodes, a file's stats) are all
 * gone between files, so each full collection discarded the hot path's optimized code: 70 such
 * deoptimizations in a cold two-worker index of the benchmark corpus, each followed by a compile.
 * Holding one object of each kind keeps its map alive.
 */

const held = new Map<string, object>();

/**
 * Keeps `value` alive (replacing what was held under `kind`), and with it its hidden class. Hold
 * objects that carry no user data, or little: a dummy built at load time, or file metadata.
 */
export function holdShape(kind: string, value: object): void {
  held.set(kind, value);
}
