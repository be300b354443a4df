import { readFileSync } from "node:fs";
import { join } from "node:path";
import { EngineError } from "../errors.js";

/** Rune's built-in lint rules. */
export const LINT_RULES = [
  "function-length",
  "nesting-depth",
  "parameter-count",
  "unreachable-code",
  "empty-catch",
  "duplicate-import",
  "todo-comment",
] as const;

export type LintRuleId = (typeof LINT_RULES)[number];

/**
 * Files over this are not linted (counted as large): past a megabyte a source file is generated
 * or bundled, as the symbol index also judges.
 */
export const LINT_MAX_FILE_BYTES = 1024 * 1024;

/** The limits the size rules report beyond. */
export interface LintThresholds {
  /** Lines a function may span (default 80). */
  functionLines: number;
  /** Nested branches, loops and try blocks inside one function (default 4). */
  nestingDepth: number;
  /** Parameters a function may take (default 5; Python's self and cls not counted). */
  parameters: number;
}

export const DEFAULT_THRESHOLDS: LintThresholds = { functionLines: 80, nestingDepth: 4, parameters: 5 };

/** What a worker needs to lint: the rules to run and their limits. */
export interface LintSettings {
  rules: LintRuleId[];
  thresholds: LintThresholds;
}

/**
 * A workspace's lint configuration, `.rune/lint.json` in a root:
 * `{ "thresholds": { "functionLines": 60, "nestingDepth": 3, "parameters": 4 },
 *    "disable": ["todo-comment"], "ignorePaths": ["generated/**"], "external": ["eslint"] }`.
 */
export interface LintConfig {
  thresholds?: Partial<LintThresholds>;
  disable?: string[];
  ignorePaths?: string[];
  external?: string[];
}

export function readLintConfig(root: string): LintConfig {
  const path = join(root, ".rune", "lint.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return {};
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new EngineError("INVALID_ARGUMENT", `${path} is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new EngineError("INVALID_ARGUMENT", `${path} must hold a JSON object`);
  }
  const config = data as LintConfig;
  for (const [name, value] of Object.entries(config.thresholds ?? {})) {
    if (!(name in DEFAULT_THRESHOLDS) || !Number.isInteger(value) || (value as number) < 0) {
      throw new EngineError(
        "INVALID_ARGUMENT",
        `${path}: thresholds.${name} must be one of functionLines, nestingDepth, parameters, as a whole number`,
      );
    }
  }
  return config;
}

/** Settings from the defaults, then the workspace's files, then the request (each wins over the last). */
export function lintSettings(
  configs: readonly LintConfig[],
  request: { rules?: readonly string[]; thresholds?: Partial<LintThresholds> },
): LintSettings {
  const thresholds: LintThresholds = { ...DEFAULT_THRESHOLDS };
  for (const config of configs) Object.assign(thresholds, config.thresholds);
  Object.assign(thresholds, request.thresholds);
  const disabled = new Set(configs.flatMap((c) => c.disable ?? []));
  const unknown = (request.rules ?? []).filter((r) => !(LINT_RULES as readonly string[]).includes(r));
  if (unknown.length > 0) {
    throw new EngineError(
      "INVALID_ARGUMENT",
      `unknown lint rule ${unknown.join(", ")}; rules are ${LINT_RULES.join(", ")}`,
    );
  }
  const rules = LINT_RULES.filter((id) => (request.rules ? request.rules.includes(id) : !disabled.has(id)));
  return { rules, thresholds };
}
