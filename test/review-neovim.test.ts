import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NeovimAdapter } from "../src/editors/neovim/neovim-adapter.js";
import { EditorState, fileUri } from "../src/engine/index.js";
import { silentLogger } from "../src/protocol/logger.js";
import { type HeadlessNvim, startNvim, until } from "./helpers/headless-nvim.js";
import { tempDir } from "./helpers/sdk-client.js";

describe("review: Neovim line sync refuses changes that do not fit the text, and resyncs", () => {
  const root = tempDir();
  const file = join(root, "small.txt");
  const state = new EditorState();
  let nvim: HeadlessNvim;
  let adapter: NeovimAdapter;

  before(async () => {
    writeFileSync(file, "one\ntwo\nthree\nfour\nfive\n");
    nvim = await startNvim(root);
    await nvim.driver.command(`edit ${file}`);
    adapter = await NeovimAdapter.connect({ socket: nvim.socket, state, logger: silentLogger });
  });
  after(async () => {
    await adapter?.close();
    await nvim?.close();
  });

  /** The buffer's text as Rune should hold it. */
  async function bufferText(): Promise<string> {
    const buffer = await nvim.driver.buffer;
    const lines = (await buffer.getLines({ start: 0, end: -1, strictIndexing: false })) as string[];
    return lines.length === 1 && lines[0] === "" ? "" : `${lines.join("\n")}\n`;
  }

  async function inStep(what: string): Promise<void> {
    await until(async () => state.document(fileUri(file))?.text === (await bufferText()), what);
  }

  /** A lines report as the Lua side would send it, with whatever fields a bug might give. */
  async function report(fields: string): Promise<void> {
    await nvim.driver.executeLua(
      `vim.rpcnotify(_G.__rune.chan, "rune", "lines", { buf = vim.api.nvim_get_current_buf(), tick = vim.api.nvim_buf_get_changedtick(0), ${fields} })`,
      [],
    );
  }

  for (const [name, fields] of [
    ["a range past the end", `first = 2, last = 40, lines = { "bogus" }`],
    ["a first line past the end", `first = 40, last = 41, lines = { "bogus" }`],
    ["a range that ends before it starts", `first = 3, last = 1, lines = { "bogus" }`],
    ["a negative line", `first = -2, last = 1, lines = { "bogus" }`],
    ["a fractional line", `first = 1.5, last = 2, lines = { "bogus" }`],
    ["lines that are not strings", `first = 1, last = 2, lines = { 1, 2 }`],
  ] as const) {
    it(`refuses ${name}, and the text comes back in step with the buffer`, async () => {
      await inStep("attaching");
      const before = adapter.received.wholeBuffers;
      await report(fields);
      // The refused report makes Rune ask for the whole buffer again.
      await until(() => adapter.received.wholeBuffers > before, "a resync");
      await inStep(`a report with ${name}`);
      assert.equal(state.document(fileUri(file))?.text.includes("bogus"), false);
    });
  }

  it("follows edits after a line holding a lone carriage return (Neovim does not break lines there)", async () => {
    await nvim.driver.buffer.then((b) =>
      b.setLines(["a\rb", "second", "third"], { start: 0, end: -1, strictIndexing: false }),
    );
    await inStep("setting lines with a lone CR");
    await nvim.driver.input("3G0ixyz<Esc>");
    await inStep("typing on the third line");
    await nvim.driver.input("2Gdd");
    await inStep("deleting the second line");
  });

  it("follows a line opened below the one empty line of an emptied buffer", async () => {
    await nvim.driver.command("%delete");
    await inStep("deleting every line");
    await nvim.driver.input("obelow<Esc>");
    await inStep("opening a line below the empty one");
    assert.equal(state.document(fileUri(file))?.text, "\nbelow\n");
    assert.equal(adapter.refusedChanges, 6);
  });
});
