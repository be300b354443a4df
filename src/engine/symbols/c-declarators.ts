import type { Node } from "web-tree-sitter";

/** Node types that name what a C or C++ declarator declares. */
const NAMES = new Set([
  "identifier",
  "field_identifier",
  "type_identifier",
  "operator_name",
  "destructor_name",
  "operator_cast",
  "qualified_identifier",
  "template_function",
  "template_method",
]);
/** Declarators nest (`*names[]`, `(*fp)(int)`); past this depth a declarator is not followed. */
const MAX_DEPTH = 16;

/** What a C or C++ declarator declares. */
export interface DeclaredName {
  /** The name itself, without its scopes (`f` of `ns::Outer::f`) or template arguments. */
  name: Node;
  /** Where the name ends, when not where its node does (`operator bool` of `operator bool() const`). */
  nameEnd: number;
  /** The scopes written before it, outermost first (`ns`, `Outer` of `ns::Outer::f`). */
  scopes: Node[];
  /** A function (a prototype or a definition), not a variable of function pointer type. */
  function: boolean;
  /**
   * Surely a class's member function: its last scope is a template's (`Box<T>::get`), or it is a
   * destructor. (`Name::f` may be a namespace's function: only a template argument tells.)
   */
  member: boolean;
}

/**
 * The name a declarator declares, found under pointers, references, arrays, initialisers and
 * parentheses (`const char *names[] = {…}`, `int (*fp)(int)`): C's declarators nest without bound,
 * which a tree-sitter query cannot follow. It declares a function when the name sits directly in a
 * function declarator (`char *f(void)`); `int (*fp)(int)` is a variable.
 */
export function declaredName(declarator: Node): DeclaredName | undefined {
  let node: Node | null = declarator;
  let isFunction = false;
  for (let depth = 0; node !== null && depth < MAX_DEPTH; depth++) {
    // `EXPORT_MACRO type *f(…)` reads as `EXPORT_MACRO ::type *f(…)` with the `::` made up: the
    // scope is the return type, and the declarator goes on under the name.
    if (node.type === "qualified_identifier" && node.hasError) {
      let inner = node.childForFieldName("name");
      while (inner?.type === "qualified_identifier") inner = inner.childForFieldName("name");
      if (inner && !NAMES.has(inner.type)) {
        node = inner;
        continue;
      }
    }
    if (NAMES.has(node.type)) return withScopes(node, isFunction);
    if (node.type === "function_declarator") {
      const inner: Node | null = node.childForFieldName("declarator");
      if (inner !== null && NAMES.has(inner.type)) isFunction = true;
      node = inner;
    } else if (node.type === "parenthesized_declarator") {
      node = node.firstNamedChild;
    } else {
      // Pointer, array, init and attributed declarators name theirs; a reference declarator's is its last child.
      node = node.childForFieldName("declarator") ?? node.lastNamedChild;
    }
  }
  return undefined;
}

/** `ns::Outer::f` as the name `f` and the scopes `ns`, `Outer` (template arguments left off). */
function withScopes(name: Node, isFunction: boolean): DeclaredName | undefined {
  const scopes: Node[] = [];
  let node: Node | null = name;
  let templateScope = false;
  for (let depth = 0; node?.type === "qualified_identifier" && depth < MAX_DEPTH; depth++) {
    const scope = node.childForFieldName("scope");
    templateScope = scope?.type === "template_type";
    if (scope !== null) scopes.push(templateScope ? (scope.childForFieldName("name") ?? scope) : scope);
    node = node.childForFieldName("name");
  }
  if (node === null) return undefined;
  if (node.type === "template_function" || node.type === "template_method")
    node = node.childForFieldName("name");
  if (node === null) return undefined;
  // A conversion operator is a function; its node runs on over its parameters and qualifiers.
  if (node.type === "operator_cast") {
    const nameEnd = node.childForFieldName("type")?.endIndex ?? node.endIndex;
    return { name: node, nameEnd, scopes, function: true, member: scopes.length > 0 };
  }
  const member = isFunction && (templateScope || node.type === "destructor_name");
  return { name: node, nameEnd: node.endIndex, scopes, function: isFunction, member };
}
