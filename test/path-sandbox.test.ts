import assert from "node:assert/strict";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { before, describe, it } from "node:test";
import fc from "fast-check";
import { EngineError, PathSandbox, WorkspaceRoots } from "../src/engine/index.js";
import { tempDir } from "./helpers/sdk-client.js";

/**
 * A workspace with the traps an escape would use: symlinks out (to a file, a folder, the parent,
 * the filesystem root), a symlink chain, a loop, dangling links, and a sibling folder whose name
 * starts like the root's.
 */
function workspace() {
  const base = tempDir("rune-sandbox-");
  const root = join(base, "root");
  const outside = join(base, "outside");
  const sibling = join(base, "root-evil");
  for (const dir of [root, outside, sibling, join(root, "src", "deep")]) mkdirSync(dir, { recursive: true });
  writeFileSync(join(outside, "secret.txt"), "secret");
  writeFileSync(join(sibling, "x.txt"), "x");
  writeFileSync(join(root, "src", "a.ts"), "a");
  symlinkSync(join(outside, "secret.txt"), join(root, "link-file-out"));
  symlinkSync(outside, join(root, "link-dir-out"));
  symlinkSync(base, join(root, "link-parent"));
  symlinkSync("/", join(root, "link-fs-root"));
  symlinkSync(join(root, "link-dir-out"), join(root, "link-chain"));
  symlinkSync(join(root, "loop-b"), join(root, "loop-a"));
  symlinkSync(join(root, "loop-a"), join(root, "loop-b"));
  symlinkSync(join(outside, "not-there.txt"), join(root, "dangling-out"));
  symlinkSync(join(outside, "no-dir"), join(root, "dangling-dir-out"));
  symlinkSync(join(root, "src"), join(root, "link-in"));
  return { base, root, outside, sibling, sandbox: new PathSandbox(new WorkspaceRoots([root])) };
}

/**
 * Folder cache shared by every resolution in this file, as a batch read shares one: the fast path
 * it enables must refuse exactly what the full realpath refuses.
 */
const folders = new Map<string, string | null>();

async function refusal(sandbox: PathSandbox, path: unknown, mustExist = false): Promise<EngineError> {
  let first: EngineError | undefined;
  for (const options of [{ mustExist }, { mustExist, folders }]) {
    try {
      const resolved = await sandbox.resolve(path, options);
      assert.fail(
        `${JSON.stringify(path)} was let through as ${resolved} (${options.folders ? "batch" : "single"})`,
      );
    } catch (error) {
      assert.ok(error instanceof EngineError, `not an EngineError: ${String(error)}`);
      if (first) assert.equal(error.code, first.code, `same refusal for ${JSON.stringify(path)}`);
      first ??= error;
    }
  }
  return first as EngineError;
}

describe("the path sandbox", () => {
  let w: ReturnType<typeof workspace>;
  before(() => {
    w = workspace();
  });

  it("refuses every escape attempt in the corpus, naming the rule", async () => {
    const attempts: unknown[] = [
      "..",
      "../",
      "../outside/secret.txt",
      "../../etc/passwd",
      "src/../../outside/secret.txt",
      "src/deep/../../../outside",
      "./../outside",
      "src/./../../outside/secret.txt",
      "/etc/passwd",
      "/etc",
      "/",
      "//etc/passwd",
      "/./etc/passwd",
      "/proc/self/root/etc/passwd",
      () => join(w.outside, "secret.txt"),
      () => w.outside,
      () => w.base,
      () => join(w.sibling, "x.txt"),
      () => w.sibling,
      () => `${w.root}/../root-evil/x.txt`,
      () => `${w.root}/../outside/new-file.txt`,
      "link-file-out",
      "link-dir-out",
      "link-dir-out/secret.txt",
      "link-dir-out/new-file.txt",
      "link-dir-out/new-dir/new-file.txt",
      "link-parent",
      "link-parent/outside/secret.txt",
      "link-fs-root/etc/passwd",
      "link-chain/secret.txt",
      "link-in/../../outside/secret.txt",
      "loop-a",
      "loop-a/x",
      "dangling-out",
      "dangling-dir-out/file.txt",
      "src/\0.txt",
      "\0",
      "",
      42,
      null,
      undefined,
      "a".repeat(5000),
      `src/${"b".repeat(300)}`,
      "file:///etc/passwd",
      () => `file://${join(w.outside, "secret.txt")}`,
      "http://example.com/a.txt",
      "file://host/share/x",
      "file:///%00",
    ];
    assert.ok(attempts.length >= 40);
    for (const attempt of attempts) {
      const path = typeof attempt === "function" ? (attempt as () => string)() : attempt;
      const error = await refusal(w.sandbox, path);
      assert.match(
        error.code,
        /^(PATH_OUTSIDE_ROOT|PATH_INVALID|PATH_TOO_LONG)$/,
        `${JSON.stringify(path)}: ${error.code}`,
      );
      assert.ok(error.message.length > 0);
    }
  });

  it("says where a symlink led, and lists the allowed roots", async () => {
    const error = await refusal(w.sandbox, "link-dir-out/secret.txt");
    assert.equal(error.code, "PATH_OUTSIDE_ROOT");
    assert.ok(error.message.includes(join(w.outside, "secret.txt")));
    assert.ok(error.message.includes(w.root));
  });

  it("lets through paths inside the root, relative, absolute, as file:// URIs and through inner symlinks", async () => {
    const inside: [string, string][] = [
      ["src/a.ts", join(w.root, "src", "a.ts")],
      [join(w.root, "src", "a.ts"), join(w.root, "src", "a.ts")],
      [`file://${join(w.root, "src", "a.ts")}`, join(w.root, "src", "a.ts")],
      ["link-in/a.ts", join(w.root, "src", "a.ts")],
      ["src/deep/../a.ts", join(w.root, "src", "a.ts")],
      [".", w.root],
      [w.root, w.root],
      ["src/new-file.ts", join(w.root, "src", "new-file.ts")],
      ["new-dir/deeper/new.ts", join(w.root, "new-dir", "deeper", "new.ts")],
      ["link-in/new.ts", join(w.root, "src", "new.ts")],
      ["%2e%2e/literal-name", join(w.root, "%2e%2e", "literal-name")],
      ["..\\..\\backslashes-are-a-name-here", join(w.root, "..\\..\\backslashes-are-a-name-here")],
    ];
    for (const [requested, expected] of inside) {
      assert.equal(await w.sandbox.resolve(requested), expected, requested);
      assert.equal(w.sandbox.resolveSync(requested, { folders }), expected, `${requested} (batch)`);
    }
  });

  it("says NOT_FOUND for a missing path when it must exist", async () => {
    assert.equal((await refusal(w.sandbox, "src/missing.ts", true)).code, "NOT_FOUND");
  });

  it("never lets a generated path resolve outside the root", async () => {
    const segment = fc.constantFrom(
      "..",
      ".",
      "src",
      "deep",
      "link-in",
      "link-dir-out",
      "link-parent",
      "x",
      "",
    );
    await fc.assert(
      fc.asyncProperty(fc.array(segment, { maxLength: 8 }), fc.boolean(), async (segments, absolute) => {
        const path = (absolute ? `${w.root}/` : "") + segments.join("/");
        for (const options of [{}, { folders }]) {
          try {
            const resolved = await w.sandbox.resolve(path, options);
            assert.ok(resolved === w.root || resolved.startsWith(`${w.root}/`), `${path} -> ${resolved}`);
          } catch (error) {
            assert.ok(error instanceof EngineError, String(error));
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it("accepts any of several roots", async () => {
    const other = tempDir("rune-sandbox-other-");
    writeFileSync(join(other, "o.txt"), "o");
    const sandbox = new PathSandbox(new WorkspaceRoots([w.root, other]));
    assert.equal(await sandbox.resolve(join(other, "o.txt")), join(other, "o.txt"));
    assert.equal((await refusal(sandbox, join(w.outside, "secret.txt"))).code, "PATH_OUTSIDE_ROOT");
  });
});
