import type { Node, Query, Tree } from "web-tree-sitter";
import type { ShortenedText } from "./shortened-text.js";
import { type DocumentSymbol, SYMBOL_KINDS, type SymbolKind } from "./symbol.js";

const KINDS = new Set<string>(SYMBOL_KINDS);
/** Containers inside which a function is a method (`scope` is a Rust `impl`). */
const TYPE_LIKE = new Set<string>(["class", "struct", "interface", "trait", "scope"]);
const FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);
/** Longer names (a pathological generated file) are cut: a symbol list is for reading. */
const MAX_NAME = 200;

/** A definition whose range the walk is inside: the container of what follows. */
interface Open {
  end: number;
  name: string;
  kind: string;
}

interface Definition {
  node: Node;
  start: number;
  end: number;
  kind: SymbolKind | "scope";
  name: Node;
  container: string | undefined;
}

/**
 * The symbols of a parsed file, in document order, from the language's symbol query (see
 * symbol-queries.ts for its conventions). A symbol's container is the path of the definitions
 * enclosing it, found by nesting ranges, so queries need not describe every way to nest.
 *
 * `source` is the text the tree was parsed from (shortened or whole): through it, names are read
 * from the original and offsets mapped to the original's lines and columns, rather than asked of
 * the tree, where each node's text and end position is a call into WebAssembly.
 */
export function extractSymbols(tree: Tree, query: Query, source: ShortenedText): DocumentSymbol[] {
  const byNode = new Map<number, Definition>();
  const patternOf = new Map<number, number>();
  for (const match of query.matches(tree.rootNode)) {
    let node: Node | undefined;
    let kind: Definition["kind"] | undefined;
    let name: Node | undefined;
    let container: string | undefined;
    for (const capture of match.captures) {
      if (capture.name === "name") name = capture.node;
      else if (capture.name === "container")
        container = originalText(source, capture.node.startIndex, capture.node.endIndex);
      else if (capture.name === "scope" || KINDS.has(capture.name)) {
        node = capture.node;
        kind = capture.name as Definition["kind"];
      }
    }
    if (!node || !kind || !name) continue;
    // A node matched by two patterns keeps the first. Written so every match runs the same code: a
    // branch V8 first met at the first such node would throw the optimized loop away there.
    if ((patternOf.get(node.id) ?? Number.POSITIVE_INFINITY) <= match.patternIndex) continue;
    patternOf.set(node.id, match.patternIndex);
    byNode.set(node.id, {
      node,
      start: node.startIndex,
      end: node.endIndex,
      kind,
      name,
      container,
    });
  }
  const definitions = [...byNode.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const symbols: DocumentSymbol[] = [];
  const open: Open[] = [];
  for (const def of definitions) {
    while (open.length > 0 && (open.at(-1) as { end: number }).end <= def.start) open.pop();
    // From the original: a name may hold a part the parser did not see (`[f(a, b)]() {}`).
    const nameStart = source.startOf(def.name.startIndex);
    const nameEnd = source.endOf(def.name.endIndex);
    const name = clip(source.original.slice(nameStart, nameEnd));
    const parent = open.at(-1);
    if (def.kind !== "scope") {
      // Joined by hand: `open.map(...).join` met arrays of two shapes (empty and not) and sent V8
      // back to unoptimized code at every file, dozens of times per thread. One path for every
      // depth, too: a branch first taken at the first symbol two levels deep did the same.
      let container = "";
      for (let i = 0; i < open.length; i++) container += (i === 0 ? "" : "/") + (open[i] as Open).name;
      if (def.container !== undefined) {
        const explicit = def.container.replaceAll("::", "/");
        container = container === "" ? explicit : `${container}/${explicit}`;
      }
      let kind = def.kind;
      if (kind === "function" && parent && TYPE_LIKE.has(parent.kind)) kind = "method";
      else if (kind === "variable") kind = variableKind(def.node);
      else if (kind === "method" && name === "constructor" && def.node.type === "method_definition")
        kind = "constructor";
      symbols.push({
        name,
        kind,
        container,
        range: range(source.startOf(def.start), source.endOf(def.end), source),
        selectionRange: range(nameStart, nameEnd, source),
      });
    }
    open.push({ end: def.end, name, kind: def.kind });
  }
  return symbols;
}

/** `const x = 1` is a constant and `const f = () => {}` a function, as editors' outlines show them. */
function variableKind(node: Node): SymbolKind {
  if (node.type !== "variable_declarator") return "variable";
  const value = node.childForFieldName("value");
  if (value && FUNCTION_VALUES.has(value.type)) return "function";
  return node.parent?.firstChild?.type === "const" ? "constant" : "variable";
}

/** The 1-based lines and columns (UTF-16 code units) of `[start, end)`, offsets in the original. */
function range(start: number, end: number, source: ShortenedText): DocumentSymbol["range"] {
  return { start: source.position(start), end: source.position(end) };
}

/** The original text of `[start, end)` in the parsed text. */
function originalText(source: ShortenedText, start: number, end: number): string {
  return source.original.slice(source.startOf(start), source.endOf(end));
}

function clip(name: string): string {
  const line = name.includes("\n") ? name.replace(/\s+/g, " ") : name;
  return line.length > MAX_NAME ? `${line.slice(0, MAX_NAME)}…` : line;
}
