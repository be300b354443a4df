import assert from "node:assert/strict";
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { once } from "node:events";
import { after, before, describe, it } from "node:test";
import { promisify } from "node:util";
import { FIXTURE_MAIN } from "./helpers/paths.js";
import { CONFORMANCE, CONFORMANCE_NEXT, NODE_22 } from "./helpers/test-tools.js";

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
async function conformance(
  url: string,
  suite = CONFORMANCE,
  extra: string[] = [],
): Promise<{ passed: number; failed: number; output: string }> {
  let output: string;
  try {
    const result = await run(NODE_22, [suite, "server", "--url", url, "--suite", "all", ...extra], {
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

/**
 * The prerelease line's 2026-07-28 (stateless) scenarios, as far as Rune implements that draft.
 * Every scenario listed here must pass completely; the suite's other scenarios are extensions
 * (tasks, skills) Rune does not offer.
 */
const STATELESS_SCENARIOS_PASSING = [
  "server-stateless",
  "completion-complete",
  "tools-list",
  "tools-call-simple-text",
  "tools-call-image",
  "tools-call-audio",
  "tools-call-embedded-resource",
  "tools-call-mixed-content",
  "tools-call-error",
  "tools-call-with-progress",
  "json-schema-2020-12",
  "server-sse-multiple-streams",
  "resources-list",
  "resources-read-text",
  "resources-read-binary",
  "resources-templates-read",
  "sep-2164-resource-not-found",
  "prompts-list",
  "prompts-get-simple",
  "prompts-get-with-args",
  "prompts-get-embedded-resource",
  "prompts-get-with-image",
  "dns-rebinding-protection",
  "caching",
  "http-header-validation",
  "http-custom-header-server-validation",
  "input-required-result-basic-elicitation",
  "input-required-result-basic-sampling",
  "input-required-result-basic-list-roots",
  "input-required-result-request-state",
  "input-required-result-multiple-input-requests",
  "input-required-result-multi-round",
  "input-required-result-missing-input-response",
  "input-required-result-non-tool-request",
  "input-required-result-result-type",
  "input-required-result-unsupported-methods",
  "input-required-result-tampered-state",
  "input-required-result-capability-check",
  "input-required-result-ignore-extra-params",
  "input-required-result-validate-input",
];

describe("the conformance suite's prerelease (0.2.0-alpha.12), --spec-version 2026-07-28, against the fixture", () => {
  let fixture: { child: ChildProcess; url: string };
  before(async () => {
    fixture = await startFixture();
  });
  after(() => {
    fixture.child.kill("SIGTERM");
  });

  it("passes every stateless scenario Rune implements, and no check of them fails", async () => {
    const { output } = await conformance(fixture.url, CONFORMANCE_NEXT, ["--spec-version", "2026-07-28"]);
    for (const scenario of STATELESS_SCENARIOS_PASSING) {
      const line = new RegExp(`^(✓|✗) ${scenario}: (\\d+) passed, (\\d+) failed`, "m").exec(output);
      assert.ok(line, `scenario ${scenario} did not run`);
      assert.equal(line[1], "✓", `${scenario}: ${line[0]}`);
    }
  });
});
