/**
 * Fuzzy matching for file finding and symbol search, in the style of fzf and VS Code's quick
 * open: the query's characters must appear in the candidate in order (a subsequence); among all
 * ways they can be placed, the one with the best score is chosen.
 *
 * The score of one placement ({@link scorePositions}) is, per query character: a base score,
 * plus a bonus for where it lands (start of the text, after a path separator, after `_` `-` `.`
 * or a space, on a camelCase hump or the first digit), doubled for the first character; a
 * character right after the previous one instead gets the best bonus of its run so far (at least
 * a small consecutive bonus), so "foo" in "fooBar" beats "f_o_o"; a gap costs a start penalty
 * plus a smaller one per skipped character; and a match in the basename (after the last `/` or
 * `\`) gets a bonus, so "foo" prefers `bar/foo.ts` to `foo/bar.ts`, unless the query word holds
 * a `/` or `\` itself: "engine/search" is about the path, and `engine/text/substring-search.ts`
 * must not outrank the files of `engine/search/` for ending in "search".
 *
 * A query of several words (separated by white space) matches a candidate that every word
 * matches, each on its own and in any order, as in fzf and VS Code's quick open: "walker test"
 * finds `test/walker.test.ts`. Its score is the sum of the words' scores, its positions theirs
 * together; smart case is decided word by word.
 *
 * {@link fuzzyScore} returns the maximum over all placements, exactly: a dynamic programme over
 * (query character, candidate position, run bonus) — the run bonus takes one of six values, so
 * this stays O(query × candidate). Past {@link MAX_CELLS} cells (a long query against a very long
 * candidate) the leftmost placement is scored instead of the best. Positions and offsets are UTF-16 code units, like JavaScript
 * string indices. Case folding is per code unit (`toLowerCase` where it keeps one unit).
 */

/** Options for {@link fuzzyScore} and {@link rankFuzzy}. */
export interface FuzzyOptions {
  /**
   * `false` (default): case-insensitive. `true`: exact case. `"smart"`: case-sensitive only when
   * the query has an upper case letter, as in fzf, ripgrep and Vim.
   */
  caseSensitive?: boolean | "smart";
}

/** A match: its score (higher is better) and the candidate's matched positions, ascending. */
export interface FuzzyMatch {
  score: number;
  positions: number[];
}

/** A candidate kept by {@link rankFuzzy}, with its index in the input. */
export interface RankedCandidate extends FuzzyMatch {
  candidate: string;
  index: number;
}

const SCORE_MATCH = 16;
const GAP_START = -3;
const GAP_EXTENSION = -1;
const FIRST_CHAR_MULTIPLIER = 2;
const BONUS_BASENAME = 4;

/**
 * Position bonuses, as levels ordered by value so that "the best bonus of the run" is a max of
 * levels. The values are fzf's (v2), where they were tuned on real file lists.
 */
const BONUS = [0, 4, 7, 8, 9, 10] as const;
const NONE = 0;
const CONSECUTIVE = 1;
const CAMEL = 2;
const BOUNDARY = 3;
const SEPARATOR = 4;
const START = 5;
const LEVELS = BONUS.length;

/**
 * Above this many (query × window) cells the exact programme would cost more than the answer is
 * worth; the leftmost placement is scored instead. Paths and symbols are far below it.
 */
const MAX_CELLS = 1 << 16;
const UNREACHABLE = -(2 ** 30);

/**
 * The best placement of `query` in `candidate`, or null when `query` is not a subsequence of it
 * (for a query of several words: when one of them is not). An empty query, or one of white space
 * only, matches everything with score 0.
 */
export function fuzzyScore(query: string, candidate: string, options: FuzzyOptions = {}): FuzzyMatch | null {
  return scoreWords(words(query, options), candidate);
}

/** One word of a query, its code units folded if it matches without regard to case. */
interface Word {
  q: number[];
  fold: boolean;
  /** The word names a path (it holds a separator): no bonus for matching in the basename. */
  path: boolean;
}

/** The query's words, split at white space; a query that is only white space has none. */
function words(query: string, options: FuzzyOptions): Word[] {
  const out: Word[] = [];
  for (const word of query.split(/\s+/)) {
    if (word === "") continue;
    const fold = !caseSensitive(word, options);
    out.push({ q: codes(word, fold), fold, path: word.includes("/") || word.includes("\\") });
  }
  return out;
}

/** Every word's best placement in `candidate`, summed; null if one does not match. */
function scoreWords(query: readonly Word[], candidate: string): FuzzyMatch | null {
  if (query.length === 1) return scoreWord(query[0]!, candidate);
  // Every word must match: a cheap test of each first, before any is scored.
  for (const word of query) if (!isSubsequence(word, candidate)) return null;
  let score = 0;
  const positions: number[] = [];
  for (const word of query) {
    const match = scoreWord(word, candidate) as FuzzyMatch;
    score += match.score;
    positions.push(...match.positions);
  }
  positions.sort((a, b) => a - b);
  return { score, positions: positions.filter((at, i) => i === 0 || at !== positions[i - 1]) };
}

/** Whether the word's characters appear in `text` in order. */
function isSubsequence({ q, fold }: Word, text: string): boolean {
  let i = 0;
  for (let j = 0; j < text.length && i < q.length; j++) if (unit(text, j, fold) === q[i]) i++;
  return i === q.length;
}

function scoreWord({ q, fold, path }: Word, candidate: string): FuzzyMatch | null {
  const lo = firstPlacement(q, candidate, fold);
  if (lo === null) return null;
  const hi = lastPlacement(q, candidate, fold);
  const start = lo[0]!;
  const width = hi - start + 1;
  const basename = path ? candidate.length : basenameStart(candidate);
  if (q.length * width > MAX_CELLS) return { score: scorePositions(candidate, lo, path), positions: lo };
  return bestPlacement(q, candidate, fold, start, width, basename);
}

/**
 * The score of one placement: `positions` ascending, one per query character. This is the
 * function {@link fuzzyScore} maximises; it does not check that the characters match. `path`:
 * the query word holds a path separator, so the basename earns no bonus.
 */
export function scorePositions(candidate: string, positions: readonly number[], path = false): number {
  const basename = path ? candidate.length : basenameStart(candidate);
  let score = 0;
  let run = NONE;
  let previous = -2;
  positions.forEach((j, i) => {
    const level = bonusLevel(candidate, j);
    if (i === 0) {
      score += SCORE_MATCH + BONUS[level] * FIRST_CHAR_MULTIPLIER;
      run = level;
    } else if (j === previous + 1) {
      run = Math.max(run, level, CONSECUTIVE);
      score += SCORE_MATCH + BONUS[run as Level];
    } else {
      score += GAP_START + (j - previous - 2) * GAP_EXTENSION + SCORE_MATCH + BONUS[level];
      run = level;
    }
    if (j >= basename) score += BONUS_BASENAME;
    previous = j;
  });
  return score;
}

/**
 * The best `limit` matches of `query` among `candidates`, best first. Ties go to the shorter
 * candidate, then the smaller in code-unit order, then the earlier index, so the order is fully
 * determined. Memory is O(limit): a bounded min-heap holds the best so far, and a candidate that
 * is not a subsequence is rejected in one pass without scoring.
 */
export function rankFuzzy(
  query: string,
  candidates: Iterable<string>,
  limit: number,
  options: FuzzyOptions = {},
): RankedCandidate[] {
  const heap: RankedCandidate[] = [];
  if (limit <= 0) return heap;
  const prepared = words(query, options);
  let index = 0;
  for (const candidate of candidates) {
    const match = scoreWords(prepared, candidate);
    if (match !== null) {
      const ranked = { candidate, index, ...match };
      if (heap.length < limit) heapPush(heap, ranked);
      else if (better(ranked, heap[0]!)) heapReplaceTop(heap, ranked);
    }
    index++;
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : 1));
}

type Level = 0 | 1 | 2 | 3 | 4 | 5;

/**
 * The exact programme over the window of columns [start, start + width). `score[(i, j, r)]` is
 * the best score of query[0..i] with query[i] at column j and run level r; `from` packs the
 * predecessor (column × LEVELS + level) for the walk back.
 */
function bestPlacement(
  q: number[],
  candidate: string,
  fold: boolean,
  start: number,
  width: number,
  basename: number,
) {
  const m = q.length;
  const score = new Int32Array(m * width * LEVELS).fill(UNREACHABLE);
  const from = new Int32Array(m * width * LEVELS).fill(-1);
  // The best over levels of the previous row at each column, and which level gave it.
  let bestPrev = new Int32Array(width);
  let bestPrevLevel = new Int8Array(width);
  let bestRow = new Int32Array(width);
  let bestRowLevel = new Int8Array(width);
  for (let i = 0; i < m; i++) {
    bestRow.fill(UNREACHABLE);
    // Best "previous row at column k ≤ j - 2, plus the gap penalty to j", updated as j advances.
    let gap = UNREACHABLE;
    let gapFrom = -1;
    for (let c = 0; c < width; c++) {
      if (i > 0 && c >= 2) {
        const extended = gap + GAP_EXTENSION;
        const opened = bestPrev[c - 2]! + GAP_START;
        // >= prefers the nearer predecessor on a tie: compact placements read better.
        if (opened >= extended && bestPrev[c - 2]! > UNREACHABLE) {
          gap = opened;
          gapFrom = (c - 2) * LEVELS + bestPrevLevel[c - 2]!;
        } else {
          gap = extended;
        }
      }
      const j = start + c;
      if (unit(candidate, j, fold) !== q[i]) continue;
      const level = bonusLevel(candidate, j);
      const base = SCORE_MATCH + (j >= basename ? BONUS_BASENAME : 0);
      const cell = (i * width + c) * LEVELS;
      const offer = (r: number, value: number, predecessor: number): void => {
        if (value > score[cell + r]!) {
          score[cell + r] = value;
          from[cell + r] = predecessor;
        }
        if (value > bestRow[c]!) {
          bestRow[c] = value;
          bestRowLevel[c] = r;
        }
      };
      if (i === 0) {
        offer(level, base + BONUS[level] * FIRST_CHAR_MULTIPLIER, -1);
        continue;
      }
      if (c >= 1) {
        const prev = ((i - 1) * width + c - 1) * LEVELS;
        for (let r = 0; r < LEVELS; r++) {
          const before = score[prev + r]!;
          if (before === UNREACHABLE) continue;
          const run = Math.max(r, level, CONSECUTIVE) as Level;
          offer(run, before + base + BONUS[run], (c - 1) * LEVELS + r);
        }
      }
      if (gapFrom !== -1 && gap > UNREACHABLE) offer(level, gap + base + BONUS[level], gapFrom);
    }
    [bestPrev, bestRow] = [bestRow, bestPrev];
    [bestPrevLevel, bestRowLevel] = [bestRowLevel, bestPrevLevel];
  }
  let end = -1;
  for (let c = 0; c < width; c++) if (end === -1 || bestPrev[c]! > bestPrev[end]!) end = c;
  const positions = new Array<number>(m);
  let at = end * LEVELS + bestPrevLevel[end]!;
  for (let i = m - 1; i >= 0; i--) {
    const c = Math.floor(at / LEVELS);
    positions[i] = start + c;
    at = from[(i * width + c) * LEVELS + (at % LEVELS)]!;
  }
  return { score: bestPrev[end]!, positions };
}

/** Where a character at `j` lands: the bonus level of the boundary before it. */
function bonusLevel(text: string, j: number): Level {
  if (j === 0) return START;
  const prev = text.charCodeAt(j - 1);
  const cur = text.charCodeAt(j);
  if (prev === 0x2f || prev === 0x5c) return SEPARATOR;
  if (!isWord(cur)) return BOUNDARY;
  if (!isWord(prev)) return BOUNDARY;
  if (isLowerAscii(prev) && isUpperAscii(cur)) return CAMEL;
  if (!isDigit(prev) && isDigit(cur)) return CAMEL;
  return NONE;
}

function basenameStart(text: string): number {
  return Math.max(text.lastIndexOf("/"), text.lastIndexOf("\\")) + 1;
}

/** Leftmost placement (greedy), or null when `q` is not a subsequence. */
function firstPlacement(q: readonly number[], text: string, fold: boolean): number[] | null {
  const positions: number[] = [];
  for (let j = 0; j < text.length && positions.length < q.length; j++) {
    if (unit(text, j, fold) === q[positions.length]) positions.push(j);
  }
  return positions.length === q.length ? positions : null;
}

/** The rightmost column the last query character can take (greedy from the end). */
function lastPlacement(q: readonly number[], text: string, fold: boolean): number {
  let i = q.length - 1;
  let last = -1;
  for (let j = text.length - 1; j >= 0 && i >= 0; j--) {
    if (unit(text, j, fold) === q[i]) {
      if (last === -1) last = j;
      i--;
    }
  }
  return last;
}

function caseSensitive(query: string, options: FuzzyOptions): boolean {
  const mode = options.caseSensitive ?? false;
  return mode === "smart" ? query !== query.toLowerCase() : mode;
}

function codes(text: string, fold: boolean): number[] {
  return Array.from({ length: text.length }, (_, j) => unit(text, j, fold));
}

function unit(text: string, j: number, fold: boolean): number {
  const c = text.charCodeAt(j);
  if (!fold) return c;
  if (c < 0x80) return c >= 0x41 && c <= 0x5a ? c | 0x20 : c;
  const lower = String.fromCharCode(c).toLowerCase();
  return lower.length === 1 ? lower.charCodeAt(0) : c;
}

const isLowerAscii = (c: number): boolean => c >= 0x61 && c <= 0x7a;
const isUpperAscii = (c: number): boolean => c >= 0x41 && c <= 0x5a;
const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
/** Letters, digits, and everything beyond ASCII (letters of other scripts, surrogate halves). */
const isWord = (c: number): boolean => isLowerAscii(c) || isUpperAscii(c) || isDigit(c) || c >= 0x80;

/** Orders ranked candidates best first, as `rankFuzzy` does: for merging the rankings of parts. */
export function byRank(a: RankedCandidate, b: RankedCandidate): number {
  return better(a, b) ? -1 : better(b, a) ? 1 : 0;
}

function better(a: RankedCandidate, b: RankedCandidate): boolean {
  if (a.score !== b.score) return a.score > b.score;
  // Of equal scores the shorter name wins, as in editors: `config` finds src/server/config.ts
  // before test/config.test.ts; then the shorter path.
  const nameA = a.candidate.length - a.candidate.lastIndexOf("/");
  const nameB = b.candidate.length - b.candidate.lastIndexOf("/");
  if (nameA !== nameB) return nameA < nameB;
  if (a.candidate.length !== b.candidate.length) return a.candidate.length < b.candidate.length;
  if (a.candidate !== b.candidate) return a.candidate < b.candidate;
  return a.index < b.index;
}

/** Min-heap on `better`: the root is the worst kept candidate, the first to be displaced. */
function heapPush(heap: RankedCandidate[], item: RankedCandidate): void {
  let i = heap.push(item) - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!better(heap[parent]!, heap[i]!)) break;
    [heap[parent], heap[i]] = [heap[i]!, heap[parent]!];
    i = parent;
  }
}

function heapReplaceTop(heap: RankedCandidate[], item: RankedCandidate): void {
  heap[0] = item;
  let i = 0;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let worst = i;
    if (left < heap.length && better(heap[worst]!, heap[left]!)) worst = left;
    if (right < heap.length && better(heap[worst]!, heap[right]!)) worst = right;
    if (worst === i) return;
    [heap[worst], heap[i]] = [heap[i]!, heap[worst]!];
    i = worst;
  }
}
