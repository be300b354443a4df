import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";

export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";
const LOG_LEVELS: readonly LogLevel[] = ["debug", "info", "warn", "error", "silent"];

/** Everything `rune serve` can be told, from flags, environment and an optional JSON file. */
export interface ServeConfig {
  roots: string[];
  allowWrites: boolean;
  /** Let lint_analysis run the project's own linters (eslint, tsc, ruff): workspace code runs. */
  allowExec: boolean;
  /** Watch the roots for changes (cache invalidation, resource subscriptions). */
  watch: boolean;
  /** Worker threads for search and parsing; 0 means one per core. */
  workers: number;
  /** Serve MCP over stdio (the default when no other transport is asked for). */
  stdio: boolean;
  /** Serve Streamable HTTP on this port (0: any free port); undefined: no HTTP. */
  httpPort: number | undefined;
  httpHost: string;
  /** Serve the Claude Code IDE WebSocket endpoint and write its lock file. */
  ide: boolean;
  /** Attach to the Neovim listening on this address (`nvim --listen`); undefined: headless. */
  nvim: string | undefined;
  /** Bearer token for HTTP; generated at start when undefined (unless auth is off). */
  token: string | undefined;
  auth: boolean;
  /** OAuth authorization servers announced in protected-resource metadata (RFC 9728). */
  authServers: string[];
  /** Answer HTTP requests with JSON instead of SSE when no progress was asked for. */
  jsonResponse: boolean;
  logLevel: LogLevel;
  /** Write logs (JSON lines) to this file instead of stderr. */
  logFile: string | undefined;
  /** "text" or "json"; undefined: text on stderr, JSON in a log file. */
  logFormat: "text" | "json" | undefined;
  /** Metrics, request logs and the dashboard's history (on by default; off only to measure their cost). */
  metrics: boolean;
  /** Folder for persistent caches (the symbol index's); undefined: $XDG_CACHE_HOME/rune or the temp folder. */
  cacheDir: string | undefined;
  /** Byte budget of the in-memory cache. */
  cacheBytes: number;
  /** Offer permessage-deflate on the IDE WebSocket. */
  wsDeflate: boolean;
  /** Build the symbol index at start (readiness then waits for it) instead of on first use. */
  warmIndex: boolean;
  /** Compress HTTP JSON answers from this many bytes (false: never). */
  compressMinBytes: number | false;
  pageSize: number;
  requestTimeoutMs: number;
  maxMessageBytes: number;
}

/** Safe defaults: the current folder, read-only, bounded messages and lists. */
export const DEFAULTS: ServeConfig = {
  roots: [],
  allowWrites: false,
  allowExec: false,
  watch: true,
  workers: 0,
  stdio: true,
  httpPort: undefined,
  httpHost: "127.0.0.1",
  ide: false,
  nvim: undefined,
  token: undefined,
  auth: true,
  authServers: [],
  jsonResponse: false,
  logLevel: "info",
  logFile: undefined,
  logFormat: undefined,
  metrics: true,
  cacheDir: undefined,
  cacheBytes: 128 * 1024 * 1024,
  wsDeflate: false,
  warmIndex: false,
  compressMinBytes: 1024,
  pageSize: 100,
  requestTimeoutMs: 120_000,
  maxMessageBytes: 4 * 1024 * 1024,
};

export class ConfigError extends Error {
  override readonly name = "ConfigError";
}

export const SERVE_USAGE = `Usage: rune serve [options] [ROOT...]

Serves the given folders (default: the current folder) over MCP: stdio by default, and/or
Streamable HTTP and the Claude Code IDE WebSocket, all sharing one engine.

Options:
  --root DIR               a workspace folder to serve (repeatable; same as a positional ROOT)
  --allow-writes           enable tools that change files (off by default)
  --allow-exec             let lint_analysis run the project's eslint, tsc or ruff (off by default:
                           they are the workspace's own code)
  --no-watch               do not watch the roots for changes (caches then check each file's stat)
  --workers N              worker threads for search and parsing (default: one per core)
  --stdio                  serve stdio too when --http or --ide is given
  --http [PORT]            serve Streamable HTTP on 127.0.0.1:PORT (default port: any free one)
  --host ADDR              address for --http (default 127.0.0.1; others require a token)
  --token TOKEN            bearer token for --http (default: random, shown once on stderr;
                           prefer RUNE_TOKEN, which other users cannot see in the process list)
  --no-auth                serve --http without a token (loopback only)
  --auth-server URL        OAuth authorization server to announce (RFC 9728; repeatable)
  --json-response          answer HTTP requests with JSON rather than SSE when possible
  --ide                    serve the Claude Code IDE WebSocket and write ~/.claude/ide/<port>.lock
  --nvim SOCKET            attach to the Neovim listening on SOCKET (nvim --listen, v:servername):
                           editor tools then answer from and act in that Neovim
  --log-level LEVEL        debug | info | warn | error | silent (default info; logs go to stderr)
  --log-file FILE          write logs to FILE as JSON lines instead of stderr
  --log-format FORMAT      text | json (default: text on stderr, json in --log-file)
  --no-metrics             no metrics, request logs or dashboard history (to measure their cost)
  --cache-dir DIR          folder for persistent caches (default $XDG_CACHE_HOME/rune or the temp folder)
  --cache-mb N             memory the in-memory cache may hold (default 128)
  --no-compress            never compress HTTP answers (default: gzip/br/zstd from 1 KiB, per Accept-Encoding)
  --ws-deflate             offer permessage-deflate on the IDE WebSocket
  --warm-index             build the symbol index at start; /health/ready answers 503 until it is built
  --page-size N            items per page on every list (default 100)
  --request-timeout MS     deadline for each request (default 120000; 0 disables)
  --max-message-bytes N    largest accepted message (default 4194304)
  --config FILE            read these settings from a JSON file (flags win)
  -h, --help               show this help

Environment: RUNE_LOG_LEVEL, RUNE_LOG_FILE, RUNE_CACHE_DIR, RUNE_ALLOW_WRITES=1, RUNE_WORKERS, RUNE_TOKEN, RUNE_CONFIG, CLAUDE_CONFIG_DIR.`;

/** Builds the serve configuration: defaults < config file < environment < flags. */
export function parseServeConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): ServeConfig | "help" {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(optionalPortForm(argv));
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
  if (env.RUNE_ALLOW_EXEC === "1") config.allowExec = true;
  const roots = [...(values.root ?? []), ...positionals];
  if (roots.length > 0) config.roots = roots;
  if (config.roots.length === 0) config.roots = [process.cwd()];
  if (values["allow-writes"]) config.allowWrites = true;
  if (values["allow-exec"]) config.allowExec = true;
  if (values["no-watch"]) config.watch = false;
  if (env.RUNE_WORKERS) config.workers = integer("RUNE_WORKERS", env.RUNE_WORKERS, 0);
  if (values.workers) config.workers = integer("--workers", values.workers, 0);
  if (env.RUNE_TOKEN) config.token = env.RUNE_TOKEN;
  if (values.token) config.token = values.token;
  if (values["no-auth"]) config.auth = false;
  if (values["auth-server"]) config.authServers = values["auth-server"].map((u) => url("--auth-server", u));
  if (values["json-response"]) config.jsonResponse = true;
  if (values.host) config.httpHost = values.host;
  if (values.http) config.httpPort = values["http-port"] ? integer("--http", values["http-port"], 0) : 0;
  if (values.ide) config.ide = true;
  if (values.nvim) config.nvim = values.nvim;
  // stdio is the default transport; asking for others turns it off unless --stdio keeps it.
  config.stdio = values.stdio === true || (config.httpPort === undefined && !config.ide);
  if (!config.auth && config.token)
    throw new ConfigError("--no-auth and a token contradict each other: choose one");
  if (values["log-level"]) config.logLevel = logLevel(values["log-level"]);
  if (env.RUNE_LOG_FILE) config.logFile = env.RUNE_LOG_FILE;
  if (values["log-file"]) config.logFile = values["log-file"];
  if (values["log-format"]) config.logFormat = logFormat(values["log-format"]);
  if (values["no-metrics"]) config.metrics = false;
  if (env.RUNE_CACHE_DIR) config.cacheDir = env.RUNE_CACHE_DIR;
  if (values["cache-dir"]) config.cacheDir = values["cache-dir"];
  if (values["cache-mb"]) config.cacheBytes = integer("--cache-mb", values["cache-mb"], 1) * 1024 * 1024;
  if (values["no-compress"]) config.compressMinBytes = false;
  if (values["ws-deflate"]) config.wsDeflate = true;
  if (values["warm-index"]) config.warmIndex = true;
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
      "allow-exec": { type: "boolean" },
      "no-watch": { type: "boolean" },
      workers: { type: "string" },
      "log-level": { type: "string" },
      "log-file": { type: "string" },
      "log-format": { type: "string" },
      "no-metrics": { type: "boolean" },
      "cache-dir": { type: "string" },
      "cache-mb": { type: "string" },
      "no-compress": { type: "boolean" },
      "ws-deflate": { type: "boolean" },
      "warm-index": { type: "boolean" },
      "page-size": { type: "string" },
      "request-timeout": { type: "string" },
      "max-message-bytes": { type: "string" },
      config: { type: "string" },
      stdio: { type: "boolean" },
      http: { type: "boolean" },
      "http-port": { type: "string" },
      host: { type: "string" },
      token: { type: "string" },
      "no-auth": { type: "boolean" },
      "auth-server": { type: "string", multiple: true },
      "json-response": { type: "boolean" },
      ide: { type: "boolean" },
      nvim: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
}

/** `--http 8080` means a port; a bare `--http` means any free port. parseArgs has no optional values. */
function optionalPortForm(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const next = argv[i + 1];
    if (arg === "--http" && next !== undefined && /^\d+$/.test(next)) {
      out.push("--http", "--http-port", next);
      i++;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function url(flag: string, value: string): string {
  try {
    return new URL(value).href;
  } catch {
    throw new ConfigError(`${flag} takes a URL, got "${value}"`);
  }
}

function logLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new ConfigError(`Unknown log level "${value}": use one of ${LOG_LEVELS.join(", ")}`);
}

function logFormat(value: string): "text" | "json" {
  if (value === "text" || value === "json") return value;
  throw new ConfigError(`Unknown log format "${value}": use text or json`);
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
      case "allowExec":
        if (typeof value !== "boolean") throw new ConfigError(`${path}: "allowExec" must be true or false`);
        out.allowExec = value;
        break;
      case "watch":
        if (typeof value !== "boolean") throw new ConfigError(`${path}: "watch" must be true or false`);
        out.watch = value;
        break;
      case "nvim":
        if (typeof value !== "string" || value === "") {
          throw new ConfigError(`${path}: "nvim" must be the address Neovim listens on`);
        }
        out.nvim = value;
        break;
      case "logLevel":
        out.logLevel = logLevel(String(value));
        break;
      case "logFile":
      case "cacheDir":
        if (typeof value !== "string" || value === "")
          throw new ConfigError(`${path}: "${key}" must be a path`);
        out[key] = value;
        break;
      case "workers":
        out.workers = integer(`${path}: "workers"`, String(value), 0);
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
