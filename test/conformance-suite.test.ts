import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { FIXTURE_MAIN } from "./helpers/paths.js";
import { CONFORMANCE, NODE_22 } from "./helpers/test-tools.js";

const run = promisify(execFile);

/** Starts the fixture over Streamable HTTP on a free port and resolves with its URL. */
async function startFixture(...flags: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [FIXTURE_MAIN, "--http", "0", ...flags], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, "data")) as [Buffer];
  return { child, url: chunk.toString().trim() };
}

/** Runs the official suite (it needs Node 22) and returns its summary counts. */
async function conformance(url: string): Promise<{ passed: number; failed: number; output: string }> {
  let output: string;
  try {
    const result = await run(NODE_22, [CONFORMANCE, "server", "--url", url, "--suite", "all"], {
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    output = result.stdout + result.stderr;
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
  const total = /Total: (\d+) passed, (\d+) failed/.exec(output);
  assert.ok(total, `no summary in the suite's output:\n${output.slice(-3000)}`);
  return { passed: Number(total[1]), failed: Number(total[2]), output };
}

// JSON mode runs fewer checks: the SSE polling scenarios have nothing to poll when answers are JSON.
for (const [mode, minimum] of [
  ["sse", 46],
  ["json", 43],
] as const) {
  describe(`the official conformance suite (0.1.16, --suite all) against the fixture, ${mode} responses`, () => {
    let fixture: { child: ChildProcess; url: string };
    before(async () => {
      fixture = await startFixture(...(mode === "json" ? ["--json"] : []));
    });
    after(() => {
      fixture.child.kill("SIGTERM");
    });

    it("passes every scenario, with no expected-failures file", async () => {
      const { passed, failed, output } = await conformance(fixture.url);
      const failures = output.split("\n").filter((line) => /✗|FAIL/.test(line));
      assert.equal(failed, 0, failures.join("\n"));
      assert.ok(passed >= minimum, `only ${passed} checks ran`);
    });
  });
}
