import type { Node, Query, Tree } from "web-tree-sitter";
import { nodeRange, type SourceRange } from "./code-diagnostic.js";
import { isDecision } from "./syntax-kinds.js";

/** What the structural analyses measure of one function. */
export interface FunctionMetrics {
  /** The function's own name (`<anonymous>` for an unnamed lambda). */
  name: string;
  /** The names of the classes, modules and functions around it, joined with `/`. */
  container: string;
  range: SourceRange;
  /** Lines the function spans, its first and last included. */
  lines: number;
  /** McCabe's cyclomatic complexity: 1 + its decision points, nested functions not counted. */
  complexity: number;
  /** The deepest nesting of branches, loops and try blocks inside it (0: none). */
  nesting: number;
  /** Where that deepest construct starts. */
  deepest?: SourceRange;
  parameters: number;
  parametersRange?: SourceRange;
}

const IF_TYPES = new Set(["if_statement", "if_expression", "if"]);
const ANONYMOUS = "<anonymous>";

/** An open construct while captures are read in document order: a function, a container or a nesting level. */
interface Frame {
  end: number;
  kind: "fn" | "container" | "nest";
  fn?: FunctionMetrics;
  name?: string;
}

/**
 * Every function in a tree with its size, complexity, nesting and parameter count, in document
 * order, from the grammar's metrics query (analysis-queries.ts). Captures come in document order;
 * a stack of the constructs still open at each one (by end offset) tells which function it
 * belongs to and how deep it sits, so nothing but the captured nodes is ever looked at.
 */
export function functionMetrics(tree: Tree, query: Query): FunctionMetrics[] {
  const functions: FunctionMetrics[] = [];
  const stack: Frame[] = [];
  const innermost = (): { fn: FunctionMetrics | undefined; level: number } => {
    let level = 0;
    for (let i = stack.length - 1; i >= 0; i--) {
      const frame = stack[i] as Frame;
      if (frame.kind === "fn") return { fn: frame.fn, level };
      if (frame.kind === "nest") level++;
    }
    return { fn: undefined, level };
  };
  for (const { name, node } of query.captures(tree.rootNode)) {
    const start = node.startIndex;
    while (stack.length > 0 && (stack.at(-1) as Frame).end <= start) stack.pop();
    switch (name) {
      case "fn": {
        const names = stack.flatMap((f) => (f.name === undefined ? [] : [f.name]));
        const fn = describeFunction(node, names);
        functions.push(fn);
        stack.push({ end: node.endIndex, kind: "fn", fn, name: fn.name });
        break;
      }
      case "container":
        // Python's root is a `module` too, without a name: it names nothing.
        stack.push({ end: node.endIndex, kind: "container", name: containerName(node) });
        break;
      case "bool": {
        const { fn } = innermost();
        if (fn) fn.complexity++;
        break;
      }
      case "decision": {
        const { fn } = innermost();
        if (fn && isDecision(node)) fn.complexity++;
        break;
      }
      case "nest": {
        const { fn, level } = innermost();
        if (!fn || (IF_TYPES.has(node.type) && elseIf(node.parent?.type))) break;
        stack.push({ end: node.endIndex, kind: "nest" });
        if (level + 1 > fn.nesting) {
          fn.nesting = level + 1;
          fn.deepest = nodeRange(node);
        }
        break;
      }
    }
  }
  return functions;
}

/** An `else if` continues its chain rather than nesting deeper. */
function elseIf(parentType: string | undefined): boolean {
  return parentType === "else_clause" || (parentType !== undefined && IF_TYPES.has(parentType));
}

function describeFunction(node: Node, names: readonly string[]): FunctionMetrics {
  const parameters = parameterList(node);
  let container = names.join("/");
  const receiver = goReceiver(node);
  if (receiver) container = container === "" ? receiver : `${container}/${receiver}`;
  const range = nodeRange(node);
  const fn: FunctionMetrics = {
    name: functionName(node),
    container,
    range,
    lines: range.end.line - range.start.line + 1,
    complexity: 1,
    nesting: 0,
    parameters: parameters ? countParameters(parameters) : 0,
  };
  if (parameters) fn.parametersRange = nodeRange(parameters);
  return fn;
}

function functionName(node: Node): string {
  const name = node.childForFieldName("name");
  if (name) return name.text;
  const declarator = node.childForFieldName("declarator");
  if (declarator) return declaratorName(declarator);
  const parent = node.parent;
  if (!parent) return ANONYMOUS;
  switch (parent.type) {
    case "variable_declarator":
    case "public_field_definition":
    case "field_definition":
      return (
        parent.childForFieldName("name")?.text ?? parent.childForFieldName("property")?.text ?? ANONYMOUS
      );
    case "pair":
      return parent.childForFieldName("key")?.text ?? ANONYMOUS;
    case "assignment_expression":
    case "assignment":
      return parent.childForFieldName("left")?.text ?? ANONYMOUS;
    default:
      return ANONYMOUS;
  }
}

/** A C or C++ function's name, inside its (possibly pointer or reference) declarator. */
function declaratorName(node: Node): string {
  let at: Node | null = node;
  for (let i = 0; at && i < 8; i++) {
    if (at.type.endsWith("identifier") || at.type === "operator_name" || at.type === "destructor_name")
      return at.text;
    at = at.childForFieldName("declarator") ?? at.namedChild(0);
  }
  return ANONYMOUS;
}

function containerName(node: Node): string | undefined {
  const name = node.childForFieldName("name") ?? node.childForFieldName("type");
  return name?.text;
}

/** A Go method's receiver type (`*Server` → `Server`), its natural container. */
function goReceiver(node: Node): string | undefined {
  if (node.type !== "method_declaration") return undefined;
  const receiver = node.childForFieldName("receiver");
  const declaration = receiver?.namedChildren.find((c) => c?.type === "parameter_declaration");
  const type = declaration?.childForFieldName("type");
  return type ? type.text.replace(/^\*/, "").replace(/\[.*$/, "") : undefined;
}

function parameterList(node: Node): Node | null {
  const direct = node.childForFieldName("parameters") ?? node.childForFieldName("parameter");
  if (direct) return direct;
  const declarator = node.childForFieldName("declarator");
  let at: Node | null = declarator;
  for (let i = 0; at && i < 8; i++) {
    const list = at.childForFieldName("parameters");
    if (list) return list;
    at = at.childForFieldName("declarator");
  }
  return null;
}

function countParameters(list: Node): number {
  // An arrow function's lone parameter without parentheses is the list itself.
  if (list.type === "identifier") return 1;
  let count = 0;
  let first = true;
  for (const child of list.namedChildren) {
    if (!child || child.type === "comment") continue;
    if (first && child.type === "identifier" && (child.text === "self" || child.text === "cls")) {
      first = false;
      continue; // Python's receiver is not a parameter a caller passes
    }
    first = false;
    if (child.type === "parameter_declaration" || child.type === "variadic_parameter_declaration") {
      const names = child.childrenForFieldName("name").length;
      if (names === 0 && child.text.trim() === "void") continue; // C's `(void)`
      count += Math.max(1, names);
    } else if (child.type !== "self_parameter") count++;
  }
  return count;
}
