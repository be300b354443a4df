import type { Node } from "web-tree-sitter";

/**
 * Node types the structural analyses (complexity, nesting, lint rules) look for, per grammar.
 * One table for every language, since the grammars mostly agree on names; where they differ the
 * table lists each spelling.
 */

/** Nodes that are a function (or method, or lambda) with a body of its own. */
export const FUNCTION_TYPES = new Set([
  // TypeScript / JavaScript
  "function_declaration",
  "function_expression",
  "function",
  "generator_function_declaration",
  "generator_function",
  "arrow_function",
  "method_definition",
  // Python, C, C++
  "function_definition",
  // Go
  "method_declaration",
  "func_literal",
  // Rust
  "function_item",
  "closure_expression",
  // Java, C#
  "constructor_declaration",
  "lambda_expression",
  "local_function_statement",
  // Ruby
  "method",
  "singleton_method",
]);

/** Nodes that name a scope functions live in (classes, modules, impls). */
export const CONTAINER_TYPES = new Set([
  "class_declaration",
  "abstract_class_declaration",
  "class",
  "class_definition",
  "interface_declaration",
  "struct_declaration",
  "struct_item",
  "impl_item",
  "trait_item",
  "mod_item",
  "module",
  "namespace_declaration",
  "enum_declaration",
  "record_declaration",
  "class_specifier",
  "struct_specifier",
  "namespace_definition",
]);

/** Decision points: each adds one path through a function (McCabe). */
export const DECISION_TYPES = new Set([
  "if_statement",
  "elif_clause",
  "if_expression",
  "if",
  "elsif",
  "unless",
  "if_modifier",
  "unless_modifier",
  "for_statement",
  "for_in_statement",
  "for_of_statement",
  "enhanced_for_statement",
  "foreach_statement",
  "for_range_loop",
  "for_expression",
  "for",
  "while_statement",
  "while_expression",
  "while",
  "while_modifier",
  "until",
  "until_modifier",
  "loop_expression",
  "do_statement",
  "switch_case",
  "case_clause",
  "switch_label",
  "switch_section",
  "expression_case",
  "type_case",
  "communication_case",
  "match_arm",
  "when",
  "case_statement",
  "catch_clause",
  "except_clause",
  "rescue",
  "ternary_expression",
  "conditional_expression",
  "conditional",
  "list_comprehension_if",
  "if_clause",
]);

/** Constructs that nest: each level inside another is one more level of depth. */
export const NESTING_TYPES = new Set([
  "if_statement",
  "if_expression",
  "if",
  "unless",
  "for_statement",
  "for_in_statement",
  "for_of_statement",
  "enhanced_for_statement",
  "foreach_statement",
  "for_range_loop",
  "for_expression",
  "for",
  "while_statement",
  "while_expression",
  "while",
  "until",
  "loop_expression",
  "do_statement",
  "switch_statement",
  "expression_switch_statement",
  "type_switch_statement",
  "select_statement",
  "match_expression",
  "match_statement",
  "case",
  "try_statement",
  "with_statement",
  "begin",
]);

const BOOLEAN_OPERATORS = new Set(["&&", "||", "??", "and", "or"]);

/** Whether a node is one decision point: a branch, a loop, a case, a handler, or `&&`/`||`/`??`. */
export function isDecision(node: Node): boolean {
  // Keywords are nodes too (an anonymous `if` token in most grammars, a named `if` node in Ruby's).
  if (!node.isNamed) return false;
  const type = node.type;
  if (DECISION_TYPES.has(type)) {
    // `default:` is no decision; an `else if` is counted by its own if_statement.
    return !(type === "switch_case" && node.childForFieldName("value") === null);
  }
  if (type === "boolean_operator") return true; // Python
  if (type === "binary_expression" || type === "binary") {
    const operator = node.childForFieldName("operator");
    return operator !== null && BOOLEAN_OPERATORS.has(operator.type);
  }
  return false;
}

/** Statements after which nothing in the same block runs. */
export const JUMP_TYPES = new Set([
  "return_statement",
  "throw_statement",
  "break_statement",
  "continue_statement",
  "raise_statement",
  "goto_statement",
  "yield_break_statement",
]);

/** Blocks whose statements run in order (for unreachable code), per language family. */
export const BLOCK_TYPES = new Set([
  "statement_block",
  "block",
  "statement_list",
  "compound_statement",
  "switch_case",
  "switch_default",
]);

/**
 * Statements reachable wherever they are written: declarations hoisted to the top of their scope,
 * and labelled statements (C's goto targets).
 */
export const HOISTED_TYPES = new Set([
  "labeled_statement",
  "function_declaration",
  "generator_function_declaration",
  "class_declaration",
  "function_definition",
  "empty_statement",
]);
