import assert from "node:assert/strict";
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { Engine } from "../src/engine/index.js";
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
