import { spawn } from "node:child_process";
import { accessSync, constants, existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import type { CodeDiagnostic, Severity } from "./code-diagnostic.js";

export const EXTERNAL_LINTERS = ["eslint", "tsc", "ruff"] as const;
export type ExternalLinter = (typeof EXTERNAL_LINTERS)[number];

/** What running one external linter gave. */
export interface ExternalRun {
  linter: ExternalLinter;
  /**
   * ran: its output was read; missing: not installed; timeout; failed: it could not lint (see
   * note); refused: the server was not started with --allow-exec.
   */
  status: "ran" | "missing" | "timeout" | "failed" | "refused";
  note?: string;
  /** The executable run. */
  command?: string;
  diagnostics: CodeDiagnostic[];
  elapsedMs: number;
}

/** The executable of a linter: the project's `node_modules/.bin` first, then PATH. */
export function findLinter(name: string, root: string): string | undefined {
  const candidates = [join(root, "node_modules", ".bin", name)];
  for (const dir of (process.env.PATH ?? "").split(delimiter))
    if (dir && isAbsolute(dir)) candidates.push(join(dir, name));
  return candidates.find((path) => {
    try {
      accessSync(path, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * Runs one linter in `root` over `files` (absolute; the whole project when empty), without a
 * shell, killed after `timeoutMs`, and normalises its report into Rune's diagnostic shape. A
 * linter that is not installed, times out or fails is reported as such, never thrown.
 */
export async function runExternalLinter(
  linter: ExternalLinter,
  root: string,
  files: readonly string[],
  options: { timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<ExternalRun> {
  const started = performance.now();
  const done = (run: Omit<ExternalRun, "linter" | "elapsedMs">): ExternalRun => ({
    linter,
    ...run,
    elapsedMs: Math.round(performance.now() - started),
  });
  const command = findLinter(linter, root);
  if (!command) {
    return done({
      status: "missing",
      note: `${linter} is not installed (looked in ${join(root, "node_modules", ".bin")} and PATH)`,
      diagnostics: [],
    });
  }
  const args = argumentsFor(linter, root, files);
  const output = await run(command, args, root, options.timeoutMs ?? 60_000, options.signal);
  if (output.timedOut)
    return done({ status: "timeout", command, note: `${linter} did not finish in time`, diagnostics: [] });
  try {
    let diagnostics = parseOutput(linter, output.stdout, root);
    if (linter === "ruff") await inUtf16Columns(diagnostics);
    if (linter === "tsc" && files.length > 0) {
      // tsc checks the whole project it is given; keep what was asked for.
      diagnostics = diagnostics.filter((d) => files.some((f) => d.path === f || d.path.startsWith(`${f}/`)));
    }
    // A non-zero exit means "problems found" only when there are problems to read.
    if (diagnostics.length === 0 && output.code !== 0) {
      return done({ status: "failed", command, note: failure(linter, output), diagnostics: [] });
    }
    return done({ status: "ran", command, diagnostics });
  } catch (error) {
    return done({
      status: "failed",
      command,
      note: `${failure(linter, output)} (${(error as Error).message})`,
      diagnostics: [],
    });
  }
}

function argumentsFor(linter: ExternalLinter, root: string, files: readonly string[]): string[] {
  switch (linter) {
    case "eslint":
      return ["--format", "json", "--no-error-on-unmatched-pattern", ...(files.length > 0 ? files : ["."])];
    case "ruff":
      return ["check", "--output-format", "json", "--no-cache", ...(files.length > 0 ? files : ["."])];
    case "tsc":
      return existsSync(join(root, "tsconfig.json")) || files.length === 0
        ? ["--noEmit", "--pretty", "false", "-p", root]
        : ["--noEmit", "--pretty", "false", ...files];
  }
}

function failure(linter: string, output: { code: number | null; stderr: string; stdout: string }): string {
  const text = (output.stderr.trim() || output.stdout.trim()).split("\n").slice(0, 3).join(" ").slice(0, 300);
  return `${linter} exited with ${output.code}${text ? `: ${text}` : ""}`;
}

/** Parses a linter's report; throws if it is not in the expected format. */
export function parseOutput(linter: ExternalLinter, stdout: string, root: string): CodeDiagnostic[] {
  switch (linter) {
    case "eslint":
      return parseEslint(stdout);
    case "ruff":
      return parseRuff(stdout);
    case "tsc":
      return parseTsc(stdout, root);
  }
}

interface EslintFile {
  filePath: string;
  messages: {
    ruleId: string | null;
    severity: number;
    message: string;
    line?: number;
    column?: number;
    endLine?: number;
    endColumn?: number;
  }[];
}

/** eslint --format json: columns are 1-based UTF-16, as Rune's. */
function parseEslint(stdout: string): CodeDiagnostic[] {
  const files = JSON.parse(stdout) as EslintFile[];
  return files.flatMap((file) =>
    file.messages.map((m) => {
      const line = m.line ?? 1;
      const column = m.column ?? 1;
      return {
        path: file.filePath,
        range: { start: { line, column }, end: { line: m.endLine ?? line, column: m.endColumn ?? column } },
        severity: (m.severity >= 2 ? "error" : "warning") as Severity,
        ruleId: m.ruleId ?? "eslint",
        message: m.message,
        source: "eslint",
      };
    }),
  );
}

interface RuffMessage {
  code: string | null;
  message: string;
  filename: string;
  location: { row: number; column: number };
  end_location?: { row: number; column: number };
}

/**
 * ruff check --output-format json: rows and columns 1-based, columns counting characters (code
 * points); inUtf16Columns turns them into Rune's UTF-16 columns.
 */
function parseRuff(stdout: string): CodeDiagnostic[] {
  const messages = JSON.parse(stdout) as RuffMessage[];
  return messages.map((m) => ({
    path: m.filename,
    range: {
      start: { line: m.location.row, column: m.location.column },
      end: {
        line: m.end_location?.row ?? m.location.row,
        column: m.end_location?.column ?? m.location.column,
      },
    },
    // ruff has no severities; a message without a code is a syntax error.
    severity: m.code === null ? "error" : "warning",
    ruleId: m.code ?? "syntax-error",
    message: m.message,
    source: "ruff",
  }));
}

/**
 * Moves columns counted in characters to UTF-16 code units, which differ after a character outside
 * the Basic Multilingual Plane (an emoji: one character, two units). Each file is read once, and
 * only a file holding such a character has its columns changed. A file that cannot be read keeps
 * the linter's columns.
 */
async function inUtf16Columns(diagnostics: CodeDiagnostic[]): Promise<void> {
  const files = new Map<string, Promise<string[] | undefined>>();
  const linesOf = (path: string) => {
    let lines = files.get(path);
    if (!lines) {
      lines = readFile(path, "utf8").then(
        (text) => (/[\uD800-\uDBFF]/.test(text) ? text.split(/\r?\n/) : undefined),
        () => undefined,
      );
      files.set(path, lines);
    }
    return lines;
  };
  for (const diagnostic of diagnostics) {
    const lines = await linesOf(diagnostic.path);
    if (!lines) continue;
    for (const position of [diagnostic.range.start, diagnostic.range.end])
      position.column = utf16Column(lines[position.line - 1] ?? "", position.column);
  }
}

/** The 1-based UTF-16 column of the 1-based character column `column` of `line`. */
function utf16Column(line: string, column: number): number {
  let units = 0;
  let characters = 0;
  for (const character of line) {
    if (characters === column - 1) return units + 1;
    units += character.length;
    characters++;
  }
  // At or past the line's end (a range ending after its last character).
  return units + 1 + (column - 1 - characters);
}

const TSC_LINE = /^(.+?)\((\d+),(\d+)\): (error|warning|message) (TS\d+): (.*)$/;

/** `file(line,col): error TSxxxx: message`, continuation lines indented under it. */
function parseTsc(stdout: string, root: string): CodeDiagnostic[] {
  const out: CodeDiagnostic[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const match = TSC_LINE.exec(line);
    if (match) {
      const [, file, row, col, level, code, message] = match as unknown as string[];
      const start = { line: Number(row), column: Number(col) };
      out.push({
        path: resolve(root, file as string),
        range: { start, end: { ...start } },
        severity: level === "error" ? "error" : level === "warning" ? "warning" : "information",
        ruleId: code as string,
        message: message as string,
        source: "tsc",
      });
    } else if (line.startsWith("  ") && out.length > 0) {
      const last = out[out.length - 1] as CodeDiagnostic;
      last.message += `\n${line.trim()}`;
    }
  }
  return out;
}

/** A linter's report is read up to this; past it the linter is stopped. */
const MAX_REPORT_BYTES = 64 * 1024 * 1024;
/** Only the start of stderr is kept: a failure's first lines are what a note shows. */
const MAX_STDERR_BYTES = 64 * 1024;

interface Output {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

function run(
  command: string,
  args: string[],
  cwd: string,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Output> {
  return new Promise((done) => {
    // Its own process group, so that a timeout also ends what the linter started (a wrapper
    // script's node, tsc's workers), which would otherwise hold the pipes open and outlive it.
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"], detached: true });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let size = 0;
    let stderrSize = 0;
    let timedOut = false;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
      } catch {
        child.kill("SIGKILL");
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    const abort = () => kill();
    if (signal?.aborted) kill();
    else signal?.addEventListener("abort", abort, { once: true });
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      // A report over 64 MiB is not one anybody reads: stop the linter.
      if (size > MAX_REPORT_BYTES) kill();
      else stdout.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderrSize < MAX_STDERR_BYTES) stderr.push(chunk);
      stderrSize += chunk.length;
    });
    let finished = false;
    const finish = (code: number | null) => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", abort);
      done({
        code,
        stdout: Buffer.concat(stdout).toString("utf8"),
        stderr: Buffer.concat(stderr).toString("utf8"),
        timedOut,
      });
    };
    child.on("error", (error) => {
      stderr.push(Buffer.from(error.message));
      finish(null);
    });
    child.on("exit", () => {
      // Killed: a descendant that left the group may still hold the pipes; stop waiting for them.
      if (killed) {
        child.stdout.destroy();
        child.stderr.destroy();
      }
    });
    child.on("close", (code) => finish(code));
  });
}
