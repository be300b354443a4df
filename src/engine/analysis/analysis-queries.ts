import type { Language, Query } from "web-tree-sitter";
import {
  CONTAINER_TYPES,
  DECISION_TYPES,
  FUNCTION_TYPES,
  JUMP_TYPES,
  NESTING_TYPES,
} from "./syntax-kinds.js";

/** The compiled queries the structural analyses run over one grammar's trees. */
export interface AnalysisQueries {
  /** Captures `fn`, `container`, `decision`, `bool` (a `&&`/`||`/`??`/`and`/`or`) and `nest`. */
  metrics: Query;
  /** Captures `comment`, `jump` (return, throw, break, ...), `catch` and `import`. */
  rules: Query;
}

const BOOLEAN_PATTERNS = [
  ...["&&", "||", "??"].map((op) => `(binary_expression operator: "${op}") @bool`),
  "(boolean_operator) @bool",
  ...["and", "or", "&&", "||"].map((op) => `(binary operator: "${op}") @bool`),
];
const COMMENT_TYPES = ["comment", "line_comment", "block_comment", "doc_comment"];
const CATCH_TYPES = ["catch_clause", "except_clause"];
const IMPORT_TYPES = [
  "import_statement",
  "import_from_statement",
  "import_spec",
  "import_declaration",
  "using_directive",
  "use_declaration",
];

const compiled = new WeakMap<Language, AnalysisQueries>();
let QueryClass: typeof Query | undefined;

/**
 * The analysis queries of a grammar, compiled once per thread. A query runs inside tree-sitter
 * and hands back only the nodes it names, where walking every node with a cursor from JavaScript
 * cost more than the parse itself. The tables name node types of every grammar; each pattern is
 * kept only if this grammar knows its types, fields and tokens.
 */
export async function analysisQueries(language: Language): Promise<AnalysisQueries> {
  let queries = compiled.get(language);
  if (!queries) {
    QueryClass ??= (await import("web-tree-sitter")).Query;
    const Compile = QueryClass;
    const valid = (patterns: string[]) =>
      patterns.filter((pattern) => {
        try {
          new Compile(language, pattern).delete();
          return true;
        } catch {
          return false;
        }
      });
    const each = (types: Iterable<string>, capture: string) => [...types].map((t) => `(${t}) @${capture}`);
    const metrics = valid([
      ...each(FUNCTION_TYPES, "fn"),
      ...each(CONTAINER_TYPES, "container"),
      ...each(DECISION_TYPES, "decision"),
      ...each(NESTING_TYPES, "nest"),
      ...BOOLEAN_PATTERNS,
    ]);
    const rules = valid([
      ...each(COMMENT_TYPES, "comment"),
      ...each(JUMP_TYPES, "jump"),
      ...each(CATCH_TYPES, "catch"),
      ...each(IMPORT_TYPES, "import"),
    ]);
    queries = {
      metrics: new Compile(language, metrics.join("\n")),
      rules: new Compile(language, rules.join("\n")),
    };
    compiled.set(language, queries);
  }
  return queries;
}
