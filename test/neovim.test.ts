import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import WebSocket from "ws";
import { type HeadlessNvim, startNvim, until } from "./helpers/headless-nvim.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { type Connected, connectSdkClient, tempDir } from "./helpers/sdk-client.js";

type Json = Record<string, unknown>;

const FILES = {
  "wide.txt": "héllo 世界\n\tline two\nthird line\n",
  "block.txt": "abcdefgh\na世界bcdef\nab\tcdefg\n",
  "code.ts": "const a = 1;\nconst b = 2;\nconst c = 3;\nexport { a, b, c };\n",
};

/** The JSON an IDE tool answers with, parsed from its one text block. */
async function ideCall(c: Connected, name: string, args: Json = {}): Promise<Json> {
  const result = await c.client.callTool({ name, arguments: args });
  const content = result.content as { type: string; text: string }[];
  assert.equal(content[0]?.type, "text");
  return JSON.parse(content[0]?.text ?? "null") as Json;
}

async function texts(c: Connected, name: string, args: Json): Promise<string[]> {
  const result = await c.client.callTool({ name, arguments: args });
  return (result.content as { text: string }[]).map((b) => b.text);
}

describe("Neovim attached with `rune serve --nvim`, through the official SDK client", () => {
  const root = tempDir();
  const config = tempDir();
  let nvim: HeadlessNvim;
  let c: Connected;
  const path = (name: keyof typeof FILES) => join(root, name);

  before(async () => {
    for (const [name, text] of Object.entries(FILES)) writeFileSync(join(root, name), text);
    nvim = await startNvim(root);
    c = await connectSdkClient(
      process.execPath,
      [
        RUNE_MAIN,
        "serve",
        "--nvim",
        nvim.socket,
        "--ide",
        "--stdio",
        "--no-watch",
        "--log-level",
        "warn",
        root,
      ],
      {},
      { CLAUDE_CONFIG_DIR: config },
    );
  });
  after(async () => {
    await c?.close();
    await nvim?.close();
  });

  /** Waits until getCurrentSelection reports `text`. */
  const selected = (text: string) =>
    until(
      async () => {
        const answer = await ideCall(c, "getCurrentSelection");
        return answer.text === text ? answer : undefined;
      },
      `getCurrentSelection to report ${JSON.stringify(text)}`,
    );

  it("reports a visual character selection over wide characters in UTF-16 positions", async () => {
    await nvim.driver.command(`edit ${path("wide.txt")}`);
    await nvim.driver.input("lv5l");
    const answer = await selected("éllo 世");
    assert.deepEqual(answer, {
      success: true,
      text: "éllo 世",
      filePath: path("wide.txt"),
      fileUrl: pathToFileURL(path("wide.txt")).href,
      selection: { start: { line: 0, character: 1 }, end: { line: 0, character: 7 }, isEmpty: false },
    });
  });

  it("reports linewise (V) and block (CTRL-V) selections, with tabs and wide characters", async () => {
    await nvim.driver.input("<Esc>jVj");
    const lines = await selected("\tline two\nthird line");
    assert.deepEqual(lines.selection, {
      start: { line: 1, character: 0 },
      end: { line: 2, character: 10 },
      isEmpty: false,
    });
    await nvim.driver.command(`edit ${path("block.txt")}`);
    // From "b" down two lines and three characters right: the cursor ends on "d" after a tab, at
    // display column 9, so every line is cut at columns 1-9 (wide characters count two).
    await nvim.driver.input("gg0l<C-v>2j3l");
    const history = await until(async () => {
      const result = await c.client.callTool({ name: "selection_history", arguments: { limit: 1 } });
      const entry = (result.structuredContent as { entries: Json[] }).entries[0] as Json | undefined;
      const primary = entry?.primary as Json | undefined;
      return primary?.mode === "block" ? primary : undefined;
    }, "a block selection in the history");
    assert.equal(history.text, "bcdefgh\n世界bcdef\nb\tcd");
    // The block as one range per line, as a multi-cursor editor would show it (UTF-16 characters).
    assert.deepEqual(history.ranges, [
      { start: { line: 0, character: 1 }, end: { line: 0, character: 8 } },
      { start: { line: 1, character: 1 }, end: { line: 1, character: 8 } },
      { start: { line: 2, character: 1 }, end: { line: 2, character: 5 } },
    ]);
    // The same text Neovim itself yanks from that block.
    await nvim.driver.input('"ay');
    assert.equal(await nvim.driver.callFunction("getreg", ["a"]), history.text);
  });

  it("answers getOpenEditors, checkDocumentDirty and saveDocument from what Neovim reports", async () => {
    await nvim.driver.input("<Esc>");
    await nvim.driver.command(`edit ${path("code.ts")}`);
    await nvim.driver.input("ggAx<Esc>");
    const editors = await until(async () => {
      const answer = (await ideCall(c, "getOpenEditors")) as { tabs: Json[] };
      const tab = answer.tabs.find((t) => t.fileName === path("code.ts"));
      return tab?.isDirty === true && tab.isActive === true ? answer : undefined;
    }, "code.ts to be active and dirty");
    assert.deepEqual(editors.tabs.map((t) => t.label).sort(), ["block.txt", "code.ts", "wide.txt"]);
    const tab = editors.tabs.find((t) => t.label === "code.ts") as Json;
    assert.equal(tab.languageId, "typescript");
    assert.equal(tab.lineCount, 5);
    assert.deepEqual(await ideCall(c, "checkDocumentDirty", { filePath: path("code.ts") }), {
      success: true,
      filePath: path("code.ts"),
      isDirty: true,
      isUntitled: false,
    });
    const saved = await ideCall(c, "saveDocument", { filePath: path("code.ts") });
    assert.equal(saved.success, true);
    assert.equal(readFileSync(path("code.ts"), "utf8"), FILES["code.ts"].replace(";\n", ";x\n"));
    await until(
      async () => (await ideCall(c, "checkDocumentDirty", { filePath: path("code.ts") })).isDirty === false,
      "code.ts to be clean after saving",
    );
  });

  it("reports vim.diagnostic entries with UTF-16 columns, most severe first", async () => {
    await nvim.driver.command(`edit ${path("wide.txt")}`);
    await nvim.driver.executeLua(
      `local ns = vim.api.nvim_create_namespace("rune-test")
       vim.diagnostic.set(ns, 0, {
         { lnum = 2, col = 0, end_lnum = 2, end_col = 5, severity = vim.diagnostic.severity.WARN, message = "third", source = "test" },
         { lnum = 0, col = 1, end_lnum = 0, end_col = 3, severity = vim.diagnostic.severity.ERROR, message = "accent", code = 42 },
       })`,
      [],
    );
    const answer = (await until(async () => {
      const list = (await ideCall(c, "getDiagnostics", {
        uri: pathToFileURL(path("wide.txt")).href,
      })) as never as Json[];
      return (list[0]?.diagnostics as Json[] | undefined)?.length === 2 ? list : undefined;
    }, "two diagnostics")) as Json[];
    assert.deepEqual(answer, [
      {
        uri: pathToFileURL(path("wide.txt")).href,
        diagnostics: [
          {
            message: "accent",
            severity: "Error",
            range: { start: { line: 0, character: 1 }, end: { line: 0, character: 2 } },
            code: "42",
          },
          {
            message: "third",
            severity: "Warning",
            range: { start: { line: 2, character: 0 }, end: { line: 2, character: 5 } },
            source: "test",
          },
        ],
      },
    ]);
  });

  it("opens a file in Neovim with openFile, selecting the lines asked for", async () => {
    assert.deepEqual(await texts(c, "openFile", { filePath: path("code.ts"), startLine: 2, endLine: 3 }), [
      `Opened file: ${path("code.ts")}`,
    ]);
    assert.equal(await nvim.driver.commandOutput("echo expand('%:p')"), path("code.ts"));
    await selected("const b = 2;\nconst c = 3;");
    assert.equal((await nvim.driver.mode).mode, "V");
    await nvim.driver.input("<Esc>");
  });

  it("blocks openDiff until the proposal is written (FILE_SAVED) or its tab closed (DIFF_REJECTED)", async () => {
    const proposal = "const a = 10;\n";
    const accepted = texts(c, "openDiff", {
      old_file_path: path("code.ts"),
      new_file_path: path("code.ts"),
      new_file_contents: proposal,
      tab_name: "proposal one",
    });
    await until(
      async () => String(await nvim.driver.commandOutput("echo bufname('%')")).startsWith("rune-diff://"),
      "the diff's proposal buffer",
    );
    await nvim.driver.input("ccconst a = 11;<Esc>");
    await nvim.driver.command("write");
    assert.deepEqual(await accepted, ["FILE_SAVED", "const a = 11;\n"]);
    assert.deepEqual(await texts(c, "close_tab", { tab_name: "proposal one" }), ["TAB_CLOSED"]);
    assert.equal((await nvim.driver.tabpages).length, 1);

    const rejected = texts(c, "openDiff", {
      old_file_path: path("code.ts"),
      new_file_path: path("code.ts"),
      new_file_contents: proposal,
      tab_name: "proposal two",
    });
    await until(async () => (await nvim.driver.tabpages).length === 2, "the second diff's tab");
    assert.deepEqual(await texts(c, "closeAllDiffTabs", {}), ["CLOSED_1_DIFF_TABS"]);
    assert.deepEqual(await rejected, ["DIFF_REJECTED", "proposal two"]);
  });

  // Before any other IDE client has connected: a closing one would still count as connected.
  it("holds a mention made before any IDE client connects, and sends it once one has initialized", async () => {
    await nvim.driver.command(`RuneAdd ${path("code.ts")} 4`);
    // Rune has it (editor_context lists it) though no IDE client was there to hear it.
    await until(async () => {
      const context = await c.client.callTool({ name: "editor_context", arguments: { budgetTokens: 2_000 } });
      const first = (context.structuredContent as { mentions: Json[] }).mentions[0];
      return first?.startLine === 4 && first.filePath === path("code.ts");
    }, "the mention in editor_context");
    const lockDir = join(config, "ide");
    const lockName = readdirSync(lockDir).find((f) => f.endsWith(".lock")) as string;
    const lock = JSON.parse(readFileSync(join(lockDir, lockName), "utf8")) as { authToken: string };
    const ws = new WebSocket(`ws://127.0.0.1:${lockName.replace(".lock", "")}`, ["mcp"], {
      headers: { "x-claude-code-ide-authorization": lock.authToken },
    });
    const messages: Json[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString()) as Json));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: initialize }));
      await until(() => messages.some((m) => m.id === 1), "the initialize answer");
      assert.equal(messages.filter((m) => m.method === "at_mentioned").length, 0);
      ws.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
      const held = await until(
        () => messages.find((m) => m.method === "at_mentioned"),
        "the held at_mentioned",
      );
      assert.deepEqual(held.params, { filePath: path("code.ts"), lineStart: 3, lineEnd: 3 });
    } finally {
      ws.close();
    }
  });

  it("sends selection_changed to IDE WebSocket clients, which see the same tools", async () => {
    const lockDir = join(config, "ide");
    const lockName = readdirSync(lockDir).find((f) => f.endsWith(".lock")) as string;
    const lock = JSON.parse(readFileSync(join(lockDir, lockName), "utf8")) as { authToken: string };
    const ws = new WebSocket(`ws://127.0.0.1:${lockName.replace(".lock", "")}`, ["mcp"], {
      headers: { "x-claude-code-ide-authorization": lock.authToken },
    });
    const messages: Json[] = [];
    ws.on("message", (data) => messages.push(JSON.parse(data.toString()) as Json));
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      ws.send(JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: initialize }));
      await until(() => messages.some((m) => m.id === 1), "the initialize answer");
      ws.send(JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }));
      await nvim.driver.command(`edit ${path("wide.txt")}`);
      await nvim.driver.input("gg0v$");
      const notification = await until(
        () =>
          messages.find(
            (m) => m.method === "selection_changed" && (m.params as Json).text === "héllo 世界\n",
          ),
        "selection_changed with the visual selection",
      );
      assert.deepEqual((notification.params as Json).selection, {
        start: { line: 0, character: 0 },
        end: { line: 1, character: 0 },
        isEmpty: false,
      });
      ws.send(
        JSON.stringify({
          jsonrpc: "2.0",
          id: 2,
          method: "tools/call",
          params: { name: "getCurrentSelection", arguments: {} },
        }),
      );
      const answer = await until(
        () => messages.find((m) => m.id === 2),
        "getCurrentSelection over the IDE endpoint",
      );
      const text = ((answer.result as Json).content as { text: string }[])[0]?.text ?? "";
      assert.equal((JSON.parse(text) as Json).text, "héllo 世界\n");
      await nvim.driver.input("<Esc>");
    } finally {
      ws.close();
    }
  });

  it("shows what set_selections sets in Neovim, as the same text Neovim itself yanks", async () => {
    const result = await c.client.callTool({
      name: "set_selections",
      arguments: {
        updates: [
          {
            filePath: path("wide.txt"),
            selections: [{ anchor: { line: 0, character: 1 }, active: { line: 1, character: 2 } }],
          },
        ],
      },
    });
    assert.equal(result.isError, undefined);
    await selected("éllo 世界\n\tl");
    assert.equal((await nvim.driver.mode).mode, "v");
    await nvim.driver.input('"by');
    assert.equal(await nvim.driver.callFunction("getreg", ["b"]), "éllo 世界\n\tl");
  });

  it("follows buffers closed, reopened, and reloaded after a change on disk", async () => {
    const labels = async () =>
      ((await ideCall(c, "getOpenEditors")) as { tabs: Json[] }).tabs.map((t) => t.label);
    await nvim.driver.command(`bdelete ${path("block.txt")}`);
    await until(async () => !(await labels()).includes("block.txt"), "block.txt to be closed");
    writeFileSync(path("block.txt"), "changed on disk\n");
    await nvim.driver.command(`edit ${path("block.txt")}`);
    await nvim.driver.input("ggV");
    await selected("changed on disk");
    writeFileSync(path("block.txt"), "reloaded\nfrom disk\n");
    await nvim.driver.input("<Esc>");
    await nvim.driver.command("edit!");
    await nvim.driver.input("ggVj");
    await selected("reloaded\nfrom disk");
    await nvim.driver.input("<Esc>");
  });

  it("sends :RuneSend and :RuneAdd to IDE clients as at_mentioned, 0-based, and lists them in editor_context", async () => {
    const lockDir = join(config, "ide");
    const lockName = readdirSync(lockDir).find((f) => f.endsWith(".lock")) as string;
    const lock = JSON.parse(readFileSync(join(lockDir, lockName), "utf8")) as { authToken: string };
    const ws = new WebSocket(`ws://127.0.0.1:${lockName.replace(".lock", "")}`, ["mcp"], {
      headers: { "x-claude-code-ide-authorization": lock.authToken },
    });
    const mentions: Json[] = [];
    ws.on("message", (data) => {
      const message = JSON.parse(data.toString()) as Json;
      if (message.method === "at_mentioned") mentions.push(message);
    });
    await new Promise((resolve, reject) => ws.once("open", resolve).once("error", reject));
    try {
      await nvim.driver.command(`edit ${path("code.ts")}`);
      // A visual selection over lines 2-3, sent as a user would: `:` from visual mode gives '<,'>.
      await nvim.driver.input("<Esc>2GVj:RuneSend<CR>");
      await until(() => mentions.length === 1, "at_mentioned for the visual range");
      assert.deepEqual(mentions[0], {
        jsonrpc: "2.0",
        method: "at_mentioned",
        params: { filePath: path("code.ts"), lineStart: 1, lineEnd: 2 },
      });
      await nvim.driver.command("RuneSend");
      await nvim.driver.command(`RuneAdd ${path("wide.txt")} 3`);
      await nvim.driver.command(`RuneAdd ${root}`);
      await until(() => mentions.length === 4, "three more at_mentioned");
      assert.deepEqual(
        mentions.slice(1).map((m) => m.params),
        [
          { filePath: path("code.ts") },
          { filePath: path("wide.txt"), lineStart: 2, lineEnd: 2 },
          { filePath: `${root}/` },
        ],
      );
      // A bad command is refused in Neovim, saying why, and nothing is sent.
      await assert.rejects(nvim.driver.command(`RuneAdd ${path("wide.txt")} 3 1`), /usage :RuneAdd \{file\}/);
      await assert.rejects(
        nvim.driver.command(`RuneAdd ${join(root, "missing.txt")}`),
        /no such file: .*missing/,
      );
      const context = await c.client.callTool({ name: "editor_context", arguments: { budgetTokens: 2_000 } });
      const packed = context.structuredContent as { mentions: Json[] };
      assert.deepEqual(packed.mentions.slice(0, 4), [
        { filePath: `${root}/` },
        { filePath: path("wide.txt"), startLine: 3, endLine: 3, text: "third line", truncated: false },
        { filePath: path("code.ts") },
        {
          filePath: path("code.ts"),
          startLine: 2,
          endLine: 3,
          text: "const b = 2;\nconst c = 3;",
          truncated: false,
        },
      ]);
      assert.equal(mentions.length, 4);
    } finally {
      await new Promise((resolve) => {
        ws.once("close", resolve);
        ws.close();
      });
    }
  });

  it("keeps serving headless when Neovim exits, and says an editor is needed", async () => {
    await nvim.close();
    const result = await until(async () => {
      const answer = await c.client.callTool({ name: "openFile", arguments: { filePath: path("code.ts") } });
      return answer.isError ? answer : undefined;
    }, "openFile to refuse without an editor");
    assert.match((result.content as { text: string }[])[0]?.text ?? "", /needs an editor/);
    // What Neovim last reported is still answered from memory.
    assert.equal((await ideCall(c, "getLatestSelection")).success, true);
  });
});

describe("rune serve --nvim with no Neovim at the address", () => {
  it("exits with status 2 and says how to start Neovim", () => {
    const root = tempDir();
    const result = spawnSync(
      process.execPath,
      [RUNE_MAIN, "serve", "--nvim", join(root, "none.sock"), root],
      {
        encoding: "utf8",
        input: "",
      },
    );
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /cannot connect to Neovim at .*none\.sock \(ENOENT\): start Neovim with `nvim --listen/,
    );
  });
});

const initialize = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "rune-tests", version: "1.0.0" },
};
