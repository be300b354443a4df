import type { Node, Tree } from "web-tree-sitter";
import type { LanguageId } from "../symbols/languages.js";
import type { AnalysisQueries } from "./analysis-queries.js";
import { type CodeDiagnostic, nodeRange, type Severity } from "./code-diagnostic.js";
import { functionMetrics } from "./function-metrics.js";
import type { LintRuleId, LintSettings } from "./lint-config.js";
import { BLOCK_TYPES, HOISTED_TYPES } from "./syntax-kinds.js";
import { markersInComment } from "./todo-comments.js";

const SOURCE = "rune-lint";

/**
 * Runs the built-in rules over one parsed file: the size rules from each function's metrics, the
 * rest over the nodes the rules query captures (jumps, handlers, imports and comments).
 */
export function lintTree(
  tree: Tree,
  language: LanguageId,
  path: string,
  settings: LintSettings,
  queries: AnalysisQueries,
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
    for (const fn of functionMetrics(tree, queries.metrics)) {
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

  if (
    !["todo-comment", "unreachable-code", "empty-catch", "duplicate-import"].some((id) =>
      on.has(id as LintRuleId),
    )
  )
    return out;
  const imports = new Map<string, number>();
  const reported = new Set<number>();
  for (const { name, node } of queries.rules.captures(tree.rootNode)) {
    if (name === "comment") {
      if (!on.has("todo-comment")) continue;
      const start = node.startPosition;
      for (const marker of markersInComment(node.text, start.row + 1, start.column + 1))
        report(
          "todo-comment",
          marker.range,
          `${marker.tag}${marker.text ? `: ${marker.text}` : ""}`,
          "information",
        );
    } else if (name === "jump") {
      if (on.has("unreachable-code")) unreachable(node, reported, report);
    } else if (name === "catch") {
      if (on.has("empty-catch")) emptyCatch(node, report);
    } else if (name === "import" && on.has("duplicate-import")) {
      duplicateImport(node, language, imports, report);
    }
  }
  return out;
}

type Report = (
  ruleId: LintRuleId,
  range: CodeDiagnostic["range"],
  message: string,
  severity?: Severity,
) => void;

/**
 * Statements after a return, throw, break or continue in the same block never run. Reported once
 * per block, from the first jump; `reported` holds the blocks already reported.
 */
function unreachable(jump: Node, reported: Set<number>, report: Report): void {
  const block = jump.parent;
  if (!block || !BLOCK_TYPES.has(block.type) || reported.has(block.id)) return;
  let first: Node | undefined;
  let last: Node | undefined;
  for (let at = jump.nextNamedSibling; at !== null; at = at.nextNamedSibling) {
    if (at.type.includes("comment") || HOISTED_TYPES.has(at.type)) continue;
    first ??= at;
    last = at;
  }
  if (!first) return;
  reported.add(block.id);
  const keyword = jump.type.replace(/_statement$/, "");
  report("unreachable-code", nodeRange(first, last), `Unreachable code after \`${keyword}\``);
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
