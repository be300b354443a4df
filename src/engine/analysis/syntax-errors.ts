import type { Node, Tree, TreeCursor } from "web-tree-sitter";
import { nodeRange, type SourceRange } from "./code-diagnostic.js";

/** One parse error: a token the parser expected and did not find, or text it could not place. */
export interface SyntaxProblem {
  kind: "missing" | "unexpected";
  range: SourceRange;
  message: string;
}

/** Offending text is quoted up to this many characters. */
const QUOTE_MAX = 40;

/**
 * The parse errors of a tree: MISSING nodes (the parser inserted a token to recover) and ERROR
 * nodes (text it skipped), outermost only, in document order, at most `max`. Only subtrees that
 * contain an error are entered, so a clean megabyte costs one look at the root.
 */
export function syntaxProblems(
  tree: Tree,
  max = Number.POSITIVE_INFINITY,
): { problems: SyntaxProblem[]; total: number } {
  const problems: SyntaxProblem[] = [];
  let total = 0;
  if (!tree.rootNode.hasError) return { problems, total };
  const cursor: TreeCursor = tree.walk();
  const visit = (): void => {
    const node = cursor.currentNode;
    if (node.isMissing) {
      total++;
      if (problems.length < max) problems.push(missing(node));
      return;
    }
    if (node.isError) {
      total++;
      if (problems.length < max) problems.push(unexpected(node));
      // Tokens the parser inserted inside the skipped text are still worth naming.
      for (const inner of missingWithin(node)) {
        total++;
        if (problems.length < max) problems.push(missing(inner));
      }
      return;
    }
    if (!node.hasError) return;
    if (cursor.gotoFirstChild()) {
      do visit();
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  try {
    visit();
  } finally {
    cursor.delete();
  }
  problems.sort(
    (a, b) => a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column,
  );
  return { problems, total };
}

function missing(node: Node): SyntaxProblem {
  const what = node.isNamed ? node.type.replaceAll("_", " ") : `\`${node.type}\``;
  const range = nodeRange(node);
  return { kind: "missing", range, message: `Missing ${what}${where(node.parent)}` };
}

function unexpected(node: Node): SyntaxProblem {
  const text = node.text;
  const firstLine = text.trimStart().split(/\r?\n/, 1)[0] ?? "";
  const quoted = firstLine.length > QUOTE_MAX ? `${firstLine.slice(0, QUOTE_MAX)}…` : firstLine;
  const message =
    quoted === ""
      ? `Unexpected end of input${where(node.parent)}`
      : `Unexpected \`${quoted}\`${where(node.parent)}`;
  return { kind: "unexpected", range: nodeRange(node), message };
}

/** ` in function_declaration `f`` for the construct around an error, when there is one to name. */
function where(parent: Node | null): string {
  if (!parent || parent.parent === null || parent.isError) return "";
  const name = parent.childForFieldName("name");
  const label = parent.type.replaceAll("_", " ");
  return name && name.text.length <= QUOTE_MAX ? ` in ${label} \`${name.text}\`` : ` in ${label}`;
}

function missingWithin(node: Node): Node[] {
  const found: Node[] = [];
  const stack = [node];
  while (stack.length > 0) {
    const at = stack.pop() as Node;
    for (const child of at.children) {
      if (!child) continue;
      if (child.isMissing) found.push(child);
      else if (child.hasError) stack.push(child);
    }
  }
  return found;
}
