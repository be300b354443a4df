import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { dirname } from "node:path";
import { describe, it } from "node:test";
import { promisify } from "node:util";
import { RUNE_MAIN } from "./helpers/paths.js";
import { tempDir } from "./helpers/sdk-client.js";
import { INSPECTOR_CLI } from "./helpers/test-tools.js";

const run = promisify(execFile);

/** The official MCP Inspector, in CLI mode, starting `rune serve` itself over stdio. */
async function inspect(...args: string[]): Promise<Record<string, unknown>> {
  const root = tempDir();
  const { stdout } = await run(
    process.execPath,
    [INSPECTOR_CLI, process.execPath, RUNE_MAIN, "serve", root, ...args],
    {
      timeout: 60_000,
      // The Inspector finds its own package.json through a path relative to the working directory.
      cwd: dirname(INSPECTOR_CLI),
    },
  );
  return JSON.parse(stdout) as Record<string, unknown>;
}

describe("the MCP Inspector CLI against rune serve", () => {
  it("lists Rune's tools", async () => {
    const result = await inspect("--method", "tools/list");
    const tools = result.tools as { name: string }[];
    assert.ok(tools.some((t) => t.name === "workspace_info"));
  });

  it("calls workspace_info and gets structured content", async () => {
    const result = await inspect("--method", "tools/call", "--tool-name", "workspace_info");
    const structured = result.structuredContent as { writesAllowed: boolean; roots: unknown[] };
    assert.equal(structured.writesAllowed, false);
    assert.equal(structured.roots.length, 1);
  });
});
