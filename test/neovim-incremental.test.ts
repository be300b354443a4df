import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { NeovimAdapter } from "../src/editors/neovim/neovim-adapter.js";
import { EditorState, fileUri } from "../src/engine/index.js";
import { silentLogger } from "../src/protocol/logger.js";
import { type HeadlessNvim, startNvim, until } from "./helpers/headless-nvim.js";
import { tempDir } from "./helpers/sdk-client.js";

/** 20,000 lines of 100 characters: a 2 MB buffer, large enough that a whole-text resend shows. */
const LINES = 20_000;

describe("Neovim buffer text, followed line by line", () => {
  const root = tempDir();
  const file = join(root, "big.txt");
  const state = new EditorState();
  let nvim: HeadlessNvim;
  let adapter: NeovimAdapter;

  before(async () => {
    writeFileSync(file, `${Array.from({ length: LINES }, (_, i) => `${i}`.padEnd(100, "x")).join("\n")}\n`);
    nvim = await startNvim(root);
    await nvim.driver.command(`edit ${file}`);
    adapter = await NeovimAdapter.connect({ socket: nvim.socket, state, logger: silentLogger });
  });
  after(async () => {
    await adapter?.close();
    await nvim?.close();
  });

  /** Waits until the engine holds exactly what the buffer holds, at the buffer's changedtick. */
  async function inStep(what: string): Promise<void> {
    const buffer = await nvim.driver.buffer;
    await until(async () => {
      const document = state.document(fileUri(file));
      if (!document) return false;
      const tick = (await nvim.driver.request("nvim_buf_get_changedtick", [buffer])) as number;
      const lines = (await buffer.getLines({ start: 0, end: -1, strictIndexing: false })) as string[];
      // Neovim reports a buffer emptied by deletion as no lines at all (it writes an empty file).
      const text = lines.length === 1 && lines[0] === "" ? "" : `${lines.join("\n")}\n`;
      return document.version === tick && document.text === text;
    }, `the engine's text to equal the buffer's after ${what}`);
  }

  it("receives the whole buffer once, then only the lines each edit changes", async () => {
    await inStep("attaching");
    // The cursor report builds the line index once; no edit below may build it again.
    await until(() => state.selection(fileUri(file)), "the cursor report");
    const document = state.document(fileUri(file));
    assert.ok(document);
    const builds = document.lineIndexBuilds;
    assert.equal(adapter.received.wholeBuffers, 1);
    const before = { ...adapter.received };

    await nvim.driver.input("10000G0ihello world<Esc>");
    await inStep("typing in the middle");
    const typed = adapter.received.changes - before.changes;
    assert.ok(typed >= 1);
    // Each change carries the one line typed in (at most 111 characters), never the 2 MB buffer.
    assert.equal(adapter.received.lines - before.lines, typed);
    assert.ok(adapter.received.characters - before.characters <= typed * 111);
    assert.equal(adapter.received.wholeBuffers, 1);
    assert.equal(document.lines.lineText(9_999), `hello world${"9999".padEnd(100, "x")}`);

    await nvim.driver.callFunction("setreg", ["a", ["pasted one", "pasted two", "pasted three"], "l"]);
    await nvim.driver.input('5000G"ap');
    await inStep("a linewise paste of three lines");
    await nvim.driver.input("u");
    await inStep("undo");
    await nvim.driver.input("<C-r>");
    await inStep("redo");
    await nvim.driver.command("$-2,$delete");
    await inStep("deleting the last three lines");
    await nvim.driver.input("Golast line<Esc>");
    await inStep("appending a line at the end");
    await nvim.driver.command("100,110s/^1/ONE/");
    await inStep("a substitution over a range");
    await nvim.driver.input("ggJ");
    await inStep("joining the first two lines");
    // A command that changes 2,000 lines one by one: its changes arrive merged, as one message.
    const burst = adapter.received.changes;
    await nvim.driver.command("3000,4999g/^/s/$/!/");
    await inStep(":g changing 2,000 lines one at a time");
    assert.equal(adapter.received.changes - burst, 1);
    assert.equal(document.lines.lineText(3_500).endsWith("!"), true);
    assert.equal(document.lineIndexBuilds, builds);
    assert.equal(adapter.received.wholeBuffers, 1);
    assert.ok(adapter.received.characters - before.characters < 250_000);

    await nvim.driver.command("%delete");
    await inStep("deleting every line");
    await nvim.driver.input("ionly line<Esc>");
    await inStep("typing in the emptied buffer");
    assert.equal(document.text, "only line\n");
    assert.equal(document.lineIndexBuilds, builds);
  });
});
