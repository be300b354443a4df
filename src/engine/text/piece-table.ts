/**
 * A piece table for large edited documents: the original text is never copied or changed, each
 * inserted string is kept whole in an append-only list (the "add buffer"), and the document is a
 * sequence of pieces, each a slice of one of those strings.
 *
 * The sequence is a persistent (immutable, path-copying) treap ordered by position and keyed on
 * subtree length, so an insert or delete is two splits and two merges: O(log p) expected time
 * and new nodes for p pieces, independent of the document's size. Because no node is ever
 * changed, a snapshot is the current root — O(1) to take, and later edits cannot touch it.
 *
 * Offsets and lengths are UTF-16 code units (JavaScript string indices). The table does not stop
 * an edit from splitting a surrogate pair; the caller converts positions first (see the line
 * index) when its positions come from elsewhere.
 */

interface Piece {
  /** The original text or one inserted string, referenced, never copied. */
  readonly source: string;
  readonly start: number;
  readonly length: number;
  /** Heap priority of the treap: random, so the expected depth is O(log p). */
  readonly priority: number;
  readonly left: Piece | null;
  readonly right: Piece | null;
  /** Total length of this subtree's pieces. */
  readonly size: number;
  /** Number of pieces in this subtree. */
  readonly count: number;
}

/** An immutable view of a document at one moment; later edits to the table do not change it. */
export class TextSnapshot {
  /** @internal */
  constructor(readonly root: Piece | null) {}

  /** Length in UTF-16 code units. */
  get length(): number {
    return this.root?.size ?? 0;
  }

  /** Number of pieces: a measure of fragmentation. */
  get pieceCount(): number {
    return this.root?.count ?? 0;
  }

  /**
   * The text in [start, end), clamped to the document like `String.prototype.slice` with
   * non-negative arguments. O(k + log p) for k pieces in the range.
   */
  getText(start = 0, end = this.length): string {
    const from = Math.max(0, Math.min(start, this.length));
    const to = Math.max(from, Math.min(end, this.length));
    const parts: string[] = [];
    collect(this.root, from, to, parts);
    return parts.length === 1 ? (parts[0] as string) : parts.join("");
  }

  /** The text in [start, end); the same as getText, under the name strings use. */
  slice(start: number, end: number): string {
    return this.getText(start, end);
  }

  /** The code unit at `offset`, NaN outside the document, as for strings. O(log p). */
  charCodeAt(offset: number): number {
    let tree = this.root;
    let at = offset;
    while (tree !== null) {
      const leftSize = tree.left?.size ?? 0;
      if (at < leftSize) tree = tree.left;
      else if (at < leftSize + tree.length) return tree.source.charCodeAt(tree.start + at - leftSize);
      else {
        at -= leftSize + tree.length;
        tree = tree.right;
      }
    }
    return Number.NaN;
  }
}

/** A mutable document over a piece table; see the module comment for costs and units. */
export class PieceTable {
  #root: Piece | null;
  /** xorshift32 state: deterministic priorities, so a table's shape is reproducible in tests. */
  #seed = 0x9e3779b9 | 0;

  constructor(original = "") {
    this.#root = original.length > 0 ? this.#leaf(original, 0, original.length) : null;
  }

  /** Length in UTF-16 code units. */
  get length(): number {
    return this.#root?.size ?? 0;
  }

  /** Number of pieces: a measure of fragmentation. */
  get pieceCount(): number {
    return this.#root?.count ?? 0;
  }

  /** The text in [start, end); see {@link TextSnapshot.getText}. */
  getText(start?: number, end?: number): string {
    return this.snapshot().getText(start, end);
  }

  /** Inserts `text` before the code unit at `offset` (0 ≤ offset ≤ length). */
  insert(offset: number, text: string): void {
    this.#check(offset, 0);
    if (text.length === 0) return;
    const [before, after] = this.#split(this.#root, offset);
    this.#root = this.#merge(this.#merge(before, this.#leaf(text, 0, text.length)), after);
  }

  /** Deletes `length` code units from `offset` (the range must lie within the document). */
  delete(offset: number, length: number): void {
    this.#check(offset, length);
    if (length === 0) return;
    const [before, rest] = this.#split(this.#root, offset);
    const [, after] = this.#split(rest, length);
    this.#root = this.#merge(before, after);
  }

  /** Replaces `length` code units at `offset` with `text`: one edit, as an editor sends it. */
  replace(offset: number, length: number, text: string): void {
    this.delete(offset, length);
    this.insert(offset, text);
  }

  /** The document as it is now, in O(1); it shares every piece with the table. */
  snapshot(): TextSnapshot {
    return new TextSnapshot(this.#root);
  }

  /** Makes the document what `snapshot` holds again (undo to a saved state), in O(1). */
  restore(snapshot: TextSnapshot): void {
    this.#root = snapshot.root;
  }

  #check(offset: number, length: number): void {
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0) {
      throw new RangeError(`offset and length must be non-negative integers, got ${offset} and ${length}`);
    }
    if (offset + length > this.length) {
      throw new RangeError(
        `range [${offset}, ${offset + length}) is outside the document of length ${this.length}`,
      );
    }
  }

  #leaf(source: string, start: number, length: number): Piece {
    return node(source, start, length, this.#nextPriority(), null, null);
  }

  #nextPriority(): number {
    let x = this.#seed;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.#seed = x;
    return x >>> 0;
  }

  /** [the first `at` code units, the rest], copying only the nodes on the path. */
  #split(tree: Piece | null, at: number): [Piece | null, Piece | null] {
    if (tree === null) return [null, null];
    const leftSize = tree.left?.size ?? 0;
    if (at <= leftSize) {
      const [a, b] = this.#split(tree.left, at);
      return [a, withChildren(tree, b, tree.right)];
    }
    if (at >= leftSize + tree.length) {
      const [a, b] = this.#split(tree.right, at - leftSize - tree.length);
      return [withChildren(tree, tree.left, a), b];
    }
    // The cut falls inside this piece: it becomes two pieces over the same source.
    const cut = at - leftSize;
    const head = this.#leaf(tree.source, tree.start, cut);
    const tail = this.#leaf(tree.source, tree.start + cut, tree.length - cut);
    return [this.#merge(tree.left, head), this.#merge(tail, tree.right)];
  }

  /** Concatenation of two trees (every piece of `a` before every piece of `b`). */
  #merge(a: Piece | null, b: Piece | null): Piece | null {
    if (a === null) return b;
    if (b === null) return a;
    return a.priority > b.priority
      ? withChildren(a, a.left, this.#merge(a.right, b))
      : withChildren(b, this.#merge(a, b.left), b.right);
  }
}

function node(
  source: string,
  start: number,
  length: number,
  priority: number,
  left: Piece | null,
  right: Piece | null,
): Piece {
  const size = length + (left?.size ?? 0) + (right?.size ?? 0);
  const count = 1 + (left?.count ?? 0) + (right?.count ?? 0);
  return { source, start, length, priority, left, right, size, count };
}

/** A copy of `piece` with new children: the path copy that keeps older roots intact. */
function withChildren(piece: Piece, left: Piece | null, right: Piece | null): Piece {
  if (piece.left === left && piece.right === right) return piece;
  return node(piece.source, piece.start, piece.length, piece.priority, left, right);
}

/** Pushes the slices of `tree` that fall in [from, to) (tree-relative offsets), in order. */
function collect(tree: Piece | null, from: number, to: number, parts: string[]): void {
  if (tree === null || from >= to) return;
  const leftSize = tree.left?.size ?? 0;
  if (from < leftSize) collect(tree.left, from, Math.min(to, leftSize), parts);
  const pieceFrom = Math.max(from - leftSize, 0);
  const pieceTo = Math.min(to - leftSize, tree.length);
  if (pieceFrom < pieceTo) {
    parts.push(tree.source.slice(tree.start + pieceFrom, tree.start + pieceTo));
  }
  const rightStart = leftSize + tree.length;
  if (to > rightStart) collect(tree.right, Math.max(from - rightStart, 0), to - rightStart, parts);
}
