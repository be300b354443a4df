import type { Logger } from "../protocol/logger.js";
import type { LogLevel } from "./config.js";

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** Human-readable log lines on stderr: stdout belongs to the protocol when serving stdio. */
export function stderrLogger(level: LogLevel, stream: NodeJS.WritableStream = process.stderr): Logger {
  const min = RANK[level];
  const write = (
    at: Exclude<LogLevel, "silent">,
    message: string,
    fields?: Record<string, unknown>,
  ): void => {
    if (RANK[at] < min) return;
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : "";
    stream.write(`rune ${at}: ${message}${extra}\n`);
  };
  return {
    debug: (m, f) => write("debug", m, f),
    info: (m, f) => write("info", m, f),
    warn: (m, f) => write("warn", m, f),
    error: (m, f) => write("error", m, f),
  };
}
