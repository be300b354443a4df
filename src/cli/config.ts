import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/** Everything `rune serve` can be told, from flags, environment and an optional JSON file. */
export interface ServeConfig {
  roots: string[];
  allowWrites: boolean;
  logLevel: LogLevel;
  pageSize: number;
  requestTimeoutMs: number;
  maxMessageBytes: number;
}

/** Safe defaults: the current folder, read-only, bounded messages and lists. */
export const DEFAULTS: ServeConfig = {
  roots: [],
  allowWrites: false,
  logLevel: "info",
  pageSize: 100,
  requestTimeoutMs: 120_000,
  maxMessageBytes: 4 * 1024 * 1024,
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SERVE_USAGE = `Usage: rune serve [options] [ROOT...]

Serves the given folders (default: the current folder) to one MCP client over stdio.

Options:
  --root DIR               a workspace folder to serve (repeatable; same as a positional ROOT)
  --allow-writes           enable tools that change files (off by default)
  --log-level LEVEL        debug | info | warn | error | silent (default info; logs go to stderr)
  --page-size N            items per page on every list (default 100)
  --request-timeout MS     deadline for each request (default 120000; 0 disables)
  --max-message-bytes N    largest accepted message (default 4194304)
  --config FILE            read these settings from a JSON file (flags win)
  -h, --help               show this help

Environment: RUNE_LOG_LEVEL, RUNE_ALLOW_WRITES=1, RUNE_CONFIG.`;

/** Builds the serve configuration: defaults < config file < environment < flags. */
export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig | "help" {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new ConfigError(`${(error as Error).message}\n\n${SERVE_USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) return "help";
  const config: ServeConfig = { ...DEFAULTS };
  const file = values.config ?? env.RUNE_CONFIG;
  if (file) Object.assign(config, readConfigFile(file));
  if (env.RUNE_LOG_LEVEL) config.logLevel = logLevel(env.RUNE_LOG_LEVEL);
  if (env.RUNE_ALLOW_WRITES === "1") config.allowWrites = true;
  const roots = [...(values.root ?? []), ...positionals];
  if (roots.length > 0) config.roots = roots;
  if (config.roots.length === 0) config.roots = [process.cwd()];
  if (values["allow-writes"]) config.allowWrites = true;
  if (values["log-level"]) config.logLevel = logLevel(values["log-level"]);
  if (values["page-size"]) config.pageSize = integer("--page-size", values["page-size"], 1);
  if (values["request-timeout"])
    config.requestTimeoutMs = integer("--request-timeout", values["request-timeout"], 0);
  if (values["max-message-bytes"]) {
    config.maxMessageBytes = integer("--max-message-bytes", values["max-message-bytes"], 1024);
  }
  return config;
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      root: { type: "string", multiple: true },
      "allow-writes": { type: "boolean" },
      "log-level": { type: "string" },
      "page-size": { type: "string" },
      "request-timeout": { type: "string" },
      "max-message-bytes": { type: "string" },
      config: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

function logLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError(`Unknown log level "${value}": use one of ${LOG_LEVELS.join(", ")}`);
}

function integer(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new ConfigError(`${flag} takes a whole number >= ${min}, got "${value}"`);
  return n;
}

function readConfigFile(path: string): Partial<ServeConfig> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${path}: ${(error as Error).message}`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new ConfigError(`Config file ${path} must hold a JSON object`);
  }
  const out: Partial<ServeConfig> = {};
  for (const [key, value] of Object.entries(data)) {
    switch (key) {
      case "roots":
        if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) {
          throw new ConfigError(`${path}: "roots" must be an array of paths`);
        }
        out.roots = value;
        break;
      case "allowWrites":
        if (typeof value !== "boolean") throw new ConfigError(`${path}: "allowWrites" must be true or false`);
        out.allowWrites = value;
        break;
      case "logLevel":
        out.logLevel = logLevel(String(value));
        break;
      case "pageSize":
      case "requestTimeoutMs":
      case "maxMessageBytes":
        out[key] = integer(`${path}: "${key}"`, String(value), key === "requestTimeoutMs" ? 0 : 1);
        break;
      default:
        throw new ConfigError(`${path}: unknown setting "${key}"`);
    }
  }
  return out;
}
