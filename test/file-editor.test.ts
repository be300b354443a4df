import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import { atomicWrite } from "../src/engine/files/atomic-write.js";
import { sha256 } from "../src/engine/files/text-content.js";
import { EngineError, editFile, writeFile } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

const FULL_DISK_FIXTURE = fileURLToPath(new URL("./fixtures/full-disk-edit.js", import.meta.url));

const dir = tempDir("rune-editor-");
let serial = 0;
function file(content: string | Buffer, mode?: number): string {
  const path = join(dir, `f${serial++}.txt`);
  writeFileSync(path, content);
  if (mode !== undefined) chmodSync(path, mode);
  return path;
}

function rejects(fn: () => unknown, code: string, pattern?: RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof EngineError, String(error));
    assert.equal(error.code, code, error.message);
    if (pattern) assert.match(error.message, pattern);
    return true;
  });
}

/** No temporary file left behind in a folder. */
function noLeftovers(folder: string): void {
  assert.deepEqual(
    readdirSync(folder).filter((name) => name.includes(".rune-")),
    [],
  );
}

const isRoot = process.getuid?.() === 0;

/** Makes a folder refuse new files: chattr +i as root (root ignores modes), mode 0555 otherwise. */
function lockFolder(folder: string): (() => void) | null {
  if (isRoot) {
    const locked = spawnSync("chattr", ["+i", folder]).status === 0;
    return locked ? () => void spawnSync("chattr", ["-i", folder]) : null;
  }
  chmodSync(folder, 0o555);
  return () => chmodSync(folder, 0o755);
}

describe("edit_file in the engine", () => {
  it("applies edits atomically, keeping mode, BOM and CRLF, and returns a diff and hashes", () => {
    const path = file("\ufeffone\r\ntwo\r\nthree\r\n", 0o640);
    const before = sha256(readFileSync(path));
    const result = editFile(path, [{ oldText: "two", newText: "2\nand a half" }], { displayPath: "f.txt" });
    assert.equal(readFileSync(path, "utf8"), "\ufeffone\r\n2\r\nand a half\r\nthree\r\n");
    assert.equal(statSync(path).mode & 0o777, 0o640);
    assert.equal(result.sha256Before, before);
    assert.equal(result.sha256, sha256(readFileSync(path)));
    assert.match(
      result.diff,
      /^--- a\/f\.txt\n\+\+\+ b\/f\.txt\n@@ -1,3 \+1,4 @@\n one\n-two\n\+2\n\+and a half\n three\n$/,
    );
    noLeftovers(dir);
  });

  it("previews with dryRun and writes nothing", () => {
    const path = file("a\n");
    const result = editFile(path, [{ oldText: "a", newText: "b" }], { dryRun: true });
    assert.equal(readFileSync(path, "utf8"), "a\n");
    assert.equal(result.dryRun, true);
    assert.match(result.diff, /-a\n\+b/);
  });

  it("refuses a stale edit whose sha256 precondition no longer holds", () => {
    const path = file("v1\n");
    const stale = sha256(Buffer.from("v0\n"));
    rejects(
      () => editFile(path, [{ oldText: "v1", newText: "v2" }], { expectedSha256: stale }),
      "PRECONDITION_FAILED",
    );
    assert.equal(readFileSync(path, "utf8"), "v1\n");
    editFile(path, [{ oldText: "v1", newText: "v2" }], {
      expectedSha256: sha256(Buffer.from("v1\n")).toUpperCase(),
    });
    assert.equal(readFileSync(path, "utf8"), "v2\n");
  });

  it("writes UTF-16 files back as UTF-16 with their BOM", () => {
    const path = file(Buffer.from("\ufeffhello\nworld\n", "utf16le"));
    editFile(path, [{ oldText: "world", newText: "wörld" }]);
    assert.deepEqual(readFileSync(path), Buffer.from("\ufeffhello\nwörld\n", "utf16le"));
  });

  it("refuses binary files and folders, and names a missing file", () => {
    rejects(
      () => editFile(file(Buffer.from([1, 0, 2])), [{ oldText: "x", newText: "y" }]),
      "NOT_A_FILE",
      /binary/,
    );
    rejects(() => editFile(dir, [{ oldText: "x", newText: "y" }]), "NOT_A_FILE");
    rejects(() => editFile(join(dir, "nope"), [{ oldText: "x", newText: "y" }]), "NOT_FOUND");
  });

  it("handles a 20 MB file and an edit in its middle", () => {
    const line = "0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz\n";
    const lines = Array.from({ length: 280_000 }, () => line);
    lines[140_000] = "the unique middle line\n";
    const path = file(lines.join(""));
    const result = editFile(path, [{ oldText: "the unique middle line", newText: "changed" }]);
    assert.equal(result.replacements, 1);
    assert.match(result.diff, /@@ -139998,7 \+139998,7 @@/);
    const after = readFileSync(path, "utf8");
    assert.equal(after.length, lines.join("").length - "the unique middle line".length + "changed".length);
  });
});

describe("atomic writes under failure", () => {
  it("refuse to replace a file that changed on disk after it was read, touching nothing", () => {
    const path = file("original\n");
    const readStats = statSync(path);
    // Another program replaces the file between our read and our write.
    const replacement = file("someone else's\n");
    renameSync(replacement, path);
    rejects(() => atomicWrite(path, Buffer.from("ours\n"), { expected: readStats }), "FILE_CHANGED");
    assert.equal(readFileSync(path, "utf8"), "someone else's\n");
    noLeftovers(dir);
  });

  it("leave the original intact and say why when the folder refuses new files (EACCES/EPERM)", () => {
    const folder = join(dir, `locked${serial++}`);
    mkdirSync(folder);
    const path = join(folder, "keep.txt");
    writeFileSync(path, "keep me\n");
    const unlock = lockFolder(folder);
    // Root ignores permissions: the folder is made immutable instead (chattr, from e2fsprogs).
    assert.ok(unlock, "as root this test needs chattr +i to work on the temp folder's filesystem");
    try {
      rejects(
        () => editFile(path, [{ oldText: "keep", newText: "lose" }]),
        "PERMISSION_DENIED",
        /permission denied/,
      );
      assert.equal(readFileSync(path, "utf8"), "keep me\n");
    } finally {
      unlock();
    }
    noLeftovers(folder);
  });

  it("leave the original intact when the disk is full (ENOSPC), and remove the partial file", () => {
    // A real small filesystem: a 64 KiB tmpfs in a mount namespace of its own (see the fixture).
    const namespace = [...(isRoot ? [] : ["--user", "--map-root-user"]), "--mount"];
    const run = spawnSync("unshare", [...namespace, "--", process.execPath, FULL_DISK_FIXTURE], {
      encoding: "utf8",
    });
    assert.equal(
      run.status,
      0,
      `unshare (util-linux) could not run the fixture: ${run.stderr}${run.error ?? ""}`,
    );
    const report = JSON.parse(run.stdout);
    assert.equal(
      report.mountFailed,
      undefined,
      `mounting a tmpfs in the namespace failed: ${report.mountFailed}`,
    );
    assert.equal(report.edit.code, "NO_SPACE", JSON.stringify(report.edit));
    assert.match(report.edit.message, /no space/);
    assert.deepEqual(report.afterEdit, { content: "small\n", entries: ["small.txt"] });
    assert.equal(report.write.code, "NO_SPACE", JSON.stringify(report.write));
    assert.deepEqual(report.afterWrite.entries, ["small.txt"]);
  });
});

describe("write_file in the engine", () => {
  it("creates files and folders, replaces only when allowed, and honours expectedSha256", () => {
    const path = join(dir, "new", "deep", "file.txt");
    const created = writeFile(path, "hello\n");
    assert.deepEqual([created.created, created.size], [true, 6]);
    assert.equal(readFileSync(path, "utf8"), "hello\n");
    rejects(() => writeFile(path, "again", { overwrite: false }), "ALREADY_EXISTS");
    rejects(() => writeFile(path, "again", { expectedSha256: "0".repeat(64) }), "PRECONDITION_FAILED");
    const replaced = writeFile(path, "again", { expectedSha256: created.sha256 });
    assert.equal(replaced.created, false);
    assert.equal(readFileSync(path, "utf8"), "again");
    rejects(
      () => writeFile(join(dir, "absent.txt"), "x", { expectedSha256: created.sha256 }),
      "PRECONDITION_FAILED",
    );
    noLeftovers(join(dir, "new", "deep"));
  });
});
