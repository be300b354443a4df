import type { Node, Tree, TreeCursor } from "web-tree-sitter";
import type { LanguageId } from "../symbols/languages.js";
import { type CodeDiagnostic, nodeRange, type Severity } from "./code-diagnostic.js";
import { functionMetrics } from "./function-metrics.js";
import type { LintRuleId, LintSettings } from "./lint-config.js";
import { BLOCK_TYPES, HOISTED_TYPES, JUMP_TYPES } from "./syntax-kinds.js";
import { markersInComment } from "./todo-comments.js";

const SOURCE = "rune-lint";
const CATCH_TYPES = new Set(["catch_clause", "except_clause"]);
const IMPORT_TYPES = new Set([
  "import_statement",
  "import_from_statement",
  "import_spec",
  "import_declaration",
  "using_directive",
  "use_declaration",
]);

/**
 * Runs the built-in rules over one parsed file: the size rules from each function's metrics, the
 * rest in one cursor pass that stops only at blocks, handlers, imports and comments.
 */
export function lintTree(
  tree: Tree,
  language: LanguageId,
  path: string,
  settings: LintSettings,
): CodeDiagnostic[] {
  const on = new Set<LintRuleId>(settings.rules);
  const out: CodeDiagnostic[] = [];
  const report = (
    ruleId: LintRuleId,
    range: CodeDiagnostic["range"],
    message: string,
    severity: Severity = "warning",
  ) => out.push({ path, range, severity, ruleId, message, source: SOURCE });

  if (on.has("function-length") || on.has("nesting-depth") || on.has("parameter-count")) {
    const { functionLines, nestingDepth, parameters } = settings.thresholds;
    for (const fn of functionMetrics(tree)) {
      const name = fn.container ? `${fn.container}/${fn.name}` : fn.name;
      if (on.has("function-length") && fn.lines > functionLines)
        report(
          "function-length",
          fn.range,
          `Function \`${name}\` is ${fn.lines} lines long (max ${functionLines})`,
        );
      if (on.has("nesting-depth") && fn.nesting > nestingDepth && fn.deepest)
        report(
          "nesting-depth",
          fn.deepest,
          `Function \`${name}\` nests ${fn.nesting} levels deep (max ${nestingDepth})`,
        );
      if (on.has("parameter-count") && fn.parameters > parameters)
        report(
          "parameter-count",
          fn.parametersRange ?? fn.range,
          `Function \`${name}\` takes ${fn.parameters} parameters (max ${parameters})`,
        );
    }
  }

  const imports = new Map<string, number>();
  const visit = (cursor: TreeCursor): void => {
    const type = cursor.nodeType;
    if (cursor.nodeIsNamed) {
      if (type.includes("comment")) {
        if (on.has("todo-comment")) {
          const node = cursor.currentNode;
          const start = node.startPosition;
          for (const marker of markersInComment(node.text, start.row + 1, start.column + 1))
            report(
              "todo-comment",
              marker.range,
              `${marker.tag}${marker.text ? `: ${marker.text}` : ""}`,
              "information",
            );
        }
        return;
      }
      if (BLOCK_TYPES.has(type) && on.has("unreachable-code")) unreachable(cursor.currentNode, report);
      else if (CATCH_TYPES.has(type) && on.has("empty-catch")) emptyCatch(cursor.currentNode, report);
      else if (IMPORT_TYPES.has(type) && on.has("duplicate-import"))
        duplicateImport(cursor.currentNode, language, imports, report);
    }
    if (cursor.gotoFirstChild()) {
      do visit(cursor);
      while (cursor.gotoNextSibling());
      cursor.gotoParent();
    }
  };
  const cursor = tree.walk();
  try {
    visit(cursor);
  } finally {
    cursor.delete();
  }
  return out;
}

type Report = (
  ruleId: LintRuleId,
  range: CodeDiagnostic["range"],
  message: string,
  severity?: Severity,
) => void;

/** Statements after a return, throw, break or continue in the same block never run. */
function unreachable(block: Node, report: Report): void {
  const value = block.childForFieldName("value");
  const statements = block.namedChildren.filter(
    (c): c is Node => c !== null && !c.type.includes("comment") && c.id !== value?.id,
  );
  const jump = statements.findIndex((s) => JUMP_TYPES.has(s.type));
  if (jump === -1) return;
  const after = statements.slice(jump + 1).filter((s) => !HOISTED_TYPES.has(s.type));
  const first = after[0];
  if (!first) return;
  const keyword = (statements[jump] as Node).type.replace(/_statement$/, "");
  report("unreachable-code", nodeRange(first, after.at(-1)), `Unreachable code after \`${keyword}\``);
}

/** A handler that swallows the error without a word (a comment inside counts as a word). */
function emptyCatch(clause: Node, report: Report): void {
  const body =
    clause.childForFieldName("body") ?? clause.namedChildren.find((c) => c?.type === "block") ?? null;
  if (!body) return;
  const statements = body.namedChildren.filter((c): c is Node => c !== null);
  const empty =
    clause.type === "except_clause"
      ? statements.every((s) => s.type === "pass_statement") && !hasComment(clause)
      : statements.length === 0;
  if (empty)
    report(
      "empty-catch",
      nodeRange(clause),
      `Empty \`${clause.type === "except_clause" ? "except" : "catch"}\` block: the error is silently ignored`,
    );
}

function hasComment(node: Node): boolean {
  return node.descendantsOfType("comment").length > 0;
}

/** The same module imported twice in one file. */
function duplicateImport(node: Node, language: LanguageId, seen: Map<string, number>, report: Report): void {
  for (const key of importKeys(node, language)) {
    const line = node.startPosition.row + 1;
    const first = seen.get(key.key);
    if (first === undefined) seen.set(key.key, line);
    else
      report(
        "duplicate-import",
        nodeRange(key.node),
        `\`${key.module}\` is already imported on line ${first}`,
      );
  }
}

function importKeys(node: Node, language: LanguageId): { key: string; module: string; node: Node }[] {
  const unquote = (text: string) => text.replace(/^["'`]|["'`]$/g, "");
  switch (node.type) {
    case "import_statement": {
      const source = node.childForFieldName("source");
      if (source) {
        // `import type` and a value import of one module are two different things in TypeScript.
        const typeOnly = node.children.some((c) => c?.type === "type");
        const module = unquote(source.text);
        return [{ key: `${typeOnly ? "type " : ""}${module}`, module, node: source }];
      }
      if (language !== "python") return [];
      return node.childrenForFieldName("name").flatMap((name) => {
        const module = (name.childForFieldName("name") ?? name).text;
        return [{ key: `import ${module}`, module, node: name }];
      });
    }
    case "import_from_statement": {
      const module = node.childForFieldName("module_name");
      return module ? [{ key: `from ${module.text}`, module: module.text, node: module }] : [];
    }
    case "import_spec": {
      const path = node.childForFieldName("path");
      if (!path) return [];
      const alias = node.childForFieldName("name")?.text ?? "";
      return [{ key: `${alias} ${unquote(path.text)}`, module: unquote(path.text), node: path }];
    }
    default: {
      if (language === "go") return []; // Go's import_declaration holds import_specs, judged one by one
      // Java imports, C# using directives, Rust use declarations: the same text twice.
      const module = node.text.replace(/^(?:import|using|use|pub use)\s+|;\s*$/g, "").replace(/\s+/g, " ");
      return [{ key: `${node.type} ${module}`, module, node }];
    }
  }
}
