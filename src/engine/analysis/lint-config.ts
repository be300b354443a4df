import { join } from "node:path";
import { EngineError } from "../errors.js";
import type { PathSandbox } from "../files/path-sandbox.js";
import { readForScan } from "../files/scan-read.js";

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

/** A lint configuration is a few lines; a larger file is refused rather than parsed. */
const MAX_CONFIG_BYTES = 256 * 1024;

/**
 * `.rune/lint.json` of `root`, read through the sandbox: a link out of the workspace is refused
 * (PATH_OUTSIDE_ROOT), and so is anything but a small regular file. None there: `{}`.
 */
export function readLintConfig(root: string, sandbox: PathSandbox): LintConfig {
  const path = join(root, ".rune", "lint.json");
  let resolved: string;
  try {
    resolved = sandbox.resolveSync(path, { mustExist: true });
  } catch (error) {
    if (error instanceof EngineError && error.code === "NOT_FOUND") return {};
    throw error;
  }
  const bytes = readForScan(resolved, MAX_CONFIG_BYTES);
  if (bytes === "large")
    throw new EngineError("INVALID_ARGUMENT", `${path} is larger than ${MAX_CONFIG_BYTES} bytes`);
  if (bytes === "unreadable")
    throw new EngineError("INVALID_ARGUMENT", `${path} is not a regular file, or cannot be read`);
  if (bytes === "binary")
    throw new EngineError("INVALID_ARGUMENT", `${path} is not valid JSON: a binary file`);
  const text = bytes.toString("utf8");
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
