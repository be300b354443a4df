import { type Logger as Pino, pino } from "pino";
import type { Logger } from "../protocol/logger.js";
import type { LoggingLevel } from "../protocol/mcp/types.js";
import type { Redactor } from "./redact.js";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
type EventLevel = Exclude<LogLevel, "silent">;

const RANK: Record<LogLevel, number> = { debug: 20, info: 30, warn: 40, error: 50, silent: 100 };
const NAME_OF: Record<number, EventLevel> = { 20: "debug", 30: "info", 40: "warn", 50: "error" };

/** MCP's names for the same levels (RFC 5424 severities). */
const MCP_LEVEL: Record<EventLevel, LoggingLevel> = {
  debug: "debug",
  info: "info",
  warn: "warning",
  error: "error",
};

/** One log event as the recent-errors ring and the MCP bridge see it (already redacted). */
export interface LogEvent {
  time: string;
  level: EventLevel;
  msg: string;
  fields?: Record<string, unknown>;
}

export interface RuneLoggerOptions {
  level: LogLevel;
  /** Append JSON lines to this file instead of writing to stderr. */
  file?: string | undefined;
  /** "text" (one readable line per event) or "json" (pino's lines); default text on stderr, json in a file. */
  format?: "text" | "json" | undefined;
  redactor: Redactor;
  /** Where stderr output goes (tests). */
  stream?: NodeJS.WritableStream;
  /** Warnings and errors kept for debug dumps (default 100). */
  recentErrors?: number;
}

/**
 * Rune's logger: pino underneath (levels, JSON lines, a file or stderr), the protocol layer's
 * Logger interface on top, secrets removed from every message and field before anything is
 * written, a ring of recent warnings and errors for `rune debug dump`, and listeners (the MCP
 * log bridge) that see exactly the events the log output gets.
 */
export class RuneLogger implements Logger {
  readonly level: LogLevel;
  private readonly pino: Pino;
  private readonly min: number;
  private readonly recent: LogEvent[] = [];
  private readonly recentMax: number;
  private readonly listeners = new Set<(event: LogEvent, mcpLevel: LoggingLevel) => void>();
  /** Set while listeners run: a listener that logs must not loop back into itself. */
  private dispatching = false;

  constructor(private readonly options: RuneLoggerOptions) {
    this.level = options.level;
    this.min = RANK[options.level];
    this.recentMax = options.recentErrors ?? 100;
    const format = options.format ?? (options.file ? "json" : "text");
    const destination = options.file
      ? pino.destination({ dest: options.file, mkdir: true, sync: true })
      : format === "json"
        ? (options.stream ?? pino.destination({ dest: 2, sync: true }))
        : textStream(options.stream ?? process.stderr);
    this.pino = pino(
      {
        level: options.level,
        base: { pid: process.pid },
        // The last line of defence for structured fields: the Redactor has already run.
        redact: {
          paths: [
            "authorization",
            "token",
            "authToken",
            "headers.authorization",
            "*.authorization",
            "*.authToken",
          ],
          censor: "[REDACTED]",
        },
      },
      destination as NodeJS.WritableStream & { write(s: string): boolean },
    );
  }

  /** Whether events of `level` are written (callers skip building fields otherwise). */
  enabled(level: EventLevel): boolean {
    return RANK[level] >= this.min;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    if (this.min <= 20) this.write("debug", message, fields);
  }
  info(message: string, fields?: Record<string, unknown>): void {
    if (this.min <= 30) this.write("info", message, fields);
  }
  warn(message: string, fields?: Record<string, unknown>): void {
    if (this.min <= 40) this.write("warn", message, fields);
  }
  error(message: string, fields?: Record<string, unknown>): void {
    if (this.min <= 50) this.write("error", message, fields);
  }

  /** Hears every written event (redacted), with its MCP level; returns the unsubscribe function. */
  onEvent(listener: (event: LogEvent, mcpLevel: LoggingLevel) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Recent warnings and errors, oldest first. */
  recentErrors(): LogEvent[] {
    return [...this.recent];
  }

  flush(): void {
    this.pino.flush();
  }

  private write(level: EventLevel, message: string, fields: Record<string, unknown> | undefined): void {
    const redactor = this.options.redactor;
    const msg = redactor.text(message);
    const clean =
      fields && Object.keys(fields).length > 0
        ? (redactor.value(fields) as Record<string, unknown>)
        : undefined;
    if (clean) this.pino[level](clean, msg);
    else this.pino[level](msg);
    const event: LogEvent = {
      time: new Date().toISOString(),
      level,
      msg,
      ...(clean ? { fields: clean } : {}),
    };
    if (RANK[level] >= RANK.warn) {
      this.recent.push(event);
      if (this.recent.length > this.recentMax) this.recent.shift();
    }
    if (this.listeners.size === 0 || this.dispatching) return;
    this.dispatching = true;
    try {
      for (const listener of this.listeners) {
        try {
          listener(event, MCP_LEVEL[level]);
        } catch {
          // A listener that fails (a closed session, say) must not break logging or its caller.
        }
      }
    } finally {
      this.dispatching = false;
    }
  }
}

/** pino's JSON lines rendered as `rune LEVEL: message {fields}`, the form Rune has always printed. */
function textStream(out: NodeJS.WritableStream): { write(line: string): boolean } {
  return {
    write(line: string): boolean {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return out.write(line);
      }
      const { level, msg, time: _time, pid: _pid, hostname: _host, ...rest } = record;
      const name = NAME_OF[level as number] ?? String(level);
      const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : "";
      return out.write(`rune ${name}: ${String(msg)}${extra}\n`);
    },
  };
}
