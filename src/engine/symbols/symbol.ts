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
