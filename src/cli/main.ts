#!/usr/bin/env node
import { EngineError } from "../engine/index.js";
import { ConfigError, parseServeConfig, SERVE_USAGE } from "./config.js";
import { DEBUG_USAGE, debugDump } from "./debug-dump.js";
import { serve } from "./serve.js";
import { VERSION } from "./version.js";

const USAGE = `Rune ${VERSION}: a fast, secure MCP server for editor and workspace context.

Usage:
  rune serve [options] [ROOT...]   serve folders to an MCP client over stdio (default: the current folder)
  rune debug dump [options]        a JSON snapshot for bug reports, secrets removed
  rune --version
  rune help serve                  options of serve
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "serve": {
      const config = parseServeConfig(rest);
      if (config === "help") {
        process.stdout.write(`${SERVE_USAGE}\n`);
        return 0;
      }
      await serve(config);
      return -1;
    }
    case "debug":
      if (rest[0] !== "dump") {
        process.stderr.write(`rune: unknown debug command "${rest[0] ?? ""}"\n\n${DEBUG_USAGE}\n`);
        return 2;
      }
      return debugDump(rest.slice(1));
    case "--version":
    case "-v":
      process.stdout.write(`${VERSION}\n`);
      return 0;
    case "help":
      process.stdout.write(rest[0] === "serve" ? `${SERVE_USAGE}\n` : USAGE);
      return 0;
    case undefined:
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`rune: unknown command "${command}"\n\n${USAGE}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    // -1: a server is running and will exit on its own.
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof ConfigError || error instanceof EngineError) {
      process.stderr.write(`rune: ${error.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(
      `rune: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 1;
  },
);
