import { isAscii } from "node:buffer";
import { basename, extname } from "node:path";
import { readForScan } from "../files/scan-read.js";
import { AhoCorasick } from "../text/aho-corasick.js";
import { LineStarts } from "../text/line-starts.js";
import { unitsBetween } from "../text/utf8.js";
import {
  entropy,
  isPlaceholder,
  SECURITY_RULES,
  type SecurityRule,
  type Severity,
} from "./security-rules.js";

/** One worker task: scan a batch of files with the enabled rules. */
export interface SecurityTask {
  files: string[];
  /** Rule ids to run (all when absent). */
  rules?: string[];
  maxFileBytes: number;
}

/** A finding; lines are 1-based, columns 1-based in UTF-16 code units, the end exclusive. */
export interface Finding {
  ruleId: string;
  severity: Severity;
  path: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  /** The line, with any secret value masked. */
  snippet: string;
}

export interface SecurityTaskResult {
  findings: Finding[];
  scanned: number;
  bytes: number;
  skippedBinary: number;
  skippedLarge: number;
}

interface Compiled {
  key: string;
  rules: { rule: SecurityRule; regex: RegExp }[];
  prefilter: AhoCorasick;
  /** For each prefilter literal, the rules it admits. */
  owners: number[][];
}

let compiled: Compiled | undefined;

function compile(ids: string[] | undefined): Compiled {
  const key = ids?.join(",") ?? "*";
  if (compiled?.key === key) return compiled;
  const rules = SECURITY_RULES.filter((r) => !ids || ids.includes(r.id)).map((rule) => ({
    rule,
    // d: match indices, for the `hit` group's position.
    regex: new RegExp(rule.pattern, `gd${rule.ignoreCase ? "i" : ""}`),
  }));
  const literals: string[] = [];
  const owners: number[][] = [];
  rules.forEach(({ rule }, index) => {
    for (const literal of rule.literals) {
      literals.push(literal);
      owners.push([index]);
    }
  });
  compiled = { key, rules, prefilter: new AhoCorasick(literals, { caseInsensitive: true }), owners };
  return compiled;
}

/** Files named like dotenv files hold secrets by convention; examples and templates do not. */
const DOTENV = /^\.env(?:\.(?!example$|sample$|template$|dist$|defaults$)[\w.-]+)?$/;
const SUPPRESS = /rune-ignore(?:\[([\w/,\s-]+)\])?/;

/**
 * Runs in a worker thread. One pass of a multi-pattern automaton over each file finds which rules'
 * literals occur at all; only those rules' expressions run, over the decoded text. Most files
 * contain none and cost one memchr-like scan.
 */
export function scanFiles(task: SecurityTask): SecurityTaskResult {
  const { rules, prefilter, owners } = compile(task.rules);
  const result: SecurityTaskResult = {
    findings: [],
    scanned: 0,
    bytes: 0,
    skippedBinary: 0,
    skippedLarge: 0,
  };
  const wanted = new Set<number>();
  for (const path of task.files) {
    const bytes = readForScan(path, task.maxFileBytes, true);
    if (bytes === "unreadable") continue;
    if (bytes === "large") {
      result.skippedLarge++;
      continue;
    }
    result.scanned++;
    if (bytes === "binary") {
      result.skippedBinary++;
      continue;
    }
    result.bytes += bytes.length;
    if (DOTENV.test(basename(path)) && (!task.rules || task.rules.includes("secret/dotenv-file"))) {
      const finding = dotenvFinding(path, bytes);
      if (finding) result.findings.push(finding);
    }
    wanted.clear();
    prefilter.forEachMatch(bytes, (pattern) => {
      for (const owner of owners[pattern] as number[]) wanted.add(owner);
      return wanted.size < rules.length;
    });
    if (wanted.size === 0) continue;
    const extension = extname(path).toLowerCase();
    const ascii = isAscii(bytes);
    const text = bytes.toString(ascii ? "latin1" : "utf8");
    let lines: LineStarts | undefined;
    for (const index of [...wanted].sort((a, b) => a - b)) {
      const { rule, regex } = rules[index] as Compiled["rules"][number];
      if (rule.extensions && !rule.extensions.includes(extension)) continue;
      regex.lastIndex = 0;
      for (let match = regex.exec(text); match !== null; match = regex.exec(text)) {
        if (match[0] === "") {
          regex.lastIndex++;
          continue;
        }
        const value = rule.valueGroup !== undefined ? match[rule.valueGroup] : undefined;
        if (
          value !== undefined &&
          ((rule.minEntropy && entropy(value) < rule.minEntropy) || isPlaceholder(value))
        ) {
          continue;
        }
        lines ??= LineStarts.of(bytes);
        const [at, end] = match.indices?.groups?.hit ?? [match.index, match.index + match[0].length];
        const finding = locate(bytes, text, ascii, lines, rule, path, at, end - at, value);
        if (finding) result.findings.push(finding);
      }
    }
  }
  return result;
}

/** Builds the finding at string index `at`, unless a comment suppresses it or the line is safe. */
function locate(
  bytes: Buffer,
  text: string,
  ascii: boolean,
  lines: LineStarts,
  rule: SecurityRule,
  path: string,
  at: number,
  length: number,
  secret: string | undefined,
): Finding | null {
  // In ASCII text string indices are byte offsets; otherwise they are counted (rarely needed).
  const byteAt = ascii ? at : Buffer.byteLength(text.slice(0, at));
  const byteEnd = ascii ? at + length : byteAt + Buffer.byteLength(text.slice(at, at + length));
  const line = lines.lineAt(byteAt);
  const start = lines.start(line);
  const lineText = bytes.toString("utf8", start, lines.contentEnd(line, bytes));
  if (rule.unless?.test(lineText)) return null;
  const previous =
    line > 0 ? bytes.toString("utf8", lines.start(line - 1), lines.contentEnd(line - 1, bytes)) : "";
  if (suppressed(lineText, rule.id) || suppressedAbove(previous, rule.id)) return null;
  const endLine = lines.lineAt(Math.max(byteAt, byteEnd - 1));
  const mask = rule.category === "secret" ? (secret ?? text.slice(at, at + length)) : undefined;
  return {
    ruleId: rule.id,
    severity: rule.severity,
    path,
    line: line + 1,
    column: unitsBetween(bytes, start, byteAt, "utf-16") + 1,
    endLine: endLine + 1,
    endColumn: unitsBetween(bytes, lines.start(endLine), byteEnd, "utf-16") + 1,
    message: rule.message,
    snippet: redact(lineText.length > 300 ? `${lineText.slice(0, 300)}…` : lineText, mask),
  };
}

/** `rune-ignore` on the line, or `rune-ignore[rule/id, ...]` naming this rule. */
function suppressed(line: string, id: string): boolean {
  const match = SUPPRESS.exec(line);
  if (!match) return false;
  return match[1] === undefined || match[1].split(",").some((named) => named.trim() === id);
}

/** A comment line just above that says `rune-ignore-next-line` suppresses the same way. */
function suppressedAbove(line: string, id: string): boolean {
  return (
    line.includes("rune-ignore-next-line") &&
    suppressed(line.replace("rune-ignore-next-line", "rune-ignore"), id)
  );
}

/** Never echo a secret: keep its first four characters. */
function redact(line: string, secret: string | undefined): string {
  if (!secret || secret.length < 8) return line;
  return line.split(secret).join(`${secret.slice(0, 4)}${"*".repeat(Math.min(16, secret.length - 4))}`);
}

function dotenvFinding(path: string, bytes: Buffer): Finding | null {
  const text = bytes.toString("utf8");
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][\w.-]*)\s*=\s*(.*)$/.exec(lines[i] as string);
    const value = match?.[2]?.trim().replace(/^["']|["']$/g, "") ?? "";
    if (!match || value === "" || isPlaceholder(value)) continue;
    return {
      ruleId: "secret/dotenv-file",
      severity: "error",
      path,
      line: i + 1,
      column: 1,
      endLine: i + 1,
      endColumn: (lines[i] as string).length + 1,
      message: "A dotenv file with values is in the workspace (it usually holds secrets)",
      snippet: `${match[1]}=${value.slice(0, 2)}${"*".repeat(8)}`,
    };
  }
  return null;
}
