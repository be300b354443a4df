import { WU_MANBER_MIN_LENGTH, WuManber } from "./wu-manber.js";

/**
 * Multi-pattern search over bytes: an Aho-Corasick automaton compiled once into a complete DFA,
 * so the scan does one table load per haystack byte and never follows failure links. When every
 * pattern is at least four bytes long, a Wu-Manber skip scan finds where matches may start and
 * only those places are verified; the results and their order are the same either way.
 *
 * Memory: the transition table is `states × classes` Int32 entries, where `states` is at most
 * one plus the total pattern length and `classes` is one plus the number of distinct bytes the
 * patterns use (bytes no pattern uses share one class, as in Rust's aho-corasick). Fifty
 * identifiers of ten bytes take about 500 states × 40 classes × 4 bytes = 80 KB.
 */

/** Options for {@link AhoCorasick}. */
export interface AhoCorasickOptions {
  /**
   * ASCII letters match either case; other bytes, including those of multi-byte UTF-8 sequences,
   * must match exactly. Costs nothing at scan time: both cases share one byte class.
   */
  caseInsensitive?: boolean;
}

/** One occurrence of one pattern: `haystack.subarray(start, end)` equals the pattern. */
export interface PatternMatch {
  /** The index of the pattern in the list the automaton was built from. */
  pattern: number;
  /** Byte offset of the first byte. */
  start: number;
  /** Byte offset just past the last byte. */
  end: number;
}

/** Called for each match; returning `false` stops the scan. */
export type MatchVisitor = (pattern: number, start: number, end: number) => boolean | undefined;

/**
 * An automaton over a fixed list of patterns. Semantics are overlapping: every occurrence of
 * every pattern is reported, including patterns inside or overlapping others, and each of several
 * identical patterns under its own index. Matches come in order of their `end`; matches ending at
 * the same byte come longest first, identical patterns in index order. Empty patterns never match
 * (an empty match at every offset helps no caller). Use {@link leftmostLongest} for the
 * non-overlapping view a highlighter wants.
 */
export class AhoCorasick {
  /** Number of patterns the automaton was built from, empty ones included. */
  readonly patternCount: number;
  /** Number of trie states: a measure of memory, reported by benchmarks. */
  readonly stateCount: number;
  /** Number of byte classes: the width of a table row. */
  readonly classCount: number;
  readonly #classOf: Uint16Array;
  /**
   * `#table[row + class]` is the next state's row offset (`state × classCount`), or its bitwise
   * complement when that state ends at least one pattern: the scan's only branch on a match is a
   * sign test, with no second load per byte.
   */
  readonly #table: Int32Array;
  /** The first pattern ending exactly at a state, or -1. */
  readonly #output: Int32Array;
  /** The next pattern identical to this one (duplicates), or -1. */
  readonly #sameNext: Int32Array;
  /** The nearest proper suffix state that ends a pattern, or -1. */
  readonly #outputLink: Int32Array;
  readonly #lengths: Int32Array;
  /** The patterns as matched: folded when case-insensitive. */
  readonly #patterns: readonly Uint8Array[];
  readonly #maxLength: number;
  readonly #fold: boolean;
  readonly #skipScan: WuManber | null;

  constructor(patterns: readonly (Uint8Array | string)[], options: AhoCorasickOptions = {}) {
    const fold = options.caseInsensitive === true;
    const bytes = patterns.map((p) => (typeof p === "string" ? Buffer.from(p, "utf8") : p));
    this.patternCount = bytes.length;
    this.#lengths = Int32Array.from(bytes, (b) => b.length);
    this.#fold = fold;
    this.#patterns = fold ? bytes.map(foldAscii) : bytes;
    this.#maxLength = Math.max(0, ...this.#lengths);
    const present = bytes.filter((b) => b.length > 0);
    this.#skipScan =
      present.length > 0 && present.every((b) => b.length >= WU_MANBER_MIN_LENGTH)
        ? new WuManber(this.#patterns, fold)
        : null;
    this.#classOf = byteClasses(bytes, fold);
    const classes = Math.max(...this.#classOf) + 1;
    this.classCount = classes;

    // Trie. Child slots start at 0, which is never a child (the root is state 0).
    const maxStates = 1 + bytes.reduce((n, b) => n + b.length, 0);
    const table = new Int32Array(maxStates * classes);
    const output = new Int32Array(maxStates).fill(-1);
    const sameNext = new Int32Array(bytes.length).fill(-1);
    const lastSame = new Int32Array(maxStates).fill(-1);
    let states = 1;
    bytes.forEach((pattern, index) => {
      if (pattern.length === 0) return;
      let state = 0;
      for (const b of pattern) {
        const slot = state * classes + this.#classOf[b]!;
        if (table[slot] === 0) table[slot] = states++;
        state = table[slot]!;
      }
      // Appending keeps identical patterns in index order.
      if (output[state] === -1) output[state] = index;
      else sameNext[lastSame[state]!] = index;
      lastSame[state] = index;
    });

    // Breadth-first: failure links, output links, and the missing transitions filled in from the
    // failure state's row, which is complete already because it is shallower.
    const fail = new Int32Array(states);
    const outputLink = new Int32Array(states).fill(-1);
    const queue = new Int32Array(states);
    let head = 0;
    let tail = 0;
    for (let c = 0; c < classes; c++) {
      const child = table[c]!;
      if (child !== 0) queue[tail++] = child;
    }
    while (head < tail) {
      const state = queue[head++]!;
      const f = fail[state]!;
      outputLink[state] = output[f] !== -1 ? f : outputLink[f]!;
      for (let c = 0; c < classes; c++) {
        const slot = state * classes + c;
        const child = table[slot]!;
        const viaFail = table[f * classes + c]!;
        if (child === 0) {
          table[slot] = viaFail;
        } else {
          fail[child] = viaFail;
          queue[tail++] = child;
        }
      }
    }

    // Rows as offsets, complemented where the target state reports something.
    for (let slot = 0; slot < states * classes; slot++) {
      const target = table[slot]!;
      const reports = output[target] !== -1 || outputLink[target] !== -1;
      table[slot] = reports ? ~(target * classes) : target * classes;
    }
    this.stateCount = states;
    this.#table = table.slice(0, states * classes);
    this.#output = output.slice(0, states);
    this.#sameNext = sameNext;
    this.#outputLink = outputLink;
  }

  /** All matches in `haystack` (see the class for their order), at most `limit` of them. */
  findAll(haystack: Uint8Array, options: { limit?: number } = {}): PatternMatch[] {
    const limit = options.limit ?? Number.POSITIVE_INFINITY;
    const found: PatternMatch[] = [];
    if (limit <= 0) return found;
    this.forEachMatch(haystack, (pattern, start, end) => found.push({ pattern, start, end }) < limit);
    return found;
  }

  /** Whether any pattern occurs in `haystack`; stops at the first match. */
  test(haystack: Uint8Array): boolean {
    let any = false;
    this.forEachMatch(haystack, () => {
      any = true;
      return false;
    });
    return any;
  }

  /**
   * Calls `visit` for each match in order, without allocating per match. The state can be carried
   * across chunks of one stream: pass the returned state as `state` with the next chunk and the
   * number of bytes already scanned as `offset`, and matches spanning chunks are found with
   * their true offsets. Returns -1 when `visit` stopped the scan.
   */
  forEachMatch(haystack: Uint8Array, visit: MatchVisitor, state = 0, offset = 0): number {
    return this.#skipScan === null
      ? this.#runAutomaton(haystack, visit, state, offset)
      : this.#runSkipScan(this.#skipScan, haystack, visit, state, offset);
  }

  /** The DFA, byte by byte: one load per byte, a sign test for "some pattern ends here". */
  #runAutomaton(haystack: Uint8Array, visit: MatchVisitor, state: number, offset: number): number {
    const table = this.#table;
    const classOf = this.#classOf;
    const classes = this.classCount;
    let row = state * classes;
    for (let i = 0; i < haystack.length; i++) {
      const next = table[row + classOf[haystack[i]!]!]!;
      if (next >= 0) {
        row = next;
        continue;
      }
      row = ~next;
      if (!this.#report(row / classes, offset + i + 1, visit)) return -1;
    }
    return row / classes;
  }

  /**
   * The skip scan, giving the automaton's results in the automaton's order. Verified matches wait
   * in `pending` (sorted like the automaton reports) until no later candidate can end before
   * them: a candidate at window start `s` ends at `s + m` or later. A carried-in state's matches
   * that began in the previous chunk come from the automaton over the first `maxLength - 1` bytes;
   * the state handed back is the automaton's over the last `maxLength` bytes, which is the same
   * as over the whole chunk because a state never stands for more bytes than a pattern has.
   */
  #runSkipScan(
    scan: WuManber,
    haystack: Uint8Array,
    visit: MatchVisitor,
    state: number,
    offset: number,
  ): number {
    const pending: PatternMatch[] = [];
    const add = (pattern: number, start: number, end: number): void => {
      let at = pending.length;
      while (at > 0 && compareMatches(pending[at - 1]!, { pattern, start, end }) > 0) at--;
      pending.splice(at, 0, { pattern, start, end });
    };
    const flush = (before: number): boolean => {
      while (pending.length > 0 && pending[0]!.end < before) {
        const m = pending.shift()!;
        if (visit(m.pattern, m.start, m.end) === false) return false;
      }
      return true;
    };
    const ignore = (): boolean => true;
    if (state !== 0) {
      const head = haystack.subarray(0, this.#maxLength - 1);
      this.#runAutomaton(
        head,
        (p, start, end) => {
          if (start < offset) add(p, start, end);
          return true;
        },
        state,
        offset,
      );
    }
    const m = scan.windowLength;
    const completed = scan.scan(haystack, (s, candidates) => {
      if (!flush(offset + s + m)) return false;
      for (const p of candidates) {
        if (this.#occursAt(haystack, s, p)) add(p, offset + s, offset + s + this.#lengths[p]!);
      }
      return true;
    });
    if (!completed || !flush(Number.POSITIVE_INFINITY)) return -1;
    return haystack.length < this.#maxLength
      ? this.#runAutomaton(haystack, ignore, state, offset)
      : this.#runAutomaton(haystack.subarray(haystack.length - this.#maxLength), ignore, 0, 0);
  }

  #occursAt(haystack: Uint8Array, start: number, pattern: number): boolean {
    const bytes = this.#patterns[pattern]!;
    if (start + bytes.length > haystack.length) return false;
    for (let j = 0; j < bytes.length; j++) {
      const b = haystack[start + j]!;
      if ((this.#fold && b >= 0x41 && b <= 0x5a ? b | 0x20 : b) !== bytes[j]) return false;
    }
    return true;
  }

  /** Visits every pattern ending at `state`, walking output links; false when told to stop. */
  #report(state: number, end: number, visit: MatchVisitor): boolean {
    for (let s = state; s !== -1; s = this.#outputLink[s]!) {
      for (let p = this.#output[s]!; p !== -1; p = this.#sameNext[p]!) {
        if (visit(p, end - this.#lengths[p]!, end) === false) return false;
      }
    }
    return true;
  }
}

/**
 * The non-overlapping leftmost-longest subset of `matches` (as from {@link AhoCorasick.findAll}):
 * scanning left to right, the match starting first wins, the longest among those, the lowest
 * pattern index among equals; matches overlapping a chosen one are dropped. This is what a
 * highlighter or a replace-all wants; it matches what POSIX leftmost-longest alternation gives.
 */
export function leftmostLongest(matches: readonly PatternMatch[]): PatternMatch[] {
  const sorted = [...matches].sort((a, b) => a.start - b.start || b.end - a.end || a.pattern - b.pattern);
  const chosen: PatternMatch[] = [];
  let free = 0;
  for (const m of sorted) {
    if (m.start < free) continue;
    chosen.push(m);
    free = m.end;
  }
  return chosen;
}

/** The automaton's order: by end, then longest (earliest start) first, then pattern index. */
function compareMatches(a: PatternMatch, b: PatternMatch): number {
  return a.end - b.end || a.start - b.start || a.pattern - b.pattern;
}

function foldAscii(bytes: Uint8Array): Uint8Array {
  return Uint8Array.from(bytes, (b) => (b >= 0x41 && b <= 0x5a ? b | 0x20 : b));
}

/**
 * Byte → class: 0 for bytes no pattern uses, then one class per distinct byte. With `fold`,
 * patterns are matched on lowered ASCII, so both cases of a letter get the letter's class.
 */
function byteClasses(patterns: readonly Uint8Array[], fold: boolean): Uint16Array {
  const lower = (b: number): number => (fold && b >= 0x41 && b <= 0x5a ? b | 0x20 : b);
  const used = new Uint8Array(256);
  for (const pattern of patterns) for (const b of pattern) used[lower(b)] = 1;
  const classOf = new Uint16Array(256);
  let next = 1;
  for (let b = 0; b < 256; b++) if (used[b]) classOf[b] = next++;
  if (fold) for (let b = 0x41; b <= 0x5a; b++) classOf[b] = classOf[b | 0x20]!;
  return classOf;
}
