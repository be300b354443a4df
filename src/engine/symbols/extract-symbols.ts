import type { Node, Query, Tree } from "web-tree-sitter";
import { declaredName } from "./c-declarators.js";
import type { ShortenedText } from "./shortened-text.js";
import { type DocumentSymbol, SYMBOL_KINDS, type SymbolKind } from "./symbol.js";

/**
 * Kinds a pattern may capture: a symbol kind; `scope`; or, with a C `@declarator`, `declaration`
 * (a function or a variable, by the declarator) and `member` (a method or a field). A declaration
 * found to be macro noise becomes `skip`: its name is claimed, and no symbol.
 */
const KINDS = new Set<string>([...SYMBOL_KINDS, "scope", "declaration", "member"]);
/** Containers inside which a function is a method (`scope` is a Rust `impl`). */
const TYPE_LIKE = new Set<string>(["class", "struct", "interface", "trait", "scope"]);
const FUNCTION_VALUES = new Set(["arrow_function", "function_expression", "function", "generator_function"]);
/** Reserved upper-case names: the implementation's macros, which a parser without a preprocessor sees as names. */
const RESERVED_MACRO = /^__[A-Z]/;
/** What a C declaration's symbol may sit in; inside anything else (a function, a lambda's variable) it is a local. */
const DECLARATION_SCOPES = new Set<string>([
  "namespace",
  "class",
  "struct",
  "interface",
  "trait",
  "enum",
  "module",
  "scope",
]);
/**
 * C's keywords (C23's `bool`, `true`, `false` and `nullptr` too), which no declaration names in C
 * or C++: a parser without a preprocessor reads an export macro's call (`NCURSES_EXPORT(void)
 * f(…)`) or a bare macro line (`__BEGIN_DECLS`) as a type and takes the keyword that follows for
 * the declared name. C++'s own keywords are not here: `class`, `private`, `new` and `this` name
 * fields in C headers, which are read as C++.
 */
const C_KEYWORDS = new Set(
  (
    "auto break case char const continue default do double else enum extern float for goto if " +
    "inline int long register restrict return short signed sizeof static struct switch typedef " +
    "union unsigned void volatile while _Bool bool true false nullptr"
  ).split(" "),
);
/** Longer names (a pathological generated file) are cut: a symbol list is for reading. */
const MAX_NAME = 200;

/** A definition whose range the walk is inside: the container of what follows. */
interface Open {
  start: number;
  end: number;
  name: string;
  /** The name as container path segments: C++'s `namespace a::b` contains `a/b/…`, as `a::b::f` does. */
  segments: string;
  kind: string;
}

interface Definition {
  node: Node;
  start: number;
  end: number;
  kind: SymbolKind | "scope" | "skip";
  name: Node;
  /** Where the name ends in the parsed text when not at its node's end (a C++ conversion operator), else -1. */
  nameEnd: number;
  container: string | undefined;
  /** Found by a C declaration pattern, which also matches inside function bodies: locals are dropped. */
  declared: boolean;
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
  // Keyed by the name's node: one declaration may define several names (`int a, b;`, Go's
  // `X, Y int`), each a symbol with the declaration's range.
  const byName = new Map<number, Definition>();
  const patternOf = new Map<number, number>();
  for (const match of query.matches(tree.rootNode)) {
    let node: Node | undefined;
    let kind: string | undefined;
    let name: Node | undefined;
    let container: string | undefined;
    let declarator: Node | undefined;
    let reservedType = false;
    for (const capture of match.captures) {
      if (capture.name === "name") name = capture.node;
      else if (capture.name === "container")
        container = originalText(source, capture.node.startIndex, capture.node.endIndex);
      else if (capture.name === "declarator") declarator = capture.node;
      else if (capture.name === "reserved") reservedType = true;
      else if (KINDS.has(capture.name)) {
        node = capture.node;
        kind = capture.name;
      }
    }
    const declared = declarator !== undefined;
    let nameEnd = -1;
    if (declarator !== undefined) {
      const found = declaredName(declarator);
      if (found === undefined) {
        // Past what declaredName follows: a definition still opens (its locals stay inside it).
        if (kind !== "function") continue;
        name = declarator;
      } else {
        name = found.name;
        nameEnd = found.nameEnd;
        if (found.scopes.length > 0) {
          // A keyword is no scope: `EXPORT void ns::C::f()` reads as `void::…` after a macro.
          const scopes = found.scopes
            .map((scope) => originalText(source, scope.startIndex, scope.endIndex))
            .filter((scope) => !C_KEYWORDS.has(scope));
          if (scopes.length > 0) container = scopes.join("::");
        }
        // Macros a parser without a preprocessor reads as declarations: glibc's `__THROW __wur;`
        // and `__REDIRECT (name, …)`. Reserved names only: a real `__u32 crc32(…)` stays.
        const text = originalText(source, found.name.startIndex, found.nameEnd);
        if (kind === "declaration") {
          if (RESERVED_MACRO.test(text) || (reservedType && text.startsWith("__"))) kind = "skip";
        }
        if (C_KEYWORDS.has(text)) kind = "skip";
        if (kind === "declaration") kind = found.function ? "function" : "variable";
        else if (kind === "member") kind = found.function ? "method" : "field";
        // A definition out of line under a template's scope, or a destructor, is a class's method.
        if (kind === "function" && found.member) kind = "method";
      }
    }
    if (!node || !kind || !name) continue;
    // A name matched by two patterns keeps the first. Written so every match runs the same code: a
    // branch V8 first met at the first such node would throw the optimized loop away there.
    if ((patternOf.get(name.id) ?? Number.POSITIVE_INFINITY) <= match.patternIndex) continue;
    patternOf.set(name.id, match.patternIndex);
    byName.set(name.id, {
      node,
      start: node.startIndex,
      end: node.endIndex,
      kind: kind as Definition["kind"],
      name,
      nameEnd,
      container,
      declared,
    });
  }
  const definitions = [...byName.values()].sort((a, b) => a.start - b.start || b.end - a.end);
  const symbols: DocumentSymbol[] = [];
  const open: Open[] = [];
  for (const def of definitions) {
    // Closed definitions, and one with this one's very range: a sibling name of one declaration.
    for (
      let top = open.at(-1);
      top !== undefined && (top.end <= def.start || (top.start === def.start && top.end === def.end));
      top = open.at(-1)
    )
      open.pop();
    // From the original: a name may hold a part the parser did not see (`[f(a, b)]() {}`).
    const nameStart = source.startOf(def.name.startIndex);
    const nameEnd = source.endOf(def.nameEnd >= 0 ? def.nameEnd : def.name.endIndex);
    const name = clip(source.original.slice(nameStart, nameEnd));
    // A name the parser made up to recover from an error (zero width) names nothing.
    if (name === "") continue;
    const parent = open.at(-1);
    // Not a symbol, nor a container: a skipped name, or a declaration inside a function body (a local).
    if (def.kind === "skip") {
      // A body under a name that is noise still holds locals: it stays a function around them.
      if (def.node.type === "function_definition")
        open.push({ start: def.start, end: def.end, name: "", segments: "", kind: "function" });
      continue;
    }
    // (A lambda's or a statement expression's locals sit in a variable; a function's in the function.)
    if (def.declared && parent !== undefined && !DECLARATION_SCOPES.has(parent.kind)) continue;
    // A field straight inside a function is one of an anonymous local type's (Go's `struct{ a int }{1}`).
    if (
      def.kind === "field" &&
      parent !== undefined &&
      (parent.kind === "function" || parent.kind === "method")
    )
      continue;
    if (def.kind !== "scope") {
      // Joined by hand: `open.map(...).join` met arrays of two shapes (empty and not) and sent V8
      // back to unoptimized code at every file, dozens of times per thread. One path for every
      // depth, too: a branch first taken at the first symbol two levels deep did the same.
      let container = "";
      for (let i = 0; i < open.length; i++) container += (i === 0 ? "" : "/") + (open[i] as Open).segments;
      if (def.container !== undefined) {
        const explicit = def.container.replaceAll("::", "/");
        container = container === "" ? explicit : `${container}/${explicit}`;
      }
      let kind = def.kind;
      // A C or C++ declaration is a member only inside a class, struct or union, or defined out
      // of line under its class: a prototype outside one (its type a macro's call the parser
      // misread) is a function or a variable.
      if (def.declared) {
        const inType = parent !== undefined && (parent.kind === "class" || parent.kind === "struct");
        if (kind === "method" && !inType && def.container === undefined) kind = "function";
        else if (kind === "field" && !inType && !inTypeBody(def.node)) kind = "variable";
        else if (kind === "variable" && inType) kind = "field";
      }
      if (kind === "function" && parent && TYPE_LIKE.has(parent.kind)) kind = "method";
      else if (kind === "variable") kind = variableKind(def.node);
      else if (kind === "method" && name === "constructor" && def.node.type.startsWith("method_"))
        kind = "constructor";
      // C++: a member function named after its class (declared in it, or defined as `Class::Class`).
      if (
        def.declared &&
        (kind === "method" || kind === "function") &&
        name === classOf(parent, def.container)
      )
        kind = "constructor";
      symbols.push({
        name,
        kind,
        container,
        range: range(source.startOf(def.start), withoutBreak(source.original, source.endOf(def.end)), source),
        selectionRange: range(nameStart, nameEnd, source),
      });
    }
    const segments = name.includes("::") ? name.replaceAll("::", "/") : name;
    open.push({ start: def.start, end: def.end, name, segments, kind: def.kind });
  }
  return symbols;
}

/**
 * Whether a C declaration sits in a struct's, union's or class's body: an anonymous one's
 * (`struct { int a; } v;`), whose members have no type around them in the outline.
 */
function inTypeBody(node: Node): boolean {
  const body = node.parent;
  return body?.type === "field_declaration_list" && body.parent !== null && TYPE_BODIES.has(body.parent.type);
}

const TYPE_BODIES = new Set(["struct_specifier", "union_specifier", "class_specifier"]);

/** `const x = 1` is a constant and `const f = () => {}` a function, as editors' outlines show them. */
function variableKind(node: Node): SymbolKind {
  if (node.type !== "variable_declarator") return "variable";
  const value = node.childForFieldName("value");
  if (value && FUNCTION_VALUES.has(value.type)) return "function";
  return node.parent?.firstChild?.type === "const" ? "constant" : "variable";
}

/** The class a C++ member function belongs to: its explicit scope's last part, else the class around it. */
function classOf(parent: Open | undefined, explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return explicit.split("::").at(-1);
  return parent !== undefined && (parent.kind === "class" || parent.kind === "struct")
    ? parent.name
    : undefined;
}

/** `end`, moved before the line break a node may end with (a C macro's takes the line's break). */
function withoutBreak(text: string, end: number): number {
  if (text.charCodeAt(end - 1) === 10) end--;
  if (text.charCodeAt(end - 1) === 13) end--;
  return end;
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
