import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { after, before, describe, it } from "node:test";
import fc from "fast-check";
import { folderListings, walk, walkAll } from "../src/engine/workspace/walker.js";
import { tempDir } from "./helpers/sdk-client.js";

function tree(files: Record<string, string>): string {
  const root = tempDir("rune-walk-");
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

/** What git itself considers not ignored: untracked files, with the standard excludes. */
function gitFiles(root: string): string[] {
  assert.equal(spawnSync("git", ["init", "-q", root]).status, 0);
  const out = spawnSync("git", ["ls-files", "--others", "--exclude-standard", "-z"], {
    cwd: root,
    encoding: "utf8",
  });
  return out.stdout.split("\0").filter(Boolean).sort();
}

async function walked(root: string, options = {}): Promise<string[]> {
  return (await walkAll(root, { hidden: true, ...options })).map((e) => e.relative).sort();
}

describe("the walker", () => {
  it("agrees with git on nested .gitignore files, negations, anchors and folder rules", async () => {
    const root = tree({
      ".gitignore": "*.log\nbuild/\n/top-only.txt\n!keep.log\nnode_modules\n",
      "a.ts": "",
      "debug.log": "",
      "keep.log": "",
      "top-only.txt": "",
      "src/top-only.txt": "",
      "src/.gitignore": "generated/\n!important.log\n*.tmp\n",
      "src/important.log": "",
      "src/x.tmp": "",
      "src/generated/out.js": "",
      "src/lib/deep.ts": "",
      "build/out.js": "",
      "node_modules/pkg/index.js": "",
      "docs/build/page.html": "",
      ".hidden/file": "",
      "spaces in name.txt": "",
    });
    const git = gitFiles(root);
    assert.deepEqual(await walked(root), git);
    assert.ok(git.includes("src/important.log") && !git.includes("debug.log"));
  });

  it("enters a folder a nested ignore file re-includes, and judges its files by their own names", async () => {
    // The root's *.tmp excludes a/e.tmp, a/.gitignore re-includes it; git lists the file inside.
    const root = tree({
      ".gitignore": "*.tmp\n",
      "a/.gitignore": "!e.tmp\n",
      "a/e.tmp/a.f": "",
      "b.tmp": "",
    });
    assert.deepEqual(await walked(root), gitFiles(root));
    assert.ok((await walked(root)).includes("a/e.tmp/a.f"));
  });

  it("reads only regular ignore files: not a FIFO, a link to /dev/zero, or a link out of the tree", async () => {
    const root = tree({ "a/keep.txt": "", "b/keep.txt": "", "c/keep.txt": "", "c/secret.txt": "" });
    assert.equal(spawnSync("mkfifo", [join(root, "a", ".gitignore")]).status, 0);
    symlinkSync("/dev/zero", join(root, "b", ".gitignore"));
    const outside = tree({ rules: "secret.txt\n" });
    symlinkSync(join(outside, "rules"), join(root, "c", ".gitignore"));
    // Before, the FIFO blocked the walk for good and /dev/zero filled memory.
    assert.deepEqual(await walked(root, { hidden: false }), [
      "a/keep.txt",
      "b/keep.txt",
      "c/keep.txt",
      "c/secret.txt",
    ]);
  });

  it("matches ignore patterns with case, as git does on Linux", async () => {
    const root = tree({
      ".gitignore": "Backup*/\n*.LOG\n",
      "backup/Restore.cs": "",
      "app.log": "",
      "x.LOG": "",
    });
    assert.deepEqual(await walked(root, { hidden: false }), ["app.log", "backup/Restore.cs"]);
    assert.deepEqual(
      await walked(root, { hidden: false }),
      gitFiles(root).filter((f) => f !== ".gitignore"),
    );
  });

  it("reads globs as ripgrep does, in time linear in the name, and refuses malformed ones", async () => {
    const root = tree({
      "a.ts": "",
      "d.ts": "",
      "app/(marketing)/page.tsx": "",
      "app/marketing/page.tsx": "",
      [`${"a".repeat(200)}.txt`]: "",
    });
    assert.deepEqual(await walked(root, { include: ["[!d].ts"] }), ["a.ts"]);
    assert.deepEqual(await walked(root, { include: ["app/(marketing)/*"] }), ["app/(marketing)/page.tsx"]);
    // A backtracking regular expression took minutes for this on one long name.
    const started = performance.now();
    assert.deepEqual(await walked(root, { include: ["*a*a*a*a*a*a*a*a*a*b"] }), []);
    assert.ok(performance.now() - started < 5_000);
    for (const glob of ["[", "**/*.{ts", "\\", "[z-a]"])
      await assert.rejects(walked(root, { include: [glob] }), { code: "INVALID_ARGUMENT" }, glob);
  });

  it("applies the ignore files above a root inside a repository, and stops the repository's at a nested one", async () => {
    const repo = tree({
      ".gitignore": "dist/\n*.log\n/top-only.txt\n",
      ".git/info/exclude": "secret.txt\n",
      "packages/.ignore": "generated/\n",
      "packages/app/src/index.ts": "",
      "packages/app/debug.log": "",
      "packages/app/dist/bundle.js": "",
      "packages/app/secret.txt": "",
      "packages/app/top-only.txt": "",
      "packages/app/generated/x.ts": "",
      "packages/app/nested/.git/HEAD": "",
      "packages/app/nested/a.log": "",
      "packages/app/nested/generated/y.ts": "",
    });
    const app = join(repo, "packages", "app");
    // As git and ripgrep see it from inside the package: the repository's rules apply there
    // (an anchored one only at its own folder), and stop at the nested repository, except .ignore's.
    assert.deepEqual(await walked(app, { hidden: false }), ["nested/a.log", "src/index.ts", "top-only.txt"]);
    // Served from the top, the same files.
    assert.deepEqual(
      (await walked(repo, { hidden: false })).filter((path) => path.startsWith("packages/app/")),
      ["packages/app/nested/a.log", "packages/app/src/index.ts", "packages/app/top-only.txt"],
    );
  });

  it("honours the user's global git excludes in a repository, below its info/exclude", async () => {
    const config = tempDir("rune-walk-xdg-");
    mkdirSync(join(config, "git"));
    writeFileSync(join(config, "git", "ignore"), "*.swp\n.idea/\nkeep.tmp\n");
    const repo = tree({
      ".git/info/exclude": "!keep.tmp\n",
      "a.ts": "",
      "a.ts.swp": "",
      ".idea/workspace.xml": "",
      "keep.tmp": "",
    });
    const saved = process.env.XDG_CONFIG_HOME;
    process.env.XDG_CONFIG_HOME = config;
    try {
      // What git itself lists with the same configuration.
      assert.deepEqual(await walked(repo, { hidden: true }), ["a.ts", "keep.tmp"]);
    } finally {
      if (saved === undefined) delete process.env.XDG_CONFIG_HOME;
      else process.env.XDG_CONFIG_HOME = saved;
    }
  });

  it("reads core.excludesFile as git does: by section, last setting wins, comments cut, links followed, relative to the top", async () => {
    const home = tempDir("rune-walk-home-");
    const repo = tree({ "a.log": "", "b.txt": "", "c.tmp": "", "d.md": "", gi: "*.txt\n" });
    assert.equal(spawnSync("git", ["init", "-q", repo]).status, 0);
    writeFileSync(join(home, "real-ignore"), "*.tmp\n");
    symlinkSync(join(home, "real-ignore"), join(home, "linked-ignore"));
    const env = {
      ...process.env,
      HOME: home,
      XDG_CONFIG_HOME: join(home, ".config"),
      GIT_CONFIG_NOSYSTEM: "1",
    };
    const cases = [
      "[other]\n\texcludesFile = ~/real-ignore\n", // another section: not core.excludesFile
      "[core]\n\texcludesFile = ~/nothing\n\texcludesFile = ~/linked-ignore # the last wins\n",
      "[core]\n\texcludesfile = gi\n", // relative: from the repository's top
      "[core] excludesFile = ~/real-ignore\n", // on the header's line
      "[core]\n\texcludesFile = ~/real-\\\nignore\n", // continued on the next line
      "[core]\n\texcludesFile =\n", // set to nothing: no excludes, not even the default file
    ];
    mkdirSync(join(home, ".config", "git"), { recursive: true });
    writeFileSync(join(home, ".config", "git", "ignore"), "*.md\n");
    const saved = { HOME: process.env.HOME, XDG: process.env.XDG_CONFIG_HOME };
    try {
      process.env.HOME = home;
      process.env.XDG_CONFIG_HOME = join(home, ".config");
      for (const config of cases) {
        writeFileSync(join(home, ".gitconfig"), config);
        const git = spawnSync("git", ["ls-files", "-co", "--exclude-standard", "-z"], {
          cwd: repo,
          env,
          encoding: "utf8",
        });
        const expected = git.stdout.split("\0").filter(Boolean).sort();
        assert.deepEqual(await walked(repo, { hidden: false }), expected, config);
      }
    } finally {
      for (const [key, value] of [
        ["HOME", saved.HOME],
        ["XDG_CONFIG_HOME", saved.XDG],
      ] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  });

  it("honours the repository's info/exclude in a git worktree, where .git is a file", async () => {
    const repo = tree({ "tracked.txt": "" });
    const git = (cwd: string, ...args: string[]) =>
      assert.equal(spawnSync("git", args, { cwd, encoding: "utf8" }).status, 0, args.join(" "));
    git(repo, "init", "-q");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "add", ".");
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "one");
    const worktree = join(tempDir("rune-walk-wt-"), "wt");
    git(repo, "worktree", "add", "-q", worktree);
    writeFileSync(join(repo, ".git", "info", "exclude"), "ex.txt\n");
    writeFileSync(join(worktree, "ex.txt"), "");
    writeFileSync(join(worktree, "keep.txt"), "");
    assert.deepEqual(await walked(worktree, { hidden: false }), ["keep.txt", "tracked.txt"]);
    // A .git that is a link to the git folder kept elsewhere.
    const store = tempDir("rune-walk-store-");
    const linked = tree({ "ex.txt": "", "keep.txt": "" });
    mkdirSync(join(store, "real.git", "info"), { recursive: true });
    writeFileSync(join(store, "real.git", "info", "exclude"), "ex.txt\n");
    symlinkSync(join(store, "real.git"), join(linked, ".git"));
    assert.deepEqual(await walked(linked, { hidden: false }), ["keep.txt"]);
  });

  it("honours .git/info/exclude and .ignore files", async () => {
    const root = tree({ "a.txt": "", "secret.txt": "", "b.gen": "", ".ignore": "*.gen\n" });
    spawnSync("git", ["init", "-q", root]);
    writeFileSync(join(root, ".git", "info", "exclude"), "secret.txt\n");
    assert.deepEqual(await walked(root), [".ignore", "a.txt"]);
    assert.deepEqual(await walked(root, { ignoreFiles: false }), [".ignore", "a.txt", "b.gen", "secret.txt"]);
  });

  it("agrees with git on generated trees and ignore rules", async () => {
    const name = fc.constantFrom("a", "b", "c.log", "d.ts", "e.tmp");
    const pattern = fc.constantFrom(
      "*.log",
      "!c.log",
      "b/",
      "/a",
      "a/**/d.ts",
      "*.tmp",
      "!e.tmp",
      "b",
      "**/c.log",
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(name, { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(pattern, { maxLength: 4 }),
        fc.array(pattern, { maxLength: 3 }),
        async (paths, rootRules, nestedRules) => {
          const files: Record<string, string> = { ".gitignore": `${rootRules.join("\n")}\n` };
          for (const segments of paths) {
            // A name cannot be both a file and a folder: files get a suffix.
            files[`${segments.slice(0, -1).join("/")}${segments.length > 1 ? "/" : ""}${segments.at(-1)}.f`] =
              "";
          }
          files["a/.gitignore"] = `${nestedRules.join("\n")}\n`;
          const root = tree(files);
          assert.deepEqual(await walked(root), gitFiles(root));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("skips hidden entries by default, never enters .git, and does not follow symbolic links", async () => {
    const outside = tree({ "secret.txt": "" });
    const root = tree({ "a.txt": "", ".env": "", ".config/x": "" });
    spawnSync("git", ["init", "-q", root]);
    symlinkSync(outside, join(root, "link-out"));
    symlinkSync(join(outside, "secret.txt"), join(root, "file-link"));
    assert.deepEqual(await walked(root, { hidden: false }), ["a.txt"]);
    assert.deepEqual(await walked(root), [".config/x", ".env", "a.txt"]);
  });

  it("selects with include and exclude globs, relative to the root or by name", async () => {
    const root = tree({ "src/a.ts": "", "src/b.js": "", "test/c.ts": "", "d.ts": "" });
    assert.deepEqual(await walked(root, { include: ["*.ts"] }), ["d.ts", "src/a.ts", "test/c.ts"]);
    assert.deepEqual(await walked(root, { include: ["src/**"] }), ["src/a.ts", "src/b.js"]);
    assert.deepEqual(await walked(root, { exclude: ["test"] }), ["d.ts", "src/a.ts", "src/b.js"]);
  });

  it("applies the ignore files of the folders above where it starts", async () => {
    const root = tree({ ".gitignore": "*.gen\n", "sub/a.ts": "", "sub/b.gen": "" });
    const entries = await walkAll(join(root, "sub"), { root });
    assert.deepEqual(
      entries.map((e) => e.relative),
      ["sub/a.ts"],
    );
  });

  it("applies the ignore files above a start below the root, given as relative paths", async () => {
    const root = tree({ ".gitignore": "*.log\n", "sub/a.ts": "", "sub/b.log": "" });
    const rel = relative(process.cwd(), root);
    const found = (await walkAll(join(rel, "sub"), { root: `${rel}/` })).map((e) => e.relative);
    assert.deepEqual(found, ["sub/a.ts"]);
  });

  describe("listings kept between walks", () => {
    // Folders made by a test have just changed; a window below zero keeps them all the same.
    const window = folderListings.racyMs;
    before(() => {
      folderListings.racyMs = -1_000;
    });
    after(() => {
      folderListings.racyMs = window;
    });
    /** The walk's relative paths, and how many folders it read and reused. */
    const counted = async (root: string) => {
      const before = { ...folderListings };
      const files = await walked(root);
      return {
        files,
        read: folderListings.read - before.read,
        reused: folderListings.reused - before.reused,
      };
    };

    it("reuses an unchanged folder's listing and reads it again after an entry is added, removed or renamed", async () => {
      const root = tree({ "a/b.ts": "", "a/c.ts": "", "top.ts": "" });
      const a = join(root, "a");
      assert.deepEqual(await counted(root), { files: ["a/b.ts", "a/c.ts", "top.ts"], read: 2, reused: 0 });
      assert.deepEqual(await counted(root), { files: ["a/b.ts", "a/c.ts", "top.ts"], read: 0, reused: 2 });
      writeFileSync(join(a, "d.ts"), "");
      assert.deepEqual(await counted(root), {
        files: ["a/b.ts", "a/c.ts", "a/d.ts", "top.ts"],
        read: 1,
        reused: 1,
      });
      rmSync(join(a, "b.ts"));
      assert.deepEqual((await counted(root)).files, ["a/c.ts", "a/d.ts", "top.ts"]);
      renameSync(join(a, "c.ts"), join(a, "e.ts"));
      assert.deepEqual((await counted(root)).files, ["a/d.ts", "a/e.ts", "top.ts"]);
      // A file's content changing does not touch its folder: the listing stays, the file is read fresh.
      writeFileSync(join(a, "d.ts"), "changed");
      assert.equal((await counted(root)).reused, 2);
    });

    it("does not keep a folder changed in the last seconds, whose times may not show a second change", async () => {
      const root = tree({ "fresh/x.ts": "" });
      folderListings.racyMs = window;
      try {
        await counted(root);
        assert.deepEqual(await counted(root), { files: ["fresh/x.ts"], read: 2, reused: 0 });
      } finally {
        folderListings.racyMs = -1_000;
      }
    });

    it("reads a folder replaced by another again, even with the same modification time", async () => {
      const root = tree({ "a/old.ts": "", "other/new.ts": "" });
      const hourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(join(root, "a"), hourAgo, hourAgo);
      utimesSync(join(root, "other"), hourAgo, hourAgo);
      await counted(root);
      renameSync(join(root, "a"), join(root, "gone"));
      renameSync(join(root, "other"), join(root, "a"));
      rmSync(join(root, "gone"), { recursive: true });
      assert.deepEqual((await counted(root)).files, ["a/new.ts"]);
    });

    it("keeps listings up to a weight, and never one folder over a quarter of it", async () => {
      const files = (folder: string, n: number) =>
        Object.fromEntries(Array.from({ length: n }, (_, i) => [`${folder}/f${i}.ts`, ""]));
      const cap = folderListings.maxWeight;
      try {
        // Weights are 1 + entries. Under a cap of 20, a/, b/ and c/ (4 each) are kept; the root
        // (6) and big/ (9) weigh over a quarter of it: read every time, evicting nothing.
        folderListings.maxWeight = 20;
        const root = tree({
          ...files("a", 3),
          ...files("b", 3),
          ...files("c", 3),
          ...files("big", 8),
          "t.ts": "",
        });
        await counted(root);
        const again = await counted(root);
        assert.deepEqual([again.files.length, again.read, again.reused], [18, 2, 3]);
        // Six folders of weight 2 (12 in all): a cap of 12 keeps them all, one of 10 cannot, and
        // then the walk reads more folders but lists the same files.
        const sixFolders = () =>
          tree(Object.fromEntries(Array.from({ length: 6 }, (_, i) => [`x${i}/f.ts`, ""])));
        const small = sixFolders();
        folderListings.maxWeight = 12;
        await counted(small);
        assert.equal((await counted(small)).read, 1);
        folderListings.maxWeight = 10;
        const other = sixFolders();
        await counted(other);
        const cut = await counted(other);
        assert.equal(cut.files.length, 6);
        assert.ok(cut.read > 1, `read ${cut.read}`);
      } finally {
        folderListings.maxWeight = cap;
      }
    });

    it("reads every folder on file systems whose folder times need not follow their contents", {
      skip: process.platform !== "linux",
    }, async () => {
      // /proc: a new process's folder appears without /proc's times changing.
      const before = { ...folderListings };
      for await (const _ of walk("/proc/self/fd", { hidden: true })) break;
      for await (const _ of walk("/proc/self/fd", { hidden: true })) break;
      assert.equal(folderListings.reused - before.reused, 0);
      assert.equal(folderListings.read - before.read, 2);
    });
  });
});
