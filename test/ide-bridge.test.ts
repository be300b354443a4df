import assert from "node:assert/strict";
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import { IdeBridge, type IdeMention, type IdeSelection } from "../src/editors/claude-ide/ide-bridge.js";
import { discoverIdeServers } from "../src/editors/claude-ide/ide-discovery.js";
import { type HeadlessNvim, startNvim, until } from "./helpers/headless-nvim.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { tempDir } from "./helpers/sdk-client.js";

describe("IDE server discovery from lock files", () => {
  it("keeps live ws servers of the workspace, newest first, and skips stale, foreign and malformed locks", () => {
    const dir = join(tempDir(), "ide");
    mkdirSync(dir);
    const workspace = tempDir();
    const dead = spawnSync(process.execPath, ["-e", "process.pid"]).pid as number;
    const lock = (port: number, fields: Record<string, unknown>) =>
      writeFileSync(
        join(dir, `${port}.lock`),
        JSON.stringify({
          pid: process.pid,
          workspaceFolders: [workspace],
          ideName: "X",
          transport: "ws",
          authToken: "t",
          ...fields,
        }),
      );
    lock(1001, { ideName: "live" });
    lock(1002, { ideName: "parent folder", workspaceFolders: [join(workspace, "..")] });
    lock(1003, { ideName: "dead", pid: dead });
    lock(1004, { ideName: "elsewhere", workspaceFolders: ["/nowhere/else"] });
    lock(1005, { ideName: "sse", transport: "sse" });
    lock(1006, { ideName: "no token", authToken: 7 });
    writeFileSync(join(dir, "1007.lock"), "{ not json");
    writeFileSync(join(dir, "notes.txt"), "{}");
    const names = discoverIdeServers({ lockDirectory: dir, workspace }).map((s) => s.ideName);
    assert.deepEqual(names.sort(), ["live", "parent folder"]);
    assert.equal(discoverIdeServers({ lockDirectory: join(dir, "missing") }).length, 0);
  });
});

describe("the Claude-IDE bridge against Rune's IDE endpoint in another process, fed by Neovim", () => {
  const root = tempDir();
  const config = tempDir();
  const file = join(root, "notes.md");
  let nvim: HeadlessNvim;
  let rune: ChildProcess;
  let bridge: IdeBridge;

  before(async () => {
    writeFileSync(file, "# Notes\nfirst point\nsecond point\n");
    nvim = await startNvim(root);
    rune = spawn(
      process.execPath,
      [RUNE_MAIN, "serve", "--ide", "--nvim", nvim.socket, "--no-watch", "--log-level", "warn", root],
      { env: { ...process.env, CLAUDE_CONFIG_DIR: config }, stdio: ["ignore", "ignore", "inherit"] },
    );
    const [server] = await until(() => {
      const found = discoverIdeServers({ lockDirectory: join(config, "ide"), workspace: root });
      return found.length > 0 ? found : undefined;
    }, "Rune's lock file");
    assert.equal(server?.pid, rune.pid);
    bridge = await IdeBridge.connect(server as NonNullable<typeof server>);
  });
  after(async () => {
    await bridge?.close();
    rune?.kill();
    await nvim?.close();
  });

  it("reads the selection, hears selection_changed, and reads open editors and diagnostics", async () => {
    const heard: IdeSelection[] = [];
    bridge.onSelectionChanged((s) => heard.push(s));
    await nvim.driver.command(`edit ${file}`);
    await nvim.driver.input("jVj");
    const selection = await until(async () => {
      const s = await bridge.currentSelection();
      return s?.text === "first point\nsecond point" ? s : undefined;
    }, "the bridge to read the linewise selection");
    assert.deepEqual(selection.selection, {
      start: { line: 1, character: 0 },
      end: { line: 2, character: 12 },
      isEmpty: false,
    });
    await until(() => heard.find((s) => s.text === selection.text), "selection_changed through the bridge");
    assert.equal((await bridge.latestSelection())?.filePath, file);

    const tabs = await bridge.openEditors();
    assert.deepEqual(
      tabs.map((t) => [t.label, t.isActive, t.languageId]),
      [["notes.md", true, "markdown"]],
    );

    await nvim.driver.executeLua(
      `vim.diagnostic.set(vim.api.nvim_create_namespace("t"), 0, {{ lnum = 0, col = 2, severity = 2, message = "heading" }})`,
      [],
    );
    const diagnostics = await until(async () => {
      const all = await bridge.diagnostics();
      return all.length > 0 ? all : undefined;
    }, "diagnostics through the bridge");
    assert.deepEqual(diagnostics, [
      {
        uri: pathToFileURL(file).href,
        diagnostics: [
          {
            message: "heading",
            severity: "Warning",
            range: { start: { line: 0, character: 2 }, end: { line: 0, character: 2 } },
          },
        ],
      },
    ]);
  });

  it("hears at_mentioned when the user sends lines with :RuneSend", async () => {
    const heard: IdeMention[] = [];
    const off = bridge.onMentioned((m) => heard.push(m));
    await nvim.driver.command(`edit ${file}`);
    await nvim.driver.command("2,3RuneSend");
    await until(() => heard.length > 0, "at_mentioned through the bridge");
    off();
    assert.deepEqual(heard, [{ filePath: file, lineStart: 1, lineEnd: 2 }]);
  });

  it("refuses to connect with the wrong token, saying so", async () => {
    const [server] = discoverIdeServers({ lockDirectory: join(config, "ide"), workspace: root });
    await assert.rejects(
      IdeBridge.connect({ ...(server as NonNullable<typeof server>), authToken: "wrong" }),
      /refused the connection \(HTTP 401\)/,
    );
  });
});
