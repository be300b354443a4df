import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { runExternalLinter } from "../src/engine/analysis/external-linters.js";
import { EditorState, Engine } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

const engines: Engine[] = [];
const children: ChildProcess[] = [];
after(async () => {
  for (const child of children) if (child.exitCode === null && child.pid) process.kill(child.pid, "SIGKILL");
  await Promise.all(engines.map((e) => e.dispose()));
});
function engine(root: string, options: { allowExec?: boolean } = {}): Engine {
  const created = new Engine({
    roots: [root],
    allowWrites: false,
    symbolCache: false,
    workers: 1,
    ...options,
  });
  engines.push(created);
  return created;
}

/**
 * A FIFO in the workspace, and a writer that opens it every second for a while: an open that blocks on the
 * FIFO is released by it (so a test of the old behaviour fails instead of hanging for ever).
 */
function fifoWithLateWriter(root: string, name: string): string {
  const path = join(root, name);
  execFileSync("mkfifo", [path]);
  const writer = spawn(
    "sh",
    ["-c", `for i in 1 2 3 4 5 6 7 8 9 10; do sleep 1; printf 'let x = 1;\\n' > '${path}'; done`],
    { stdio: "ignore" },
  );
  children.push(writer);
  return path;
}

describe("review: files that are not regular files", () => {
  it("syntax_check does not open a FIFO (an open would block the server)", async () => {
    const root = tempDir();
    fifoWithLateWriter(root, "pipe.ts");
    const rune = engine(root);
    const { files } = await rune.scope.syntax.check({ paths: ["pipe.ts"] });
    assert.equal(files[0]?.status, "skipped");
    assert.match(files[0]?.message ?? "", /not a regular file/);
  });

  it("get_diagnostics of a FIFO answers without reading it", async () => {
    const root = tempDir();
    fifoWithLateWriter(root, "pipe2.ts");
    const rune = engine(root);
    const result = await rune.scope.diagnostics.get({ paths: ["pipe2.ts"] });
    assert.equal(result.total, 0);
    const syntax = result.files[0]?.freshness.find((f) => f.source === "syntax");
    assert.match((syntax as { note?: string } | undefined)?.note ?? "", /not a regular file/);
  });
});

describe("review: external linters", () => {
  it("a timeout kills the linter's whole process group, and the run does not wait for its children", {
    timeout: 20_000,
  }, async () => {
    const root = tempDir();
    const bin = join(root, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    const pidFile = join(root, "child.pid");
    // A wrapper that starts a child holding stdout, as `npx` or a shell wrapper would.
    writeFileSync(join(bin, "eslint"), `#!/bin/sh\nsleep 1000 &\necho $! > '${pidFile}'\nwait\n`, {
      mode: 0o755,
    });
    const run = await runExternalLinter("eslint", root, [], { timeoutMs: 500 });
    assert.equal(run.status, "timeout");
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !alive(pid));
    assert.equal(alive(pid), false);
  });

  it("an abort kills the linter's process group", { timeout: 20_000 }, async () => {
    const root = tempDir();
    const bin = join(root, "node_modules", ".bin");
    mkdirSync(bin, { recursive: true });
    const pidFile = join(root, "child.pid");
    writeFileSync(join(bin, "ruff"), `#!/bin/sh\nsleep 1000 &\necho $! > '${pidFile}'\nwait\n`, {
      mode: 0o755,
    });
    const controller = new AbortController();
    const running = runExternalLinter("ruff", root, [], { timeoutMs: 60_000, signal: controller.signal });
    await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, "utf8").trim() !== "");
    controller.abort();
    const run = await running;
    assert.notEqual(run.status, "ran");
    const pid = Number(readFileSync(pidFile, "utf8"));
    await waitFor(() => !alive(pid));
    assert.equal(alive(pid), false);
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Polls `condition` for up to 5 s (a killed process is reaped a moment later). */
async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !condition(); i++) await new Promise((r) => setTimeout(r, 50));
}

describe("review: .rune/lint.json", () => {
  it("is not read through a symlink that leaves the workspace", async () => {
    const root = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, "secret.json"), JSON.stringify({ disable: ["todo-comment"] }));
    mkdirSync(join(root, ".rune"));
    symlinkSync(join(outside, "secret.json"), join(root, ".rune", "lint.json"));
    writeFileSync(join(root, "a.ts"), "// TODO: something\nexport const a = 1;\n");
    const rune = engine(root);
    await assert.rejects(rune.scope.lint.lint({ paths: ["a.ts"] }), { code: "PATH_OUTSIDE_ROOT" });
  });

  it("is refused when it is not a regular file (a FIFO would block the server)", async () => {
    const root = tempDir();
    mkdirSync(join(root, ".rune"));
    fifoWithLateWriter(root, join(".rune", "lint.json"));
    writeFileSync(join(root, "a.ts"), "export const a = 1;\n");
    const rune = engine(root);
    await assert.rejects(rune.scope.lint.lint({ paths: ["a.ts"] }), /not a regular file/);
  });

  it("is refused when it is larger than a configuration can sensibly be", async () => {
    const root = tempDir();
    mkdirSync(join(root, ".rune"));
    writeFileSync(join(root, ".rune", "lint.json"), `{"disable": [${'"x",'.repeat(300_000)}"y"]}`);
    writeFileSync(join(root, "a.ts"), "export const a = 1;\n");
    const rune = engine(root);
    await assert.rejects(rune.scope.lint.lint({ paths: ["a.ts"] }), /larger than/);
  });
});

describe("review: syntax_check bounds", () => {
  it("refuses a maxFileBytes above 32 MiB (the text is parsed on the main thread and kept)", async () => {
    const root = tempDir();
    writeFileSync(join(root, "a.ts"), "export const a = 1;\n");
    const rune = engine(root);
    await assert.rejects(
      rune.scope.syntax.check({ paths: ["a.ts"], maxFileBytes: 2 ** 40 }),
      (error: Error & { code?: string }) =>
        error.code === "INVALID_ARGUMENT" && /maxFileBytes/.test(error.message),
    );
    await assert.rejects(
      rune.scope.syntax.check({ text: "let a = 1;", language: "typescript", maxFileBytes: 2 ** 40 }),
      { code: "INVALID_ARGUMENT" },
    );
    const { files } = await rune.scope.syntax.check({ paths: ["a.ts"], maxFileBytes: 32 * 1024 * 1024 });
    assert.equal(files[0]?.status, "ok");
  });
});

describe("review: mentions", () => {
  it("refuses a mention whose path is longer than a path can be (it is kept and sent to every client)", () => {
    const state = new EditorState();
    assert.throws(() => state.mention({ path: `/${"a".repeat(100_000)}` }), { code: "INVALID_ARGUMENT" });
    assert.equal(state.mentions().length, 0);
    assert.equal(state.mention({ path: "/work/a.ts", lineStart: 1, lineEnd: 2 }).lineEnd, 2);
  });
});
