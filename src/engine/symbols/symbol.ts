/**
 * Kinds of symbol, named after LSP's SymbolKind (in camelCase), plus `typeAlias` and `trait`,
 * which LSP folds into other kinds but readers of a symbol list want to see as what they are.
 */
export const SYMBOL_KINDS = [
  "module",
  "namespace",
  "package",
  "class",
  "interface",
  "struct",
  "trait",
  "enum",
  "enumMember",
  "typeAlias",
  "function",
  "method",
  "constructor",
  "property",
  "field",
  "variable",
  "constant",
] as const;

export type SymbolKind = (typeof SYMBOL_KINDS)[number];

/** A position: 1-based line, 1-based column in UTF-16 code units (as search reports them). */
export interface SymbolPosition {
  line: number;
  column: number;
}

/** From `start` up to, not including, `end`. */
export interface SymbolRange {
  start: SymbolPosition;
  end: SymbolPosition;
}

/** One symbol defined in a file. */
export interface DocumentSymbol {
  name: string;
  kind: SymbolKind;
  /** Names of the enclosing symbols, outermost first, joined by "/"; "" at the top level. */
  container: string;
  /** The whole definition (e.g. a class with its body). */
  range: SymbolRange;
  /** The name within the definition: where an editor puts the cursor. */
  selectionRange: SymbolRange;
}

/** The symbol's name path: its container's path and its name, e.g. `Parser/parse`. */
export function namePath(symbol: Pick<DocumentSymbol, "name" | "container">): string {
  return symbol.container === "" ? symbol.name : `${symbol.container}/${symbol.name}`;
}

/**
 * Symbols as one flat array, `PACKED_WIDTH` values each: name, kind (an index into SYMBOL_KINDS),
 * container, then the range's and the selection range's start and end lines and columns. Workers
 * send symbols this way and the cache stores them so: one array copies between threads and
 * parses from JSON far faster than seven objects a symbol.
 */
export type PackedSymbols = (string | number)[];

export const PACKED_WIDTH = 11;

const KIND_INDEX = new Map<string, number>(SYMBOL_KINDS.map((kind, i) => [kind, i]));

export function packSymbols(symbols: readonly DocumentSymbol[]): PackedSymbols {
  // Grown rather than sized up front: V8's optimized `new Array(n)` gives up on a large n (a file
  // with thousands of symbols, under --trace-deopt "out of bounds") and throws the code away.
  const out: PackedSymbols = [];
  let i = 0;
  for (const { name, kind, container, range: r, selectionRange: n } of symbols) {
    out[i++] = name;
    out[i++] = KIND_INDEX.get(kind) ?? 0;
    out[i++] = container;
    out[i++] = r.start.line;
    out[i++] = r.start.column;
    out[i++] = r.end.line;
    out[i++] = r.end.column;
    out[i++] = n.start.line;
    out[i++] = n.start.column;
    out[i++] = n.end.line;
    out[i++] = n.end.column;
  }
  return out;
}

/** The symbols of `packed`, or undefined if it is not a packed list (a damaged cache, say). */
export function unpackSymbols(packed: unknown): DocumentSymbol[] | undefined {
  if (!Array.isArray(packed) || packed.length % PACKED_WIDTH !== 0) return undefined;
  const symbols: DocumentSymbol[] = new Array(packed.length / PACKED_WIDTH);
  const p = packed as number[];
  const t = packed as string[];
  for (let i = 0, s = 0; i < packed.length; i += PACKED_WIDTH, s++) {
    symbols[s] = {
      name: String(t[i]),
      kind: SYMBOL_KINDS[p[i + 1] as number] ?? "variable",
      container: String(t[i + 2]),
      range: {
        start: { line: p[i + 3] as number, column: p[i + 4] as number },
        end: { line: p[i + 5] as number, column: p[i + 6] as number },
      },
      selectionRange: {
        start: { line: p[i + 7] as number, column: p[i + 8] as number },
        end: { line: p[i + 9] as number, column: p[i + 10] as number },
      },
    };
  }
  return symbols;
}
