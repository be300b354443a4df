import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { pathToFileURL } from "node:url";
import {
  type DiffRequest,
  type EditorHost,
  EditorState,
  Engine,
  type OpenFileRequest,
} from "../src/engine/index.js";
import type { RequestContext, SessionHandle } from "../src/protocol/mcp/request-context.js";
import { McpServer } from "../src/protocol/mcp/server.js";
import type { CallToolResult } from "../src/protocol/mcp/types.js";
import { broadcastMentions } from "../src/tools/editor/mention-broadcast.js";
import { registerTools } from "../src/tools/index.js";
import { RUNE_MAIN } from "./helpers/paths.js";
import { connectSdkClient, tempDir } from "./helpers/sdk-client.js";

const at = (line: number, character: number) => ({ line, character });

const IDE_TOOLS = [
  "getCurrentSelection",
  "getLatestSelection",
  "getOpenEditors",
  "getWorkspaceFolders",
  "getDiagnostics",
  "checkDocumentDirty",
  "saveDocument",
  "openFile",
  "openDiff",
  "close_tab",
  "closeAllDiffTabs",
];

/** A host that records what it was asked and answers as a user would. */
class RecordingHost implements EditorHost {
  readonly name = "test editor";
  readonly calls: unknown[] = [];
  async openFile(request: OpenFileRequest) {
    this.calls.push(["openFile", request]);
  }
  async openDiff(request: DiffRequest) {
    this.calls.push(["openDiff", request]);
    return request.tabName === "reject"
      ? { accepted: false as const }
      : { accepted: true as const, contents: request.newContents };
  }
  async save(path: string) {
    this.calls.push(["save", path]);
    return true;
  }
  async closeTab(name: string) {
    this.calls.push(["closeTab", name]);
    return true;
  }
  async closeAllDiffTabs() {
    return 2;
  }
}

function context(): RequestContext {
  const session = { id: "s", clientCapabilities: {} } as unknown as SessionHandle;
  return {
    requestId: 1,
    signal: new AbortController().signal,
    session,
    meta: undefined,
    progress() {},
    log() {},
  };
}

describe("editor tools, in process against editor state", () => {
  const root = tempDir();
  const file = join(root, "a.ts");
  writeFileSync(file, "const a = 1;\nconst b = 2;\n");
  const uri = pathToFileURL(file).href;
  let engine: Engine;
  let server: McpServer;
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    await server.tools.call(name, args, context(), true);
  const text = (result: CallToolResult): string => (result.content[0] as { text: string }).text;
  const json = async (name: string, args: Record<string, unknown> = {}) =>
    JSON.parse(text(await call(name, args)));

  before(() => {
    engine = new Engine({ roots: [root], allowWrites: false, workers: 1 });
    server = new McpServer({ info: { name: "t", version: "0" } });
    registerTools(server, engine);
  });
  after(() => engine.dispose());

  it("answers headless: no active editor, no selection, and tools that act say an editor is needed", async () => {
    assert.deepEqual(await json("getCurrentSelection"), {
      success: false,
      message: "No active editor found",
    });
    assert.deepEqual(await json("getLatestSelection"), { success: false, message: "No selection available" });
    assert.deepEqual(await json("getOpenEditors"), { tabs: [] });
    for (const [name, args] of [
      ["openFile", { filePath: file }],
      ["saveDocument", { filePath: file }],
      ["close_tab", { tab_name: "x" }],
      ["closeAllDiffTabs", {}],
    ] as const) {
      const result = await call(name, args);
      assert.equal(result.isError, true, name);
      assert.match(text(result), /needs an editor.*headless.*--nvim/);
    }
  });

  it("reports the workspace folders as Claude Code expects", async () => {
    assert.deepEqual(await json("getWorkspaceFolders"), {
      success: true,
      folders: [{ name: root.split("/").pop(), uri: pathToFileURL(root).href, path: root }],
      rootPath: root,
    });
  });

  it("answers selection, editors, dirty state and diagnostics from editor state", async () => {
    const state = engine.editor;
    state.open({
      uri,
      path: file,
      text: "const a = 1;\nconst b = 2;\n",
      languageId: "typescript",
      dirty: true,
    });
    state.setActive(uri);
    state.setSelections(uri, [{ anchor: at(1, 6), active: at(1, 7) }]);
    state.setDiagnostics(uri, [
      { range: { start: at(0, 6), end: at(0, 7) }, severity: "Warning", message: "unused", source: "ts" },
    ]);
    const expected = {
      success: true,
      text: "b",
      filePath: file,
      fileUrl: uri,
      selection: { start: at(1, 6), end: at(1, 7), isEmpty: false },
    };
    assert.deepEqual(await json("getCurrentSelection"), expected);
    state.setSelections(uri, [{ anchor: at(0, 0), active: at(0, 0) }]);
    assert.equal((await json("getCurrentSelection")).selection.isEmpty, true);
    assert.deepEqual(await json("getLatestSelection"), expected);
    const { tabs } = await json("getOpenEditors");
    assert.equal(tabs.length, 1);
    assert.deepEqual(
      {
        uri: tabs[0].uri,
        isActive: tabs[0].isActive,
        label: tabs[0].label,
        languageId: tabs[0].languageId,
        isDirty: tabs[0].isDirty,
      },
      { uri, isActive: true, label: "a.ts", languageId: "typescript", isDirty: true },
    );
    assert.deepEqual(await json("checkDocumentDirty", { filePath: file }), {
      success: true,
      filePath: file,
      isDirty: true,
      isUntitled: false,
    });
    assert.deepEqual(await json("checkDocumentDirty", { filePath: "/nope" }), {
      success: false,
      message: "Document not open: /nope",
    });
    const diagnostics = [
      {
        uri,
        diagnostics: [
          { message: "unused", severity: "Warning", range: { start: at(0, 6), end: at(0, 7) }, source: "ts" },
        ],
      },
    ];
    assert.deepEqual(await json("getDiagnostics"), diagnostics);
    assert.deepEqual(await json("getDiagnostics", { uri }), diagnostics);
  });

  it("asks the attached editor to open, diff, save and close, answering in the IDE shapes", async () => {
    const host = new RecordingHost();
    engine.editor.attachHost(host);
    try {
      assert.equal(text(await call("openFile", { filePath: "a.ts", startLine: 2 })), `Opened file: ${file}`);
      assert.deepEqual(await json("openFile", { filePath: file, makeFrontmost: false }), {
        success: true,
        filePath: file,
        languageId: "typescript",
        lineCount: 3,
      });
      const saved = await call("openDiff", {
        old_file_path: file,
        new_file_path: file,
        new_file_contents: "x",
        tab_name: "t",
      });
      assert.deepEqual(saved.content, [
        { type: "text", text: "FILE_SAVED" },
        { type: "text", text: "x" },
      ]);
      const rejected = await call("openDiff", {
        old_file_path: file,
        new_file_path: file,
        new_file_contents: "x",
        tab_name: "reject",
      });
      assert.equal(text(rejected), "DIFF_REJECTED");
      assert.deepEqual(await json("saveDocument", { filePath: file }), {
        success: true,
        filePath: file,
        saved: true,
        message: "Document saved successfully",
      });
      assert.equal(text(await call("close_tab", { tab_name: "t" })), "TAB_CLOSED");
      assert.equal(text(await call("closeAllDiffTabs")), "CLOSED_2_DIFF_TABS");
      assert.deepEqual(host.calls[0], ["openFile", { path: file, background: false, startLine: 2 }]);
      const outside = await call("openFile", { filePath: "/etc/passwd" });
      assert.equal(outside.isError, true);
    } finally {
      engine.editor.attachHost(undefined);
    }
  });

  it("sets several cursors in one batch, lists the history and returns transform edits", async () => {
    const set = await call("set_selections", {
      updates: [
        {
          filePath: file,
          selections: [
            { anchor: at(0, 0), active: at(0, 5) },
            { anchor: at(1, 0), active: at(1, 5) },
          ],
        },
      ],
    });
    assert.deepEqual(
      (
        set.structuredContent as { documents: { selections: { text: string }[] }[] }
      ).documents[0]?.selections.map((s) => s.text),
      ["const", "const"],
    );
    const transformed = await call("transform_selection", { transform: "upper" });
    assert.deepEqual((transformed.structuredContent as { edits: unknown[] }).edits, [
      { range: { start: at(0, 0), end: at(0, 5) }, newText: "CONST" },
      { range: { start: at(1, 0), end: at(1, 5) }, newText: "CONST" },
    ]);
    const history = (await call("selection_history", { limit: 2 })).structuredContent as {
      entries: { primary: { text: string }; cursors: number }[];
    };
    assert.equal(history.entries[0]?.cursors, 2);
    const bad = await call("transform_selection", {
      transform: "regex-replace",
      pattern: "(",
      replacement: "",
    });
    assert.equal(bad.isError, true);
    const context = (await call("editor_context", { budgetTokens: 1000 })).structuredContent as {
      activeFile: string;
      diagnostics: unknown[];
    };
    assert.equal(context.activeFile, file);
    assert.equal(context.diagnostics.length, 1);
  });
});

describe("editor tools over stdio", () => {
  it("lists the Claude Code IDE tools with their exact names and input schemas on an ordinary MCP endpoint", async () => {
    const root = tempDir();
    const { client, close } = await connectSdkClient(process.execPath, [
      RUNE_MAIN,
      "serve",
      root,
      "--log-level",
      "error",
    ]);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      for (const name of [
        ...IDE_TOOLS,
        "selection_history",
        "set_selections",
        "transform_selection",
        "editor_context",
      ]) {
        assert.ok(names.includes(name), `${name} is listed`);
      }
      const openDiff = tools.find((t) => t.name === "openDiff");
      assert.deepEqual(openDiff?.inputSchema.required, [
        "old_file_path",
        "new_file_path",
        "new_file_contents",
        "tab_name",
      ]);
      const result = await client.callTool({ name: "getCurrentSelection", arguments: {} });
      assert.deepEqual(result.content, [
        { type: "text", text: '{"success":false,"message":"No active editor found"}' },
      ]);
    } finally {
      await close();
    }
  });
});

describe("at_mentioned broadcast", () => {
  it("sends mentions to connected IDE clients, holds them while none is, and drops held ones grown stale", () => {
    const state = new EditorState();
    const server = new McpServer({ info: { name: "t", version: "1" } });
    const sent: unknown[] = [];
    const target = {
      clientCount: 0,
      broadcast: (method: string, params: unknown) => sent.push([method, params]),
    };
    let clock = 1_000;
    broadcastMentions(state, target, server, { holdMs: 100, now: () => clock });
    const session = {} as never;
    state.mention({ path: "/w/old.ts" });
    clock += 60;
    state.mention({ path: "/w/a.ts", lineStart: 2, lineEnd: 5 });
    server.hooks.onInitialized?.(session);
    assert.deepEqual(sent, [], "no IDE client yet: a stdio or HTTP session initializing changes nothing");
    target.clientCount = 1;
    clock += 60;
    server.hooks.onInitialized?.(session);
    assert.deepEqual(sent, [["at_mentioned", { filePath: "/w/a.ts", lineStart: 2, lineEnd: 5 }]]);
    state.mention({ path: "/w/src/" });
    assert.deepEqual(sent.at(-1), ["at_mentioned", { filePath: "/w/src/" }]);
    server.hooks.onInitialized?.(session);
    assert.equal(sent.length, 2);
  });
});
