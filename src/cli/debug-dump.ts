import { writeFileSync } from "node:fs";
import { Engine } from "../engine/index.js";
import { RuneLogger } from "../ops/log.js";
import { Operations } from "../ops/operations.js";
import { Redactor } from "../ops/redact.js";
import { ConfigError, parseServeConfig } from "./config.js";
import { VERSION } from "./version.js";

export const DEBUG_USAGE = `Usage: rune debug dump [--url URL] [--out FILE] [serve options]

Writes a JSON snapshot for bug reports: configuration, sessions, engine and index status, recent
warnings and errors, metrics. Secrets (tokens, authorization headers, known token formats) are
removed.

  --url URL     ask a running server (its HTTP address, e.g. http://127.0.0.1:7777); the bearer
                token comes from RUNE_TOKEN or --token
  --out FILE    write to FILE (mode 0600) instead of stdout
  (no --url)    describe the configuration the given serve options and config file make`;

/** `rune debug dump`: returns the exit code. */
export async function debugDump(argv: string[]): Promise<number> {
  const rest: string[] = [];
  let url: string | undefined;
  let out: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === "--url" || arg === "--out") {
      const value = argv[++i];
      if (value === undefined) throw new ConfigError(`${arg} needs a value\n\n${DEBUG_USAGE}`);
      if (arg === "--url") url = value;
      else out = value;
    } else if (arg === "-h" || arg === "--help") {
      process.stdout.write(`${DEBUG_USAGE}\n`);
      return 0;
    } else {
      rest.push(arg);
    }
  }
  const config = parseServeConfig(rest);
  if (config === "help") {
    process.stdout.write(`${DEBUG_USAGE}\n`);
    return 0;
  }
  const redactor = new Redactor();
  redactor.add(config.token);
  let dump: unknown;
  if (url !== undefined) {
    dump = await fromServer(url, config.token);
  } else {
    const engine = new Engine({
      roots: config.roots,
      allowWrites: config.allowWrites,
      workers: config.workers,
    });
    const ops = new Operations(new RuneLogger({ level: "silent", redactor }), redactor, {
      status: () => engine.status(),
      sessions: () => [],
      config: () => ({ ...config }),
      editorExpected: config.nvim !== undefined,
      version: VERSION,
    });
    try {
      dump = await ops.snapshot();
    } finally {
      ops.close();
      await engine.dispose();
    }
  }
  // Redacted again here: a dump from an older server, or one given a token it did not know, stays clean.
  const text = `${JSON.stringify(redactor.value(dump), null, 2)}\n`;
  if (out !== undefined) writeFileSync(out, text, { mode: 0o600 });
  else process.stdout.write(text);
  return 0;
}

async function fromServer(base: string, token: string | undefined): Promise<unknown> {
  let endpoint: URL;
  try {
    endpoint = new URL("/debug/dump", base);
  } catch {
    throw new ConfigError(`--url takes the server's HTTP address, got "${base}"`);
  }
  const response = await fetch(endpoint, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  }).catch((error: Error) => {
    throw new ConfigError(`cannot reach ${endpoint.origin}: ${error.message}`);
  });
  if (response.status === 401)
    throw new ConfigError(`${endpoint.origin} refused the token: set RUNE_TOKEN or --token`);
  if (!response.ok) throw new ConfigError(`${endpoint.href} answered ${response.status}`);
  return response.json();
}
